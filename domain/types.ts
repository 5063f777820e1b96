/**
 * Types shared by workflows and activities. Plain data only: this module is bundled into the
 * workflow sandbox, so it must not import Node APIs.
 */

export const PHASES = ['diagnosing', 'awaiting_reauth', 'verifying', 'retrying', 'awaiting_manual_retry', 'completed', 'timed_out', 'failed', 'cancelled'] as const;
export type Phase = (typeof PHASES)[number];

/** The vendors with a module of their own (domain/vendors/registry.ts); every other app is `generic`. */
export type ModuleVendor = 'docusign' | 'github';
export type Vendor = ModuleVendor | 'generic';

/** What Okta failed to do for a user: push (create/update) or deprovision (deactivate). */
export type FailureKind = 'push' | 'deprovision';

export interface AffectedUser {
  userId: string;
  login: string;
  displayName: string;
  kind: FailureKind;
  /** When Okta first recorded the failure (ISO). */
  failedAt: string;
  /** Okta's own words, e.g. "The credentials used to connect to the API were invalid; ...". */
  reason: string;
}

export interface AppSummary {
  id: string;
  name: string;
  label: string;
  status: string;
  vendor: Vendor;
  provisioningEnabled: boolean;
  /** Why provisioning is not enabled: turned off, or never set up (no USER_PROVISIONING feature). */
  provisioningState?: 'enabled' | 'disabled' | 'not_set_up';
  /** The To App settings Okta shows (USER_PROVISIONING capabilities): each off, Okta pushes nothing of its kind. */
  pushCapabilities?: { create: boolean; updateProfile: boolean; deactivate: boolean };
  /** Where the admin re-authenticates: the app's Provisioning tab in the Okta Admin Console. */
  provisioningUrl: string;
}

export type CauseId =
  | 'credential-invalid'
  | 'provisioning-disabled'
  | 'to-app-settings-off'
  | 'other-provisioning-errors'
  | 'docusign-account-id-mismatch'
  | 'docusign-environment-mismatch'
  | 'docusign-admin-not-admin'
  | 'docusign-admin-closed'
  | 'docusign-grant-revoked'
  | 'github-account-unavailable'
  | 'github-username-changed'
  | 'github-not-owner'
  | 'github-token-revoked'
  | 'github-saml-missing'
  | 'github-not-dedicated';

/** This app's values that fill the admin's steps (none of them secret). */
export interface StepValues {
  apiAccountId?: string;
  adminEmail?: string;
  environment?: 'production' | 'demo';
  org?: string;
  serviceAccount?: string;
  /** The service account's current login, when it was renamed. */
  renamedTo?: string;
  /** An app without a vendor module (domain/generic-apps.ts): the connection settings Okta holds, by `settings.app` key (never a secret). */
  connection?: Record<string, string>;
}

/** What a vendor probe found: a cause, how sure, and what it saw. */
export interface VendorFinding {
  cause: CauseId;
  confidence: number;
  evidence: string[];
  /** The vendor itself still shows the problem, so a re-auth cannot be verified until it is fixed. */
  blocking: boolean;
  /** A guess from names or patterns, not the vendor's answer: ranked below any evidence, never blocking. */
  heuristic?: boolean;
}

export interface VendorProbe {
  vendor: Vendor;
  /** False when the pipeline has no credential for the vendor, or the vendor refused it. */
  probed: boolean;
  findings: VendorFinding[];
  /** Neutral observations (what checked out). */
  evidence: string[];
  /** Settings that would sharpen the diagnosis. */
  hints: string[];
  values: StepValues;
  at: string;
}

export interface Cause {
  id: CauseId;
  title: string;
  /** 0..1, used only for ranking. */
  confidence: number;
  evidence: string[];
  steps: string[];
}

export interface OktaFindings {
  credentialFailing: boolean;
  credentialEvidence: string[];
  provisioningEnabled: boolean;
  otherFailures: number;
  otherExample?: string;
}

export interface Diagnosis {
  app: AppSummary;
  /** True when Okta's own records show the credential failing now. */
  credentialFailing: boolean;
  okta: OktaFindings;
  causes: Cause[];
  /** The affected users; of a big app, the first page (AFFECTED_PAGE_SIZE) and a cursor to the next. */
  affected: AffectedUser[];
  /** How many users are affected in all, when `affected` is one page. */
  affectedTotal?: number;
  /** The same, by kind. */
  affectedByKind?: Record<FailureKind, number>;
  /** The cursor of the next page of affected users (activity affectedUsersPage). */
  affectedNext?: string;
  /** Failure events seen in the window, by Okta event type. */
  eventCounts: Record<string, number>;
  window: { since: string; until: string; truncatedBefore?: string };
  /** Settings that would sharpen the diagnosis (e.g. a vendor credential), by name. */
  hints: string[];
  vendorProbe?: VendorProbe;
  policy?: AppPolicy;
}

/**
 * `needs_manual_retry`: Okta showed no new attempt after our re-push (a POST that changes nothing
 * may start none): the admin retries it in Okta's Tasks page, and `recheck` records the outcome.
 */
export type UserOutcome = 'succeeded' | 'still_failing' | 'skipped' | 'awaiting_approval' | 'needs_manual_retry';

export interface UserResult {
  userId: string;
  login: string;
  kind: FailureKind;
  outcome: UserOutcome;
  /** Why it still fails or was skipped; for successes, what was observed. */
  detail: string;
  syncState?: string;
  at: string;
  /** Deprovisions: how long the person kept access, from the failed event to the confirmed removal. */
  exposureMs?: number;
}

/** The optional test-user round trip: assign, seen at the vendor, unassign, gone at the vendor. */
export interface ConfirmationStep {
  step: 'assign' | 'vendor_present' | 'unassign' | 'vendor_removed';
  ok: boolean;
  detail: string;
  at: string;
}

export interface Confirmation {
  testUser: string;
  ok: boolean;
  steps: ConfirmationStep[];
  /** Set when the round trip did not run. */
  skipped?: string;
}

/** A configuration or lifecycle change of the app in Okta's System Log. */
export interface AppChange {
  eventType: string;
  actor: string;
  at: string;
}

export interface OktaActivity {
  changes: AppChange[];
  successfulPushes: number;
  /** Set when the read stopped at its cap: events published before this time were not read. */
  truncatedBefore?: string;
}

export interface ReauthClaim {
  by: string;
  /** The Okta user id Okta vouched for, when who acts signed in (`by` is then their login in Okta). */
  subject?: string;
  note?: string;
  at: string;
  /** How the claim arrived: the CLI's update, a signal, or the pipeline's own auto-detection. */
  via: 'update' | 'signal' | 'auto-detection';
  /** Filled after verification. */
  verified?: boolean;
  verdict?: string;
  /** The audit: Okta's record of who changed the app since the failures began. */
  oktaChanges?: AppChange[];
  /** Set when Okta's record does not match the claim (nobody changed the app, or someone else did). */
  mismatch?: string;
}

export interface NotificationRecord {
  kind: string;
  at: string;
  delivered: string[];
  failed: Array<{ channel: string; error: string }>;
  /** Escalation channels tried because every primary channel failed. */
  fallback?: string[];
}

export interface RemediationStatus {
  appId: string;
  phase: Phase;
  diagnosis?: Diagnosis;
  affected: AffectedUser[];
  results: UserResult[];
  reauthClaims: ReauthClaim[];
  startedAt: string;
  phaseChangedAt: string;
  finishedAt?: string;
  /** Set when it ended without a retry because no re-auth could help: Okta's provisioning of the app is off. */
  endedBecause?: 'provisioning_off';
  /** Why the workflow failed or was cancelled. */
  error?: string;
  cancellation?: { reason: string; by?: string; at: string };
  confirmation?: Confirmation;
  /** The wait for re-auth: reminders sent, escalation, snooze, deadline. */
  wait?: { since: string; reminders: number; escalatedAt?: string; snoozedUntil?: string; snoozedBy?: string; deadline: string; autoChecks: number };
  notifications: NotificationRecord[];
  /** The wait for the admin's Retry Selected of users Okta made no new attempt for: rechecks made, deadline. */
  manualRetry?: { since: string; deadline: string; rechecks: number; lastRecheckAt?: string };
  /** Messages refused for their shape (a signal cannot be refused to its sender): the latest few, for the report. */
  refusedMessages?: RefusedMessage[];
  /** The phase is paused because Okta is not answering (5xx, timeouts): nobody is failed for it. */
  outage?: Outage;
  /**
   * Counts over every user. Set when `affected` and `results` list only some of them (a big app):
   * the first open users and failures; `okta-remediate report` pages through all.
   */
  tally?: Tally;
}

export interface Outage {
  service: string;
  since: string;
  /** What the failed call and the last check got. */
  reason: string;
  /** Checks made so far, one per pause step; the phase resumes at the first one answered. */
  checks: number;
}

export interface Tally {
  affected: Record<FailureKind, number>;
  /** Results recorded so far, by kind and outcome. */
  outcomes: Record<FailureKind, Record<UserOutcome, number>>;
  /** The earliest failure among the affected users. */
  earliestFailedAt?: string;
}

/** One user of a remediation with what became of them: a line of the full report. */
export interface UserReportLine {
  user: AffectedUser;
  result?: UserResult;
}

/** A page of the full report, in the order users joined (deprovisions are handled first). */
export interface UserReportPage {
  users: UserReportLine[];
  /** The cursor of the next page; none after the last. */
  next?: string;
  total: number;
}

export interface RefusedMessage {
  /** The signal's name, e.g. reauthCompleted. */
  message: string;
  /** What was wrong, naming the field. */
  problem: string;
  at: string;
}

export type DeprovisionPolicy = 'off' | 'ask' | 'auto';

/** How the wait for an admin's re-auth behaves (durations in milliseconds). */
export interface WaitPolicy {
  remindEveryMs: number;
  escalateAfterReminders: number;
  giveUpAfterMs: number;
  autoDetect: boolean;
  autoDetectEveryMs: number;
}

/** Per-app settings the workflow decides with. Plain data, never a secret. */
export interface AppPolicy {
  vendor?: Vendor;
  deprovisionPolicy: DeprovisionPolicy;
  /** Okta login of a test user for the optional assign/deprovision round trip. */
  testUser?: string;
  wait: WaitPolicy;
  /** Who may confirm a re-auth through the update; empty means anyone. */
  confirmers: string[];
  /**
   * Confirmations, approvals and snoozes count only with an identity Okta vouches for (`--sign-in`).
   * Absent in policies read before release 2026-12-06-v4 (self-asserted names, as then).
   */
  requireVerifiedIdentity?: boolean;
  notify: { primary: string[]; escalation: string[] };
}
