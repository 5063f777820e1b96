/**
 * Types shared by workflows and activities. Plain data only: this module is bundled into the
 * workflow sandbox, so it must not import Node APIs.
 */

export const PHASES = [
  'diagnosing',
  'awaiting_reauth',
  'verifying',
  'retrying',
  'completed',
  'failed',
  'cancelled',
] as const;
export type Phase = (typeof PHASES)[number];

export type Vendor = 'docusign' | 'github' | 'generic';

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
  /** Where the admin re-authenticates: the app's Provisioning tab in the Okta Admin Console. */
  provisioningUrl: string;
}

export interface Cause {
  id: string;
  title: string;
  /** 0..1, used only for ranking. */
  confidence: number;
  evidence: string[];
  steps: string[];
}

export interface Diagnosis {
  app: AppSummary;
  /** True when Okta's own records show the credential failing now. */
  credentialFailing: boolean;
  causes: Cause[];
  affected: AffectedUser[];
  /** Failure events seen in the window, by Okta event type. */
  eventCounts: Record<string, number>;
  window: { since: string; until: string };
  /** Settings that would sharpen the diagnosis (e.g. a vendor credential), by name. */
  hints: string[];
}

export type UserOutcome = 'succeeded' | 'still_failing' | 'skipped';

export interface UserResult {
  userId: string;
  login: string;
  kind: FailureKind;
  outcome: UserOutcome;
  /** Why it still fails or was skipped; for successes, what was observed. */
  detail: string;
  syncState?: string;
  at: string;
}

export interface ReauthClaim {
  by: string;
  note?: string;
  at: string;
  /** Filled after verification. */
  verified?: boolean;
  verdict?: string;
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
  /** Why the workflow failed or was cancelled. */
  error?: string;
  cancellation?: { reason: string; by?: string; at: string };
}
