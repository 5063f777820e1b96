/**
 * What Okta's System Log shows about an app since a moment: configuration and lifecycle changes
 * (who re-authenticated, for the audit) and successful pushes (the credential works again).
 */
import type { AppChange, OktaActivity } from '../../domain/types';
import type { OktaClient } from './client';
import { toActivityFailure } from './errors';

/** Okta logs an app's configuration and lifecycle changes under these event types. */
const CHANGE_EVENT = /^application\.(lifecycle\.|config)/;
/**
 * Only the event types the audit needs: the app's changes and its successful pushes. Without this
 * filter an app's sign-ins (thousands a day on a big app) crowd out the one re-auth.
 */
const AUDIT_FILTER = (appId: string) =>
  `target.id eq "${appId}" and outcome.result eq "SUCCESS" and (eventType sw "application.lifecycle." or eventType sw "application.config" or eventType sw "application.provision.user.")`;
export const MAX_AUDIT_EVENTS = 5_000;

/**
 * The app's configuration changes (oldest first) and successful pushes in [since, now]: a bounded
 * query read newest first, so a read cut at MAX_AUDIT_EVENTS keeps the latest re-auth and says so.
 */
export async function readOktaActivity(okta: OktaClient, appId: string, since: string, now: Date, max = MAX_AUDIT_EVENTS): Promise<OktaActivity> {
  const changes: AppChange[] = [];
  let successes = 0;
  let read = 0;
  let cutAt: string | undefined;
  try {
    const events = await okta.systemLogApi.listLogEvents({
      since,
      // Bounded (a query without until never ends); Okta's until is exclusive, so one millisecond
      // past now keeps an event published in now's own millisecond.
      until: new Date(now.getTime() + 1).toISOString(),
      filter: AUDIT_FILTER(appId),
      sortOrder: 'DESCENDING',
      limit: 1000,
    });
    await events.each((e) => {
      const type = e.eventType ?? '';
      const at = new Date(e.published ?? 0).toISOString();
      if (read === max) {
        cutAt = at;
        return false;
      }
      read++;
      if (CHANGE_EVENT.test(type)) {
        changes.push({ eventType: type, actor: e.actor?.alternateId ?? e.actor?.displayName ?? e.actor?.id ?? 'unknown', at });
      } else if (type.startsWith('application.provision.user.')) {
        successes++;
      }
      return true;
    });
  } catch (err) {
    throw toActivityFailure(err, `reading the System Log for app ${appId}`, now);
  }
  return { changes: changes.reverse(), successfulPushes: successes, ...(cutAt ? { truncatedBefore: cutAt } : {}) };
}

export function createAuditActivities(deps: { okta: OktaClient; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return {
    async oktaActivitySince(input: { appId: string; since: string }): Promise<OktaActivity> {
      return readOktaActivity(deps.okta, input.appId, input.since, now());
    },
  };
}
