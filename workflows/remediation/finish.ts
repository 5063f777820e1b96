/** The end of a remediation: the last notice, then everyone who joined meanwhile, then the final report. */
import { allHandlersFinished, condition } from '@temporalio/workflow';
import type { NoticeKind } from '../../domain/notice';
import type { FailureKind, RemediationStatus } from '../../domain/types';
import { noticesDelivered, notify } from './notify';
import { work } from './work';
import { now, type Remediation } from './state';

export async function finish(r: Remediation, phase: 'completed' | 'timed_out', kind: NoticeKind): Promise<RemediationStatus> {
  r.enter(phase);
  r.state.finishedAt = now();
  notify(r, kind);
  await noticesDelivered(r);
  // Users who joined while the last notices went out are handled too: everyone after a verified
  // re-auth, leavers (and approvals) after a timeout. The result is final only when no message
  // handler is still running and nobody is left to handle.
  for (const claim of r.unverifiedClaims.splice(0)) Object.assign(claim, { verified: false, verdict: `The remediation ended (${phase}) before this report was verified.` });
  // Pushes are retried only after a verified re-auth, never when Okta's provisioning is off.
  const kinds: FailureKind[] = phase === 'completed' && !r.state.endedBecause ? ['deprovision', 'push'] : ['deprovision'];
  for (;;) {
    if (r.pending(kinds)) await work(r, kinds);
    await condition(allHandlersFinished);
    if (!r.pending(kinds)) break;
  }
  r.state.finishedAt = now();
  r.publish();
  return r.view();
}
