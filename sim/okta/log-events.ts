/**
 * System Log events the simulated org writes, shaped like the ones real Okta writes for
 * provisioning jobs (actor = the Okta system principal, transaction type JOB) and for admin
 * actions in the console (actor = the admin, transaction type WEB).
 */
import { eventUuid, requestId } from './ids';
import type { LogActor, LogEvent, LogOutcomeResult, LogSeverity, LogTarget } from './types';

export const SYSTEM_PRINCIPAL: LogActor = {
  id: 'system@okta.com',
  type: 'SystemPrincipal',
  alternateId: 'system@okta.com',
  displayName: 'Okta System',
};

export const CREDENTIAL_ERROR = 'The credentials used to connect to the API were invalid; please check your configuration';
/** What DocuSign's connector adds when DocuSign rejects the grant. */
const DOCUSIGN_ERROR = 'javax.ws.rs.BadRequestException: HTTP 400 Bad Request';
/** LogOutcome.reason is at most 255 characters; the full text stays in debugData. */
const REASON_MAX = 255;

export type ProvisioningEventType = 'application.provision.user.push' | 'application.provision.user.push_profile' | 'application.provision.user.deactivate';

const DISPLAY_MESSAGES: Record<string, string> = {
  'application.provision.user.push': 'Push new user to external application',
  'application.provision.user.push_profile': 'Push user profile update to external application',
  'application.provision.user.deactivate': 'Deactivate user in external application',
  'application.integration.authentication_failure': 'Authentication failure for integration',
  'application.lifecycle.update': 'Update application',
  'application.user_membership.add': 'Add user to application membership',
  'application.user_membership.remove': 'Remove user from application membership',
  'user.authentication.sso': 'User single sign on to app',
};

export interface AppRef {
  id: string;
  name: string;
  label: string;
}

export interface UserRef {
  id: string;
  login: string;
  displayName: string;
}

export function appTarget(app: AppRef): LogTarget {
  return { id: app.id, type: 'AppInstance', alternateId: app.label, displayName: app.label };
}

export function userTarget(user: UserRef): LogTarget {
  return { id: user.id, type: 'User', alternateId: user.login, displayName: user.displayName };
}

export function adminActor(user: UserRef): LogActor {
  return { id: user.id, type: 'User', alternateId: user.login, displayName: user.displayName };
}

/** The message Okta shows for a provisioning task that failed on the app's bad API credential. */
export function credentialFailureMessage(app: AppRef, user: UserRef): string {
  const base = `Automatic provisioning of user ${user.displayName} to app ${app.label} failed: ${CREDENTIAL_ERROR}`;
  return app.name === 'docusign' ? `${base}. ${DOCUSIGN_ERROR}` : base;
}

interface EventInput {
  eventType: string;
  actor: LogActor;
  result: LogOutcomeResult;
  reason?: string;
  target: LogTarget[];
  debugData?: Record<string, unknown>;
  at: Date;
}

function event(input: EventInput): LogEvent {
  const byAdmin = input.actor.type === 'User';
  const failed = input.result === 'FAILURE';
  const severity: LogSeverity = failed ? 'ERROR' : 'INFO';
  const e: LogEvent = {
    uuid: eventUuid(),
    published: input.at.toISOString(),
    eventType: input.eventType,
    version: '0',
    severity,
    displayMessage: DISPLAY_MESSAGES[input.eventType] ?? input.eventType,
    actor: input.actor,
    authenticationContext: { authenticationStep: 0, externalSessionId: byAdmin ? `102${requestId().slice(0, 22)}` : 'unknown' },
    outcome: input.reason ? { result: input.result, reason: input.reason.slice(0, REASON_MAX) } : { result: input.result },
    target: input.target,
    transaction: { type: byAdmin ? 'WEB' : 'JOB', id: requestId(), detail: {} },
    debugContext: { debugData: input.debugData ?? {} },
    request: { ipChain: byAdmin ? [{ ip: '127.0.0.1', version: 'V4' }] : [] },
  };
  if (byAdmin) {
    e.client = {
      userAgent: { rawUserAgent: 'Mozilla/5.0 (okta-sim admin console)', os: 'Unknown', browser: 'UNKNOWN' },
      device: 'Computer',
      ipAddress: '127.0.0.1',
    };
  }
  return e;
}

/** A provisioning job's outcome for one user in one app. */
export function provisioningEvent(eventType: ProvisioningEventType, app: AppRef, user: UserRef, failure: string | undefined, at: Date): LogEvent {
  return event({
    eventType,
    actor: SYSTEM_PRINCIPAL,
    result: failure ? 'FAILURE' : 'SUCCESS',
    reason: failure,
    target: [appTarget(app), userTarget(user)],
    debugData: failure ? { errorMessage: failure } : {},
    at,
  });
}

/** Okta's record that the app's integration credential was rejected by the vendor. */
export function authenticationFailureEvent(app: AppRef, at: Date): LogEvent {
  return event({
    eventType: 'application.integration.authentication_failure',
    actor: SYSTEM_PRINCIPAL,
    result: 'FAILURE',
    reason: CREDENTIAL_ERROR,
    target: [appTarget(app)],
    debugData: { errorMessage: CREDENTIAL_ERROR },
    at,
  });
}

/** A person signed in to the app through Okta: the events a big app logs by the thousand every day. */
export function signInEvent(app: AppRef, user: UserRef, at: Date): LogEvent {
  return event({ eventType: 'user.authentication.sso', actor: adminActor(user), result: 'SUCCESS', target: [appTarget(app), userTarget(user)], at });
}

/** An admin saved the app's provisioning settings (re-authenticated) in the console. */
export function appUpdatedEvent(app: AppRef, admin: UserRef, at: Date): LogEvent {
  return event({ eventType: 'application.lifecycle.update', actor: adminActor(admin), result: 'SUCCESS', target: [appTarget(app)], at });
}

export function membershipEvent(kind: 'add' | 'remove', app: AppRef, user: UserRef, admin: UserRef, at: Date): LogEvent {
  return event({
    eventType: `application.user_membership.${kind}`,
    actor: adminActor(admin),
    result: 'SUCCESS',
    target: [appTarget(app), userTarget(user)],
    at,
  });
}
