/**
 * Working through affected users: failed deprovisions end at the vendor (per policy), failed
 * pushes are re-pushed from Okta. A few lanes at once, deprovisions first, each user once.
 */
import { ApplicationFailure, CancellationScope, CancelledFailure, isCancellation } from '@temporalio/workflow';
import { formatDuration } from '../../domain/report';
import type { AffectedUser, FailureKind, UserResult } from '../../domain/types';
import { failureMessage, isActivityFailure, removeVendorAccess, repushUser } from './activities';
import { despiteOutage } from './outage';
import { now, userKey, type Remediation } from './state';

/** A failed deprovision: Okta has nothing left to push, so access ends at the vendor, per policy. */
async function deprovision(r: Remediation, u: AffectedUser): Promise<UserResult> {
  const base = { userId: u.userId, login: u.login, kind: u.kind } as const;
  const label = r.state.diagnosis?.app.label ?? 'the app';
  const mode = r.policy?.deprovisionPolicy ?? 'ask';
  if (mode === 'off') {
    return { ...base, outcome: 'skipped', detail: `Deprovisioning policy is off (report only): remove ${u.login} in ${label} by hand; Okta's deprovision failed at ${u.failedAt}.`, at: now() };
  }
  if (mode === 'ask' && !r.approved.has(u.login.toLowerCase())) {
    return {
      ...base,
      outcome: 'awaiting_approval',
      detail: `Needs approval to remove ${u.login} in ${label}: npx okta-remediate approve-deprovision --app ${r.appId} --user ${u.login} --by <your email>`,
      at: now(),
    };
  }
  r.approved.delete(u.login.toLowerCase()); // one approval, one removal: a later failure asks again
  try {
    // Once started, a removal finishes even if the remediation is cancelled: its real outcome is
    // recorded instead of a guess (the activity is short and idempotent).
    // A vendor outage pauses the phase between attempts (a pause can be cancelled, a removal cannot).
    const after = await despiteOutage(r, () => CancellationScope.nonCancellable(() => removeVendorAccess(`Remove ${u.login} in ${label}`, { appId: r.appId, userId: u.userId, login: u.login })));
    if (after.state === 'active') return { ...base, outcome: 'still_failing', detail: `Still active after the removal: ${after.detail}`, at: now() };
    const exposureMs = Date.now() - new Date(u.failedAt).getTime();
    return { ...base, outcome: 'succeeded', detail: `Removed in ${label} (${after.detail}); kept access for ${formatDuration(exposureMs)} after Okta's deprovision failed.`, at: now(), exposureMs };
  } catch (err) {
    if (!isActivityFailure(err)) throw err;
    if (err.cause instanceof ApplicationFailure && err.cause.type === 'AssignedInOkta') return { ...base, outcome: 'skipped', detail: failureMessage(err), at: now() };
    return { ...base, outcome: 'still_failing', detail: `Could not remove at the vendor: ${failureMessage(err)}`, at: now() };
  }
}

async function handle(r: Remediation, u: AffectedUser): Promise<UserResult> {
  if (u.kind === 'deprovision') return deprovision(r, u);
  try {
    // Its own retries are long (20 attempts): one round, then a pause if Okta is down.
    return await despiteOutage(r, () => repushUser(`Re-push ${u.login} from Okta`, { appId: r.appId, user: u }), 1);
  } catch (err) {
    if (!isActivityFailure(err)) throw err;
    return { userId: u.userId, login: u.login, kind: u.kind, outcome: 'still_failing', detail: `Gave up after repeated errors: ${failureMessage(err)}`, at: now() };
  }
}

/** Works through users of the given kinds with bounded concurrency, deprovisions first, each user once. */
export async function work(r: Remediation, kinds: readonly FailureKind[]): Promise<void> {
  const lane = async () => {
    for (let u = r.take(kinds); u; u = r.take(kinds)) {
      const user = u;
      // A lane that finished a removal after a cancellation starts nobody else.
      if (CancellationScope.current().consideredCancelled) {
        r.requeue(userKey(user));
        throw new CancelledFailure('Cancelled before the next user was started');
      }
      r.inFlight.add(userKey(user));
      try {
        r.record(await handle(r, user));
      } catch (err) {
        // Its push may already be at Okta: say so, rather than list the user as never tried.
        if (isCancellation(err)) {
          const detail =
            user.kind === 'push'
              ? `Cancelled while its re-push was in flight: Okta may still apply it; check ${user.login}'s syncState in Okta.`
              : `Cancelled while its removal at the vendor was in flight: check whether ${user.login} still has access.`;
          r.record({ userId: user.userId, login: user.login, kind: user.kind, outcome: 'skipped', detail, at: now() });
        }
        throw err;
      } finally {
        r.inFlight.delete(userKey(user));
      }
    }
  };
  // Every lane ends (a removal in flight records its real outcome) before a cancellation goes on.
  const lanes = Array.from({ length: Math.max(1, r.input.retryConcurrency ?? 4) }, lane);
  const failed = (await Promise.allSettled(lanes)).find((x) => x.status === 'rejected');
  if (failed) throw failed.reason;
}
