/**
 * Reading Okta System Log events and app users as provisioning failures. Pure functions over the
 * JSON Okta returns, so the same rules serve the activities, the scanner and the tests.
 */
import type { FailureKind } from './types';

/** The message Okta writes when the app's stored API credential is rejected by the vendor. */
export const CREDENTIAL_ERROR = /credentials used to connect to the API were invalid/i;

export const PROVISIONING_EVENT_PREFIX = 'application.provision.user.';
export const AUTH_FAILURE_EVENT = 'application.integration.authentication_failure';

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
  if (eventType === `${PROVISIONING_EVENT_PREFIX}deactivate`) return 'deprovision';
  if (eventType.startsWith(`${PROVISIONING_EVENT_PREFIX}push`) || eventType === `${PROVISIONING_EVENT_PREFIX}reactivate`) {
    return 'push';
  }
  return 'other';
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
  if (!eventType.startsWith(PROVISIONING_EVENT_PREFIX) && eventType !== AUTH_FAILURE_EVENT) return undefined;
  const app = e.target?.find((t) => t.type === 'AppInstance');
  if (!app?.id) return undefined;
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
  return `outcome.result eq "FAILURE" and target.id eq "${appId}" and (eventType sw "application.provision." or eventType sw "application.integration.")`;
}
