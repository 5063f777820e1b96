/**
 * Timeouts the workflow gives its activities, where the worker's settings can be checked against
 * them: a setting that would make an activity always time out stops the worker at start.
 */

/** Start-to-close of the activities that wait on Okta or the vendor (re-push, test user). */
export const POLLING_ACTIVITY_TIMEOUT_MS = 10 * 60_000;

/** The longest sync wait that leaves a polling activity time for its reads before and after. */
export const MAX_SYNC_TIMEOUT_SECONDS = 540;

/**
 * Every activity's heartbeat timeout: the worker beats for each one while it runs
 * (activities/keep-alive.ts), so an attempt lost with its worker is retried within this time.
 */
export const HEARTBEAT_TIMEOUT = '30 seconds';
