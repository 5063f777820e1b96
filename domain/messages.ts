/** The remediation workflow's messages: what the CLI, scripts and `temporal workflow signal` may send. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AffectedUser, AppPolicy, Outage, RemediationStatus, UserReportPage, UserResult } from './types';

/** The remediation workflow's input: what a client starts it with. */
export interface RemediationInput {
  appId: string;
  /** How many users are handled at once one by one (leavers, and pushes a page left over). */
  retryConcurrency?: number;
  /** App users per page of the paged re-push (remediateAppV2; at most and by default 100). */
  retryPageSize?: number;
  /** Seconds between checks of Okta while an outage pauses the phase (default 60). */
  outageCheckSeconds?: number;
  /** History events after which a run of the paged retry continues as new (default 5,000). */
  retryRunEvents?: number;
  /** History events after which the remediation continues as new at its next phase (default 5,000). */
  runEvents?: number;
  /** Set only by continue-as-new: where the next run takes up, and what it carries. */
  resume?: ResumedRemediation;
}

/**
 * What a remediation carries into its next run. The bounded part travels in the input; every
 * user, with their result, waits in a checkpoint workflow that sends them back to the next run.
 */
export interface ResumedRemediation {
  /** The phase the next run starts at: the wait for a re-auth, the retry after it, or the wait for the admin's Retry Selected. */
  at: 'reauth' | 'retry' | 'manual_retry';
  /** The checkpoint workflow's number (it counts up over the runs), and its id. */
  checkpoint: number;
  /** Absent in runs of release 2026-12-06-v1 (the id was `…-checkpoint-<n>`). */
  checkpointId?: string;
  /** Pages the checkpoint holds. */
  pages: number;
  state: Omit<RemediationStatus, 'affected' | 'results' | 'tally'>;
  policy?: AppPolicy;
  /** Indexes into state.reauthClaims of the claims not yet verified. */
  unverifiedClaims: number[];
  snoozes: number;
  userBatches: number;
}

/** The remediation workflow's signature, for typed client handles. */
export type RemediateApp = (input: RemediationInput) => Promise<RemediationStatus>;

/** The workflow type new remediations start as (workflows/remediation/). */
export const REMEDIATION_WORKFLOW_TYPE = 'remediateAppV2';
/** Every remediation workflow type, the frozen first one included: lists and queries cover both. */
export const REMEDIATION_WORKFLOW_TYPES = ['remediateApp', REMEDIATION_WORKFLOW_TYPE] as const;

/**
 * Who acts: a name (`by`), or, with `--sign-in`, the ID token Okta issued to the admin. An activity
 * verifies the token and its login replaces `by`; an app with `requireVerifiedIdentity` takes no
 * message without one.
 */
export interface Actor {
  /** Who acts (an email or username): self-asserted. */
  by?: string;
  /** The admin's ID token from the CLI's sign-in (a short-lived identity assertion, never an access token). */
  idToken?: string;
}

export interface ReauthCompletedArgs extends Actor {
  note?: string;
}

export interface AddFailedUsersArgs {
  users: AffectedUser[];
}

export interface CancelRemediationArgs {
  reason: string;
  by?: string;
}

export interface ApproveDeprovisionArgs extends Actor {
  /** Okta logins to remove at the vendor; omit with `all` to approve every pending one. */
  logins?: string[];
  all?: boolean;
}

/**
 * Approves removals at the vendor (policy `ask`) of people awaiting approval now, with the same
 * authority as a confirmation: the validator refuses anyone off the confirmers allow-list.
 * Answers the logins now approved.
 */
export const approveDeprovisionUpdate = defineUpdate<string[], [ApproveDeprovisionArgs]>('approveDeprovision');
/** The same approval as a signal, for scripts: one from off the allow-list is ignored. */
export const approveDeprovisionSignal = defineSignal<[ApproveDeprovisionArgs]>('approveDeprovision');
export const reauthCompletedSignal = defineSignal<[ReauthCompletedArgs]>('reauthCompleted');
export const addFailedUsersSignal = defineSignal<[AddFailedUsersArgs]>('addFailedUsers');
/** Carries the reason for a cancellation; the CLI sends it just before cancelling the workflow. */
export const cancelReasonSignal = defineSignal<[CancelRemediationArgs]>('cancelReason');
/** The status: every user of a small app; counts and the first open users and failures of a big one. */
export const statusQuery = defineQuery<RemediationStatus>('status');

export interface ReportPageArgs {
  /** The cursor a previous page gave as `next`; none for the first page. */
  after?: string;
  limit?: number;
}

/** Every user and their outcome, a page at a time (remediateAppV2): the full report of any size. */
export const reportPageQuery = defineQuery<UserReportPage, [ReportPageArgs]>('reportPage');

export interface VerificationResult {
  verified: boolean;
  verdict: string;
  /** Set when Okta's System Log does not back the claim. */
  mismatch?: string;
}

/**
 * Confirms a re-auth with authority: the validator rejects the call unless the workflow awaits a
 * re-auth and `by` is on the confirmers allow-list (when one is configured). Answers once the
 * claim is verified.
 */
export const confirmReauthUpdate = defineUpdate<VerificationResult, [ReauthCompletedArgs]>('confirmReauth');

export interface SnoozeArgs extends Actor {
  /** Milliseconds to postpone reminders by. */
  forMs: number;
}

/** Postpones reminders (not the deadline); answers the time reminders resume. */
export const snoozeUpdate = defineUpdate<string, [SnoozeArgs]>('snooze');

export interface RecheckArgs {
  by?: string;
}

/** What a recheck found: users re-read, and how many of them are still left for Retry Selected. */
export interface RecheckResult {
  rechecked: number;
  changed: number;
  stillWaiting: number;
}

/** Re-reads the users left for the admin's Retry Selected (after they clicked it); answers what changed. */
export const recheckUpdate = defineUpdate<RecheckResult, [RecheckArgs]>('recheck');

export const TASK_QUEUE_DEFAULT = 'okta-remediation';

/** One remediation per Okta app: the workflow id is derived from the app id. */
export function remediationWorkflowId(appId: string): string {
  return `okta-remediation-${appId}`;
}

/**
 * The paged retry runs as a child workflow of the remediation (its history grows with the app;
 * it continues as new, the remediation's does not) and tells the remediation each page's
 * outcome and any outage by the signals below.
 */
export const REPUSH_PAGES_WORKFLOW_TYPE = 'repushAppPages';

export function repushPagesWorkflowId(appId: string): string {
  return `${remediationWorkflowId(appId)}-retry`;
}

export interface RepushPagesInput {
  appId: string;
  /** The next page's cursor (Okta's `after`); none for the first page. */
  after?: string;
  /** The next page's number, from 1. */
  page: number;
  limit: number;
  outageCheckSeconds?: number;
  /** History events after which this run continues as new. */
  runEvents: number;
}

/** A page the retry went through: outcomes of its re-pushes, and who Okta showed synchronized. */
export interface RetryPageArgs {
  page: number;
  results: UserResult[];
  /** App users of the page Okta showed SYNCHRONIZED, not pushed: affected ones are settled by their lastSync. */
  synchronized: { userId: string; login: string; lastSync?: string }[];
  /** Re-pushes in flight when the retry was cancelled: Okta may still apply them. */
  cancelled?: { userId: string; login: string }[];
}
export const retryPageSignal = defineSignal<[RetryPageArgs]>('retryPage');

/**
 * Removals and one-by-one re-pushes run in child workflows of a batch of users each: the
 * remediation's history grows by a few events a batch, and each batch's payloads stay bounded.
 */
export function userBatchWorkflowId(appId: string, batch: number): string {
  return `${remediationWorkflowId(appId)}-users-${batch}`;
}

export interface UserBatchInput {
  appId: string;
  /** The app's name, for the report's lines. */
  label: string;
  /** Users the remediation's policy lets us act on: removals and re-pushes. */
  users: AffectedUser[];
  /** Users handled at once. */
  concurrency: number;
  outageCheckSeconds?: number;
}

/** A result for every user the batch handled; one it did not start (cancelled first) has none. */
export interface UserBatchResult {
  results: UserResult[];
}

/**
 * The checkpoint of a remediation that continues as new (see ResumedRemediation): named by the
 * remediation's first run, so one left by an earlier remediation of the app never collides.
 */
export function checkpointWorkflowId(appId: string, firstRunId: string | undefined, n: number): string {
  // Release 2026-12-06-v1 named it by app alone: its runs keep that name.
  return firstRunId ? `${remediationWorkflowId(appId)}-checkpoint-${firstRunId}-${n}` : `${remediationWorkflowId(appId)}-checkpoint-${n}`;
}

export interface CheckpointInput {
  appId: string;
  pages: number;
}

/** A user as the remediation holds them: in the report's order, with the result and the queue. */
export interface CheckpointEntry {
  user: AffectedUser;
  result?: UserResult;
  /** Still to handle. */
  queued: boolean;
  /** Approved for removal at the vendor. */
  approved?: boolean;
}

export interface CheckpointPage {
  index: number;
  entries: CheckpointEntry[];
}
/** The remediation's run hands a page to its checkpoint, and the checkpoint hands it to the next run. */
export const checkpointPageSignal = defineSignal<[CheckpointPage]>('checkpointPage');
/** The receiver of pages is ready for the window from this page on (past the last: it has them all). */
export const checkpointWantSignal = defineSignal<[{ from: number }]>('checkpointWant');
/** The run that filled the checkpoint goes on instead (a message changed its users meanwhile): the checkpoint ends. */
export const checkpointDropSignal = defineSignal('checkpointDrop');

export interface RetryOutageArgs {
  /** The outage the retry paused for; none once the service answers again. */
  outage?: Outage;
}
export const retryOutageSignal = defineSignal<[RetryOutageArgs]>('retryOutage');
