/** An app's provisioning failures from the System Log, newest first, read within a bound. */
import { appFailureFilter, eventMessage, failureKind, toProvisioningFailure, type LogEventLike, type ProvisioningFailure } from '../../domain/okta-events';
import type { OktaClient } from './client';
import { toActivityFailure } from './errors';

export interface AppFailures {
  failures: ProvisioningFailure[];
  /** Set when the read stopped at `maxEvents`: nothing older than this was read. */
  truncatedBefore?: string;
}

/**
 * The app's provisioning failures in [since, until], newest first: a bounded query, so the
 * iterator ends, and a read cut at maxEvents keeps the latest failures (the newest leavers among
 * them) and says where it stopped.
 */
export async function readAppFailures(okta: OktaClient, appId: string, window: { since: Date; until: Date; userId?: string; maxEvents: number; now?: Date }): Promise<AppFailures> {
  const what = `reading the System Log for app ${appId}`;
  const filter = window.userId ? `${appFailureFilter(appId)} and target.id eq "${window.userId}"` : appFailureFilter(appId);
  const failures: ProvisioningFailure[] = [];
  let read = 0;
  let truncatedBefore: string | undefined;
  try {
    const events = await okta.systemLogApi.listLogEvents({ since: window.since.toISOString(), until: window.until.toISOString(), filter, limit: 1000, sortOrder: 'DESCENDING' });
    await events.each((e) => {
      if (read === window.maxEvents) {
        truncatedBefore = new Date(e.published ?? 0).toISOString();
        return false;
      }
      read++;
      const f = toProvisioningFailure(e as LogEventLike);
      if (f && f.appId === appId) failures.push(f);
      return true;
    });
  } catch (err) {
    throw toActivityFailure(err, what, window.now);
  }
  return { failures, truncatedBefore };
}

/** Okta's record of one provisioning attempt for a user: what proves a re-push happened. */
export interface PushAttempt {
  userId: string;
  at: string;
  succeeded: boolean;
  message: string;
}

/**
 * Okta's push attempts (any outcome) for the app's users since `since`, newest first: the only
 * evidence that a POST of an unchanged profile made Okta try again.
 */
export async function readPushAttempts(okta: OktaClient, appId: string, window: { since: Date; until: Date; userId?: string; maxEvents: number; now?: Date }): Promise<PushAttempt[]> {
  const user = window.userId ? ` and target.id eq "${window.userId}"` : '';
  const filter = `eventType sw "application.provision.user." and target.id eq "${appId}"${user}`;
  const attempts: PushAttempt[] = [];
  let read = 0;
  try {
    const events = await okta.systemLogApi.listLogEvents({ since: window.since.toISOString(), until: window.until.toISOString(), filter, limit: 1000, sortOrder: 'DESCENDING' });
    await events.each((e) => {
      const event = e as LogEventLike;
      const person = event.target?.find((t) => t.type === 'User')?.id;
      if (failureKind(event.eventType ?? '') === 'push' && person) {
        attempts.push({ userId: person, at: new Date(event.published ?? 0).toISOString(), succeeded: event.outcome?.result === 'SUCCESS', message: eventMessage(event) });
      }
      return ++read < window.maxEvents;
    });
  } catch (err) {
    throw toActivityFailure(err, `reading the System Log for app ${appId}`, window.now);
  }
  return attempts;
}
