/**
 * One durable remediation per Okta app, read as its pipeline: diagnose (Okta and the vendor) →
 * remove the access of people whose deprovision failed (per policy) → await a verified re-auth →
 * retry every affected user (pushes a page of app users at a time) → confirm with a test user → report. Each phase lives in its own file
 * beside this one; the workflow decides, activities act.
 */
import { ApplicationFailure, CancellationScope, condition, ContinueAsNew, isCancellation, patched, upsertSearchAttributes } from '@temporalio/workflow';
import { provisioningOff } from '../../domain/diagnosis';
import type { RemediationInput } from '../../domain/messages';
import type { RemediationStatus } from '../../domain/types';
import { OKTA_APP_LABEL, OKTA_VENDOR } from '../../domain/search-attributes';
import { affectedUsersPage, diagnoseApp, failureMessage, isActivityFailure } from './activities';
import { awaitVerifiedReauth } from './await-reauth';
import { continueAsNewIfLong, restoreFromCheckpoint } from './checkpoint';
import { finish } from './finish';
import { handleMessages } from './messages';
import { noticesDelivered, notify } from './notify';
import { despiteOutage } from './outage';
import { work } from './work';
import { repushInChild } from './repush-child';
import { repushInPages } from './retry-pages';
import { awaitManualRetries } from './manual-retry';
import { createRemediation, now, type Remediation } from './state';
import { confirmWithTestUser } from './test-user';
import { withVendorSide } from './vendor-side';

/**
 * Behaviour changes guarded for replay (see the README's "Upgrading"): before it, the paged retry
 * ran in the remediation's own history; a run that reached the retry then replays that way.
 */
const RETRY_IN_CHILD = 'retry-in-child-workflow';
/** Before it, a remediation of an app whose provisioning is off waited for a re-auth that could not help. */
const END_WHEN_PROVISIONING_OFF = 'end-when-provisioning-off';
/** Before it, nobody was left for the admin's Retry Selected: the remediation ended after the retry. */
const AWAIT_MANUAL_RETRIES = 'await-manual-retries';

/** The workflow type since the release of 2026-12-05; `remediateApp` (workflows/frozen/) finishes the runs started before it. */
export async function remediateAppV2(input: RemediationInput): Promise<RemediationStatus> {
  const r = createRemediation(input);
  // Handlers first, so a message sent before the workflow waits for it is kept, not lost.
  handleMessages(r);
  try {
    // A run continued as new takes back its users, then takes up at the phase it reached.
    const resumeAt = input.resume?.at;
    if (input.resume) await restoreFromCheckpoint(r, input.resume);
    r.publish();
    if (!resumeAt) {
      const anything = await diagnose(r);
      if (r.state.diagnosis && provisioningOff(r.state.diagnosis.app) && patched(END_WHEN_PROVISIONING_OFF)) {
        // No re-auth can help until provisioning is on: leavers are handled, then the report.
        r.state.endedBecause = 'provisioning_off';
        await work(r, ['deprovision']);
        await removeLeaversAsApproved(r);
        return await finish(r, 'completed', 'provisioning_off');
      }
      if (!anything) return await finish(r, 'completed', 'completed');
      // Failed deprovisions first and at once: removing access at the vendor uses the pipeline's
      // own credential, so it need not wait for Okta's to be fixed.
      await work(r, ['deprovision']);
      await continueAsNewIfLong(r, 'reauth');
    }
    if (resumeAt !== 'retry' && resumeAt !== 'manual_retry') {
      const announce = () => {
        notify(r, 'diagnosed');
        if (r.awaitingApproval()) notify(r, 'deprovision_approval_needed');
      };
      if ((await awaitVerifiedReauth(r, announce)) === 'timed_out') return await finish(r, 'timed_out', 'timed_out');
      await continueAsNewIfLong(r, 'retry');
    }
    if (resumeAt !== 'manual_retry') {
      r.enter('retrying');
      await work(r, ['deprovision']);
      // The pages run in a child workflow that continues as new: this run gets a signal a page.
      if (patched(RETRY_IN_CHILD)) await repushInChild(r);
      else await repushInPages(r);
      // Whoever the pages did not settle (moved, unassigned, joined meanwhile), one by one.
      await work(r, ['deprovision', 'push']);
      if (r.policy?.testUser) await confirmWithTestUser(r, r.policy.testUser);
      // Approvals that arrived meanwhile are honoured before the report is final.
      await work(r, ['deprovision', 'push']);
    }
    // Users Okta made no new attempt for wait for the admin's Retry Selected, then a recheck.
    if (patched(AWAIT_MANUAL_RETRIES)) {
      await awaitManualRetries(r);
      await work(r, ['deprovision', 'push']);
    }
    return await finish(r, 'completed', 'completed');
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    return await failed(r, err);
  }
}

/**
 * Leavers the policy holds for approval (`ask`) are asked for, and removed as approvals come,
 * until none is left or the wait's deadline passes: no re-auth is awaited, but they keep access.
 */
async function removeLeaversAsApproved(r: Remediation): Promise<void> {
  if (!r.awaitingApproval()) return;
  notify(r, 'deprovision_approval_needed');
  const deadline = Date.now() + r.policy!.wait.giveUpAfterMs;
  while (r.awaitingApproval()) {
    if (!(await condition(() => r.deprovisionPending(), Math.max(deadline - Date.now(), 1)))) return;
    await work(r, ['deprovision']);
  }
}

/** Reads Okta and probes the vendor; false when there is nothing to remediate. */
async function diagnose(r: Remediation): Promise<boolean> {
  const okta = await despiteOutage(r, () => diagnoseApp('Diagnose: read the app, its failures and app users in Okta', { appId: r.appId, paged: true }));
  r.policy = okta.policy;
  r.setDiagnosis(await withVendorSide(okta));
  upsertSearchAttributes([
    { key: OKTA_APP_LABEL, value: okta.app.label },
    { key: OKTA_VENDOR, value: okta.app.vendor },
  ]);
  r.addAffected(okta.affected);
  // A big app's affected users come a page at a time: no payload grows with the app's size.
  for (let next = okta.affectedNext, n = 2; next; n++) {
    const after = next;
    const page = await despiteOutage(r, () => affectedUsersPage(`Diagnose: affected users, page ${n}`, { appId: r.appId, window: okta.window, after }));
    r.addAffected(page.users);
    next = page.next;
  }
  return r.affectedCount() > 0 || okta.credentialFailing;
}

/** A cancellation or a failure is said on the app's channels, then ends the workflow. */
async function failed(r: Remediation, err: unknown): Promise<never> {
  const { state } = r;
  state.finishedAt = now();
  if (isCancellation(err)) {
    state.cancellation ??= { reason: 'Cancelled through Temporal.', at: now() };
    r.enter('cancelled');
    await CancellationScope.nonCancellable(async () => {
      notify(r, 'cancelled');
      await noticesDelivered(r);
    });
    throw err;
  }
  state.error = failureMessage(err);
  r.enter('failed');
  notify(r, 'failed');
  await noticesDelivered(r);
  const cause = isActivityFailure(err) && err.cause instanceof ApplicationFailure ? err.cause.type : undefined;
  throw ApplicationFailure.nonRetryable(`Remediation of app ${r.appId} failed: ${state.error}`, cause ?? 'RemediationFailed');
}
