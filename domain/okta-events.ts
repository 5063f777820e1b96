/**
 * Reading Okta System Log events and app users as provisioning failures. Pure functions over the
 * JSON Okta returns, so the same rules serve the activities, the scanner and the tests.
 */
import type { FailureKind } from './types';

/** The message Okta writes when the app's stored API credential is rejected by the vendor. */
export const CREDENTIAL_ERROR = /credentials used to connect to the API were invalid/i;

/**
 * The System Log's event types that carry a failed provisioning call, and what each failure means
 * for a user. Sources: Okta's Event Types catalog, and its table that maps the old Events API's
 * `app.api.error.*` ids to these types (check_user_exists → verify_exists, create_user → push,
 * push_password_update → password, activate_user → activate, auth → authentication_failure, ...).
 * A failed push of any kind, or a check or activation on the way to one, leaves the person
 * without access; a failed deactivate leaves a leaver with it. Everything else is 'other':
 * imports and groups (reported, not remediated), and the `application.integration.*` failures of
 * the connection itself (authentication_failure, general_failure, rate_limit_exceeded), which name
 * no user and back the diagnosis with their words.
 */
export const USER_EVENT_KINDS: Readonly<Record<string, FailureKind>> = {
  'application.provision.user.push': 'push',
  'application.provision.user.push_profile': 'push',
  'application.provision.user.push_password': 'push',
  'application.provision.user.push_okta_password': 'push',
  'application.provision.user.password': 'push',
  'application.provision.user.activate': 'push',
  'application.provision.user.reactivate': 'push',
  'application.provision.user.verify_exists': 'push',
  'application.provision.user.sync': 'push',
  'application.provision.user.deactivate': 'deprovision',
};
/** What the diagnosis and the scanner read: every provisioning and integration event (imports and groups are reported as other). */
export const PROVISIONING_FAILURE_FILTER = '(eventType sw "application.provision." or eventType sw "application.integration.") and outcome.result eq "FAILURE"';

/** The subset of Okta's LogEvent the pipeline reads. */
export interface LogEventLike {
  uuid?: string;
  published?: string | Date;
  eventType?: string;
  outcome?: { result?: string; reason?: string };
  debugContext?: { debugData?: Record<string, unknown> };
  target?: Array<{ id?: string; type?: string; alternateId?: string; displayName?: string }>;
  actor?: { id?: string; type?: string; alternateId?: string; displayName?: string };
}

export interface ProvisioningFailure {
  eventId: string;
  eventType: string;
  kind: FailureKind | 'other';
  appId: string;
  /** The app's label as the event names it (target displayName). */
  appLabel?: string;
  userId?: string;
  login?: string;
  displayName?: string;
  at: string;
  message: string;
  credentialError: boolean;
}

export function failureKind(eventType: string): FailureKind | 'other' {
  return USER_EVENT_KINDS[eventType] ?? 'other';
}

/** Okta puts the vendor's words in outcome.reason, debugContext.debugData, or both. */
export function eventMessage(e: LogEventLike): string {
  const parts = [e.outcome?.reason, ...Object.values(e.debugContext?.debugData ?? {}).filter((v) => typeof v === 'string')];
  const seen = new Set<string>();
  return parts
    .filter((p): p is string => typeof p === 'string' && p.length > 0)
    .filter((p) => (seen.has(p) ? false : (seen.add(p), true)))
    .join(' | ');
}

/** A FAILURE event about a user's provisioning in one app, or undefined for anything else. */
export function toProvisioningFailure(e: LogEventLike): ProvisioningFailure | undefined {
  const eventType = e.eventType ?? '';
  if (e.outcome?.result !== 'FAILURE') return undefined;
  if (!eventType.startsWith('application.provision.') && !eventType.startsWith('application.integration.')) return undefined;
  const app = e.target?.find((t) => t.type === 'AppInstance');
  if (!app?.id) return undefined;
  // The person is the User target. An AppUser target carries the app user's own id (0ua…) and the
  // vendor's username, not the Okta user: an event with no User target names nobody to remediate.
  const user = e.target?.find((t) => t.type === 'User');
  const message = eventMessage(e);
  return {
    eventId: e.uuid ?? `${eventType}:${app.id}:${user?.id ?? ''}:${String(e.published)}`,
    eventType,
    kind: failureKind(eventType),
    appId: app.id,
    appLabel: app.displayName,
    userId: user?.id,
    login: user?.alternateId,
    displayName: user?.displayName,
    at: new Date(e.published ?? 0).toISOString(),
    message,
    credentialError: CREDENTIAL_ERROR.test(message),
  };
}

/** An app's provisioning failures, and no other kind (sign-in failures would crowd them out of a capped read). */
export function appFailureFilter(appId: string): string {
  return `${PROVISIONING_FAILURE_FILTER} and target.id eq "${appId}"`;
}
