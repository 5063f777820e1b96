/**
 * Users Okta made no new attempt for after our re-push (a POST that changes nothing may start
 * none) wait for the admin's Retry Selected in Okta's Tasks page. The remediation re-reads them
 * when told (`recheck`) and at each auto-detection interval, records what Okta shows, and goes on
 * once none is left or the wait's deadline passes (the report then lists who is left).
 */
import { condition } from '@temporalio/workflow';
import type { RecheckResult } from '../../domain/messages';
import type { UserResult } from '../../domain/types';
import { recheckUsers } from './activities';
import { continueAsNewIfLong } from './checkpoint';
import { notify } from './notify';
import { despiteOutage } from './outage';
import { now, userKey, type Remediation } from './state';

/** Users a recheck activity reads (activities/okta RECHECK_BATCH). */
const RECHECK_BATCH = 100;

const waitingUsers = (r: Remediation): UserResult[] => [...r.results.values()].filter((x) => x.outcome === 'needs_manual_retry' && !r.inFlight.has(userKey(x)));
/** Kept by the tally: no walk over the users each time a condition is evaluated. */
const countWaiting = (r: Remediation) => r.waitingForManualRetry();

export async function awaitManualRetries(r: Remediation): Promise<void> {
  if (countWaiting(r) === 0) return;
  const wait = r.policy!.wait;
  if (!r.state.manualRetry) {
    r.state.manualRetry = { since: now(), deadline: new Date(Date.now() + wait.giveUpAfterMs).toISOString(), rechecks: 0 };
    r.enter('awaiting_manual_retry');
    notify(r, 'manual_retry_needed');
  }
  const deadline = Date.parse(r.state.manualRetry.deadline);
  // The admin's `recheck` re-reads them at once (messages.ts); the timer, at each auto-detection interval.
  while (countWaiting(r) > 0 && Date.now() < deadline) {
    const every = wait.autoDetect ? wait.autoDetectEveryMs : deadline - Date.now();
    if (await condition(() => countWaiting(r) === 0, Math.max(1, Math.min(every, deadline - Date.now())))) break;
    await recheck(r);
    await continueAsNewIfLong(r, 'manual_retry');
  }
}

/** Re-reads every user left for Retry Selected, a batch at a time; answers what changed. */
export async function recheck(r: Remediation): Promise<RecheckResult> {
  const users = waitingUsers(r);
  let changed = 0;
  for (let i = 0; i < users.length; i += RECHECK_BATCH) {
    const batch = users.slice(i, i + RECHECK_BATCH).flatMap((x) => {
      const u = r.user(userKey(x));
      return u ? [{ userId: u.userId, login: u.login, kind: u.kind, failedAt: u.failedAt, since: x.at }] : [];
    });
    for (const u of batch) r.inFlight.add(userKey(u));
    try {
      const found = await despiteOutage(r, () => recheckUsers(`Recheck ${batch.length} users left for Retry Selected`, { appId: r.appId, users: batch }));
      for (const x of found.changed) r.record({ ...x, login: r.user(userKey(x))?.login ?? x.login });
      changed += found.changed.length;
    } finally {
      for (const u of batch) r.inFlight.delete(userKey(u));
    }
  }
  const m = r.state.manualRetry;
  if (m) Object.assign(m, { rechecks: m.rechecks + 1, lastRecheckAt: now() });
  r.publish();
  return { rechecked: users.length, changed, stillWaiting: countWaiting(r) };
}
