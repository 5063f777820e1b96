/**
 * One affected user at a time: a failed deprovision ends at the vendor (per policy), a failed
 * push is re-pushed from Okta. work.ts decides where these calls run.
 */
import { ApplicationFailure, CancellationScope, CancelledFailure, isCancellation } from '@temporalio/workflow';
import { formatDuration } from '../../domain/report';
import type { AffectedUser, FailureKind, UserResult } from '../../domain/types';
import { failureMessage, isActivityFailure, removeVendorAccess, repushUser } from './activities';
import { despiteOutageOn, remediationOutageHost, type OutageHost } from './outage';
import { now, userKey, type Remediation } from './state';

/** A failed deprovision the policy does not let us act on (yet): its result, with no call made. */
export function decidedByPolicy(r: Remediation, u: AffectedUser): UserResult | undefined {
  if (u.kind !== 'deprovision') return undefined;
  const base = { userId: u.userId, login: u.login, kind: u.kind } as const;
  const label = appLabel(r);
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
  return undefined;
}

export const appLabel = (r: Remediation) => r.state.diagnosis?.app.label ?? 'the app';

/** A failed deprovision: Okta has nothing left to push, so access ends at the vendor. */
async function removeAtVendor(host: OutageHost, label: string, u: AffectedUser): Promise<UserResult> {
  const base = { userId: u.userId, login: u.login, kind: u.kind } as const;
  try {
    // Once started, a removal finishes even if the remediation is cancelled: its real outcome is
    // recorded instead of a guess (the activity is short and idempotent).
    // A vendor outage pauses the phase between attempts (a pause can be cancelled, a removal cannot).
    const after = await despiteOutageOn(host, () =>
      CancellationScope.nonCancellable(() => removeVendorAccess(`Remove ${u.login} in ${label}`, { appId: host.appId, userId: u.userId, login: u.login })),
    );
    if (after.state === 'active') return { ...base, outcome: 'still_failing', detail: `Still active after the removal: ${after.detail}`, at: now() };
    // Found by none of the vendor's lookups: nothing was removed, and access is unknown.
    if (after.state === 'not_found') return { ...base, outcome: 'skipped', detail: `Not removed in ${label}: ${after.detail}`, at: now() };
    const exposureMs = Date.now() - new Date(u.failedAt).getTime();
    return { ...base, outcome: 'succeeded', detail: `Removed in ${label} (${after.detail}); kept access for ${formatDuration(exposureMs)} after Okta's deprovision failed.`, at: now(), exposureMs };
  } catch (err) {
    if (!isActivityFailure(err)) throw err;
    if (err.cause instanceof ApplicationFailure && err.cause.type === 'AssignedInOkta') return { ...base, outcome: 'skipped', detail: failureMessage(err), at: now() };
    return { ...base, outcome: 'still_failing', detail: `Could not remove at the vendor: ${failureMessage(err)}`, at: now() };
  }
}

/** The call for one user the policy lets us act on: the removal at the vendor, or the re-push from Okta. */
export async function act(host: OutageHost, label: string, u: AffectedUser): Promise<UserResult> {
  if (u.kind === 'deprovision') return removeAtVendor(host, label, u);
  try {
    // Its own retries are long (20 attempts): one round, then a pause if Okta is down.
    return await despiteOutageOn(host, () => repushUser(`Re-push ${u.login} from Okta`, { appId: host.appId, user: u }), 1);
  } catch (err) {
    if (!isActivityFailure(err)) throw err;
    return { userId: u.userId, login: u.login, kind: u.kind, outcome: 'still_failing', detail: `Gave up after repeated errors: ${failureMessage(err)}`, at: now() };
  }
}

/** What the report says of a user whose call was under way when the remediation was cancelled. */
export function cancelledInFlight(u: AffectedUser): UserResult {
  const detail =
    u.kind === 'push'
      ? `Cancelled while its re-push was in flight: Okta may still apply it; check ${u.login}'s syncState in Okta.`
      : `Cancelled while its removal at the vendor was in flight: check whether ${u.login} still has access.`;
  return { userId: u.userId, login: u.login, kind: u.kind, outcome: 'skipped', detail, at: now() };
}

/** Before the batches: the users' calls in the remediation's own history, a few lanes at once. */
export async function workInLanes(r: Remediation, kinds: readonly FailureKind[]): Promise<void> {
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
        r.record(decidedByPolicy(r, user) ?? (await act(remediationOutageHost(r), appLabel(r), user)));
      } catch (err) {
        // Its push may already be at Okta: say so, rather than list the user as never tried.
        if (isCancellation(err)) r.record(cancelledInFlight(user));
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
