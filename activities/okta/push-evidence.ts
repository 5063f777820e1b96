/**
 * Whether a re-push happened, by Okta's own evidence only. Okta documents no API for the Tasks
 * page's "Retry Selected", and it starts a push for a change: a POST of the unchanged profile may
 * start none. So a re-push counts only when Okta shows an attempt after our request (syncState
 * SYNCHRONIZED with lastSync after it, or a System Log push event after it); a user with neither
 * is left for the admin's Retry Selected, never reported as still failing.
 */
import type { UserResult } from '../../domain/types';
import type { PushAttempt } from './failures';

/** The admin's way to retry what our POST did not: the exact place in the console, and the recheck after. */
export const manualRetryStep = (appId: string) =>
  `select them in the Okta Admin Console (Dashboard > Tasks > this app's provisioning tasks > Retry Selected), then run npx okta-remediate recheck --app ${appId}`;

/**
 * When our POST happened by Okta's clock: the app user's new lastUpdated if the POST changed it;
 * otherwise Okta recorded nothing of it, and the worker's clock at the request stands in.
 */
export function pushedAtOf(before: Date | string | undefined, after: Date | string | undefined, requestedAt: Date): Date {
  const changed = after !== undefined && (before === undefined || new Date(after).getTime() > new Date(before).getTime());
  return changed ? new Date(after) : requestedAt;
}

/** What a re-push came to when no sync was seen in time: Okta's logged attempt, if any, decides. */
export function withoutSync(attempt: PushAttempt | undefined, syncState: string | undefined, timeoutMs: number, appId: string): Pick<UserResult, 'outcome' | 'detail'> {
  if (attempt && !attempt.succeeded) return { outcome: 'still_failing', detail: attempt.message || `Okta logged a failed push at ${attempt.at}.` };
  if (attempt) return { outcome: 'succeeded', detail: `Okta logged a successful push at ${attempt.at}.` };
  return {
    outcome: 'needs_manual_retry',
    detail: `Okta showed no new push attempt in the ${Math.round(timeoutMs / 1000)} s after our request (syncState ${syncState ?? 'unknown'}, no push event in its System Log): ${manualRetryStep(appId)}.`,
  };
}
