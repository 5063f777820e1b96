/**
 * JSON shapes the simulator serves. They follow the schemas of Okta's management API description
 * (`contracts/okta/management.yaml.gz`), trimmed to the fields the simulator fills in.
 */

export interface HrefObject {
  href: string;
  name?: string;
  type?: string;
  hints?: { allow: Array<'GET' | 'POST' | 'PUT' | 'DELETE'> };
}

export type AppUserSyncState = 'DISABLED' | 'ERROR' | 'OUT_OF_SYNC' | 'SYNCHRONIZED' | 'SYNCING';
/** The statuses the simulator uses: STAGED until a push gives the user an externalId. */
export type AppUserStatus = 'PROVISIONED' | 'STAGED';

export interface AppUser {
  id: string;
  externalId?: string;
  created: string;
  lastUpdated: string;
  scope: 'USER';
  status: AppUserStatus;
  statusChanged: string;
  passwordChanged: string | null;
  syncState: AppUserSyncState;
  lastSync?: string;
  credentials: { userName: string };
  profile: Record<string, unknown>;
  _links: { app: HrefObject; user: HrefObject };
}

export type SignOnMode = 'SAML_2_0' | 'AUTO_LOGIN';

export interface Application {
  id: string;
  name: string;
  label: string;
  status: 'ACTIVE';
  signOnMode: SignOnMode;
  created: string;
  lastUpdated: string;
  accessibility: { selfService: boolean };
  visibility: { autoSubmitToolbar: boolean; hide: { iOS: boolean; web: boolean }; appLinks: Record<string, boolean> };
  features: string[];
  credentials: Record<string, unknown>;
  settings: { app: Record<string, unknown>; notifications: Record<string, unknown>; signOn?: Record<string, unknown> };
  _links: Record<string, HrefObject | HrefObject[]>;
}

export type EnabledStatus = 'ENABLED' | 'DISABLED';

export interface ApplicationFeature {
  name: 'USER_PROVISIONING';
  status: EnabledStatus;
  description: string;
  capabilities: {
    create: { lifecycleCreate: { status: EnabledStatus } };
    update: {
      profile: { status: EnabledStatus };
      lifecycleDeactivate: { status: EnabledStatus };
      password: { status: EnabledStatus; seed: 'OKTA' | 'RANDOM'; change: 'CHANGE' | 'KEEP_EXISTING' };
    };
  };
  _links: { self: HrefObject };
}

export interface ProvisioningConnectionResponse {
  profile: { authScheme: 'OAUTH2' | 'TOKEN' | 'UNKNOWN' };
  status: 'DISABLED' | 'ENABLED' | 'UNKNOWN';
  _links: { self: HrefObject };
}

export interface OktaUser {
  id: string;
  status: 'ACTIVE';
  created: string;
  activated: string;
  statusChanged: string;
  lastLogin: string | null;
  lastUpdated: string;
  passwordChanged: string;
  type: { id: string };
  profile: { login: string; email: string; firstName: string; lastName: string; mobilePhone: string | null; secondEmail: string | null };
  credentials: { password: Record<string, never>; provider: { type: 'OKTA'; name: 'OKTA' } };
  _links: { self: HrefObject };
}

export interface LogActor {
  id: string;
  type: string;
  alternateId: string;
  displayName: string;
}

export interface LogTarget {
  id: string;
  type: string;
  alternateId: string;
  displayName: string;
}

export type LogOutcomeResult = 'SUCCESS' | 'FAILURE';
export type LogSeverity = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface LogEvent {
  uuid: string;
  published: string;
  eventType: string;
  version: '0';
  severity: LogSeverity;
  displayMessage: string;
  actor: LogActor;
  client?: {
    userAgent: { rawUserAgent: string; os: string; browser: string };
    device: string;
    ipAddress: string;
  };
  authenticationContext: { authenticationStep: number; externalSessionId: string };
  outcome: { result: LogOutcomeResult; reason?: string };
  target: LogTarget[];
  transaction: { type: 'JOB' | 'WEB'; id: string; detail: Record<string, unknown> };
  debugContext: { debugData: Record<string, unknown> };
  request: { ipChain: Array<{ ip: string; version: 'V4' }> };
}

/** Okta's error body (`ModelError`). */
export interface OktaErrorBody {
  errorCode: string;
  errorSummary: string;
  errorLink: string;
  errorId: string;
  errorCauses: Array<{ errorSummary: string }>;
}
