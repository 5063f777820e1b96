/**
 * What Okta's System Log shows about an app since a moment: configuration and lifecycle changes
 * (who re-authenticated, for the audit) and successful pushes (the credential works again).
 */
import type { AppChange, OktaActivity } from '../../domain/types';
import type { OktaClient } from './client';
import { toActivityFailure } from './errors';

/** Okta logs an app's configuration and lifecycle changes under these event types. */
const CHANGE_EVENT = /^application\.(lifecycle\.|config)/;
const MAX_EVENTS = 5_000;

/** The app's configuration changes and successful pushes in [since, now]: a bounded query. */
export async function readOktaActivity(okta: OktaClient, appId: string, since: string, now: Date): Promise<OktaActivity> {
  const changes: AppChange[] = [];
  let successes = 0;
  let read = 0;
  try {
    const events = await okta.systemLogApi.listLogEvents({
      since,
      until: now.toISOString(), // bounded: a query without until never ends
      filter: `target.id eq "${appId}" and outcome.result eq "SUCCESS"`,
      limit: 1000,
    });
    await events.each((e) => {
      const type = e.eventType ?? '';
      const at = new Date(e.published ?? 0).toISOString();
      if (CHANGE_EVENT.test(type)) {
        changes.push({ eventType: type, actor: e.actor?.alternateId ?? e.actor?.displayName ?? e.actor?.id ?? 'unknown', at });
      } else if (type.startsWith('application.provision.user.')) {
        successes++;
      }
      return ++read < MAX_EVENTS;
    });
  } catch (err) {
    throw toActivityFailure(err, `reading the System Log for app ${appId}`, now);
  }
  return { changes, successfulPushes: successes };
}

export function createAuditActivities(deps: { okta: OktaClient; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return {
    async oktaActivitySince(input: { appId: string; since: string }): Promise<OktaActivity> {
      return readOktaActivity(deps.okta, input.appId, input.since, now());
    },
  };
}
