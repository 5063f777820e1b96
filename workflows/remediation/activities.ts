/** The activities the remediation calls, with the timeouts and retries each kind of call needs. */
import { ActivityFailure, isCancellation, proxyActivities } from '@temporalio/workflow';
import type { ActivityOptions, RetryPolicy } from '@temporalio/common';
import type { Activities } from '../../activities';
import { HEARTBEAT_TIMEOUT, POLLING_ACTIVITY_TIMEOUT_MS } from '../../domain/activity-timeouts';

/** Failures that retrying cannot fix: the step stops and says why. */
const NON_RETRYABLE = ['UnknownOktaApp', 'OktaAccessDenied', 'OktaRejectedRequest', 'VendorNotConfigured', 'VendorAccessDenied', 'TestUserNotFound', 'TestUserAlreadyAssigned', 'AssignedInOkta'];
const retry: RetryPolicy = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20, nonRetryableErrorTypes: NON_RETRYABLE };

const QUICK: ActivityOptions = { startToCloseTimeout: '5 minutes', heartbeatTimeout: HEARTBEAT_TIMEOUT, retry };
/** Activities that wait on Okta or the vendor heartbeat while they poll. */
const POLLING: ActivityOptions = { startToCloseTimeout: POLLING_ACTIVITY_TIMEOUT_MS, heartbeatTimeout: HEARTBEAT_TIMEOUT, retry };
/**
 * Calls that meet an Okta outage with a pause of the phase (outage.ts): a few attempts each round,
 * so an outage is noticed within seconds, and more rounds while Okta answers.
 */
const fewAttempts = (o: ActivityOptions): ActivityOptions => ({ ...o, retry: { ...retry, maximumAttempts: 3 } });
const QUICK_PAUSABLE = fewAttempts(QUICK);
const POLLING_PAUSABLE = fewAttempts(POLLING);
/** A vendor probe gives up within seconds: the diagnosis says the vendor was not checked, the canary push decides a re-auth. */
const PROBE: ActivityOptions = { startToCloseTimeout: '2 minutes', heartbeatTimeout: HEARTBEAT_TIMEOUT, retry: { ...retry, maximumAttempts: 4 } };
export const NOTIFY: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 8,
    nonRetryableErrorTypes: ['NotificationChannelUnknown', 'NotificationSettingInvalid', 'NotificationRejected'],
  },
};

const quick = proxyActivities<Activities>(QUICK);
const polling = proxyActivities<Activities>(POLLING);
type Input<K extends keyof Activities> = Parameters<Activities[K]>[0];

/** Every activity runs with a one-line summary, so the Web UI's event list reads as a story. */
export const diagnoseApp = (summary: string, input: Input<'diagnoseApp'>) => quick.diagnoseApp.executeWithOptions({ ...QUICK_PAUSABLE, summary }, [input]);
export const affectedUsersPage = (summary: string, input: Input<'affectedUsersPage'>) => quick.affectedUsersPage.executeWithOptions({ ...QUICK_PAUSABLE, summary }, [input]);
export const probeVendor = (summary: string, input: Input<'probeVendor'>) => quick.probeVendor.executeWithOptions({ ...PROBE, summary }, [input]);
export const removeVendorAccess = (summary: string, input: Input<'removeVendorAccess'>) => quick.removeVendorAccess.executeWithOptions({ ...QUICK_PAUSABLE, summary }, [input]);
export const oktaActivitySince = (summary: string, input: Input<'oktaActivitySince'>) => quick.oktaActivitySince.executeWithOptions({ ...QUICK, summary }, [input]);
export const repushUser = (summary: string, input: Input<'repushUser'>) => polling.repushUser.executeWithOptions({ ...POLLING, summary }, [input]);
export const listAppUsersPage = (summary: string, input: Input<'listAppUsersPage'>) => quick.listAppUsersPage.executeWithOptions({ ...QUICK_PAUSABLE, summary }, [input]);
export const recheckUsers = (summary: string, input: Input<'recheckUsers'>) => quick.recheckUsers.executeWithOptions({ ...QUICK_PAUSABLE, summary }, [input]);
export const repushPage = (summary: string, input: Input<'repushPage'>) => polling.repushPage.executeWithOptions({ ...POLLING_PAUSABLE, summary }, [input]);
/** The checks of a paused phase: a check that fails counts as no answer, and the next one comes on the timer. */
const CHECK: ActivityOptions = { ...QUICK, retry: { ...retry, maximumAttempts: 2 } };
export const oktaAnswers = (summary: string, input: Input<'oktaAnswers'>) => quick.oktaAnswers.executeWithOptions({ ...CHECK, summary }, [input]);
export const vendorAnswers = (summary: string, input: Input<'vendorAnswers'>) => quick.vendorAnswers.executeWithOptions({ ...CHECK, summary }, [input]);
export const assignTestUser = (summary: string, input: Input<'assignTestUser'>) => polling.assignTestUser.executeWithOptions({ ...POLLING, summary }, [input]);
export const unassignTestUser = (summary: string, input: Input<'unassignTestUser'>) => polling.unassignTestUser.executeWithOptions({ ...POLLING, summary }, [input]);
export const awaitVendorAccess = (summary: string, input: Input<'awaitVendorAccess'>) => polling.awaitVendorAccess.executeWithOptions({ ...POLLING, summary }, [input]);
/**
 * Auto-detection: one activity the server retries at the check interval, with no history event
 * per check, until a check finds the credential working or the wait cancels it.
 */
export const reauthEvidence = (summary: string, input: Input<'reauthEvidence'>, everyMs: number) =>
  quick.reauthEvidence.executeWithOptions(
    { ...QUICK, startToCloseTimeout: '2 minutes', retry: { initialInterval: everyMs, backoffCoefficient: 1, maximumInterval: everyMs, maximumAttempts: Number.POSITIVE_INFINITY }, summary },
    [input],
  );
/** Checks a sign-in while its sender waits: a few attempts, then the message is refused as unverified. */
export const verifyIdentity = (summary: string, input: Input<'verifyIdentity'>) =>
  quick.verifyIdentity.executeWithOptions({ ...QUICK, startToCloseTimeout: '30 seconds', retry: { ...retry, maximumAttempts: 4 }, summary }, [input]);
/** A channel that fails is retried on its own and never holds up the others or the remediation. */
export const deliverNotice = (summary: string, input: Input<'deliverNotice'>) => proxyActivities<Activities>(NOTIFY).deliverNotice.executeWithOptions({ ...NOTIFY, summary }, [input]);

/** What an activity's failure says, for a report line. */
export const failureMessage = (err: unknown) => (err instanceof ActivityFailure ? (err.cause?.message ?? err.message) : String((err as Error)?.message ?? err));
/** A failure of the activity itself (not a cancellation, not a bug in the workflow): the phase records it and goes on. */
export const isActivityFailure = (err: unknown): err is ActivityFailure => err instanceof ActivityFailure && !isCancellation(err);
