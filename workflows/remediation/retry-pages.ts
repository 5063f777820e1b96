/**
 * The retry of failed pushes a page of app users at a time: one request reads 100 users with
 * their syncState, one activity pushes those still failing and watches the page until each push
 * settles. About one request per user, a few history events per hundred users, and no payload
 * grows with the app. Whoever a page does not settle is left for the one-by-one retry (retry.ts).
 */
import { isCancellation } from '@temporalio/workflow';
import type { AffectedUser } from '../../domain/types';
import { failureMessage, isActivityFailure, listAppUsersPage, repushPage } from './activities';
import { despiteOutage } from './outage';
import { now, userKey, type Remediation } from './state';

/** App users per page: a page's results (about 40 KB) keep a page of the run's history under gRPC's 4 MB. */
export const RETRY_PAGE_SIZE = 100;

const time = (iso: string | undefined) => (iso ? Date.parse(iso) : 0);

/** App users per page for this remediation: its input's, at most RETRY_PAGE_SIZE. */
export const retryPageLimit = (r: Remediation) => Math.min(Math.max(1, Math.floor(r.input.retryPageSize ?? RETRY_PAGE_SIZE)), RETRY_PAGE_SIZE);

/** The remediation's login for an app user in ERROR; one who failed since the diagnosis joins the affected users. */
export function joinedLogin(r: Remediation, u: { userId: string; login: string }): string {
  const key = userKey({ kind: 'push', userId: u.userId });
  if (!r.user(key)) r.addAffected([{ userId: u.userId, login: u.login, displayName: u.login, kind: 'push', failedAt: now(), reason: 'Okta showed the app user in syncState ERROR during the retry.' }]);
  return r.user(key)!.login;
}

/** Settles a queued affected user whom Okta synchronized since their failure; false when that is not so. */
export function settledBySync(r: Remediation, u: { userId: string; lastSync?: string }): boolean {
  const key = userKey({ kind: 'push', userId: u.userId });
  const user = r.isQueued(key) ? r.user(key) : undefined;
  if (!user || !u.lastSync || time(u.lastSync) < time(user.failedAt)) return false;
  r.record({ userId: u.userId, login: user.login, kind: 'push', outcome: 'succeeded', detail: `Already synchronized at ${u.lastSync}.`, syncState: 'SYNCHRONIZED', at: now() });
  return true;
}

export async function repushInPages(r: Remediation): Promise<void> {
  const { appId } = r;
  const limit = retryPageLimit(r);
  let after: string | undefined;
  for (let n = 1; ; n++) {
    const page = await despiteOutage(r, () => listAppUsersPage(`Retry: read app users, page ${n}`, { appId, after, limit }));
    const due: AffectedUser[] = [];
    for (const u of page.users) {
      const key = userKey({ kind: 'push', userId: u.userId });
      if (u.syncState === 'ERROR') joinedLogin(r, u);
      if (!r.isQueued(key)) continue;
      if (u.syncState === 'SYNCHRONIZED' && settledBySync(r, u)) continue;
      due.push(r.takeKey(key)!);
    }
    if (due.length > 0) await repushDue(r, `page ${n}`, { after, limit }, due);
    after = page.next;
    if (!after) return;
  }
}

async function repushDue(r: Remediation, page: string, at: { after?: string; limit: number }, due: AffectedUser[]): Promise<void> {
  for (const u of due) r.inFlight.add(userKey(u));
  try {
    const { results } = await despiteOutage(r, () => repushPage(`Retry: re-push ${due.length} users of ${page}`, { appId: r.appId, ...at, userIds: due.map((u) => u.userId) }));
    const byId = new Map(results.map((x) => [x.userId, x]));
    for (const u of due) {
      const result = byId.get(u.userId);
      if (result) r.record({ ...result, login: u.login });
      else r.requeue(userKey(u)); // not on the page any more: looked at one by one
    }
  } catch (err) {
    // Their pushes may already be at Okta: say so, rather than list them as never tried.
    if (isCancellation(err)) {
      for (const u of due)
        r.record({
          userId: u.userId,
          login: u.login,
          kind: 'push',
          outcome: 'skipped',
          detail: `Cancelled while its re-push was in flight: Okta may still apply it; check ${u.login}'s syncState in Okta.`,
          at: now(),
        });
      throw err;
    }
    if (!isActivityFailure(err)) throw err;
    for (const u of due) r.record({ userId: u.userId, login: u.login, kind: 'push', outcome: 'still_failing', detail: `Gave up after repeated errors: ${failureMessage(err)}`, at: now() });
  } finally {
    for (const u of due) r.inFlight.delete(userKey(u));
  }
}
