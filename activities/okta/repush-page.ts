/**
 * Re-push one page of an app's users: read the page (up to 500 app users, one request), POST back
 * the profile of each user Okta shows in ERROR, then re-read that same page until each push
 * settles. About one request per re-pushed user, against three for a GET, a POST and polls per
 * user. The result holds this page's users only, so it stays bounded whatever the app's size.
 */
import { checkpoint } from '../keep-alive';
import { Context } from '@temporalio/activity';
import type { UserResult } from '../../domain/types';
import type { OktaClient } from './client';
import { isNotFound, toActivityFailure } from './errors';
import { readPushAttempts } from './failures';
import { pushedAtOf, withoutSync } from './push-evidence';

/** Okta pages app users by at most 500. */
export const MAX_PAGE_SIZE = 500;

export interface RepushPageInput {
  appId: string;
  /** The cursor of this page (Okta's `after`); none for the first page. */
  after?: string;
  limit: number;
  /** Only these users of the page (those the remediation handles); default: every one in ERROR. */
  userIds?: string[];
}

/** An app user as a page lists it: enough to decide, a few dozen bytes. */
export interface PagedAppUser {
  userId: string;
  login: string;
  syncState?: string;
  lastSync?: string;
}

export interface AppUsersPage {
  users: PagedAppUser[];
  next?: string;
}

export interface RepushPageResult {
  /** The next page's cursor; none after the last page. */
  next?: string;
  /** App users on the page. */
  read: number;
  /** The page's users Okta showed in ERROR, and what became of each. */
  results: UserResult[];
}

interface AppUserLike {
  id?: string;
  syncState?: string;
  lastSync?: Date | string;
  lastUpdated?: Date | string;
  profile?: object;
  credentials?: { userName?: string };
}

interface Progress {
  /** When each user was pushed, by Okta's clock: a retry watches these instead of pushing again. */
  pushedAt: Record<string, string>;
}

export interface RepushPageDeps {
  okta: OktaClient;
  sync: { timeoutMs: number; pollMs: number };
  now?: () => Date;
}

const time = (d: Date | string | undefined) => (d ? new Date(d).getTime() : 0);

/** How Okta names an app user for the report: the app's username, else the user id. */
const loginOf = (u: AppUserLike) => u.credentials?.userName ?? u.id!;

export function createPageRepush(deps: RepushPageDeps) {
  const { okta } = deps;
  const now = deps.now ?? (() => new Date());

  async function readPage(input: RepushPageInput): Promise<{ users: AppUserLike[]; next?: string }> {
    const what = `listing users of app ${input.appId}`;
    try {
      const collection = await okta.applicationApi.listApplicationUsers({ appId: input.appId, after: input.after, limit: Math.min(input.limit, MAX_PAGE_SIZE) });
      // One page only: the SDK's Collection fetches the next page only when asked.
      const users = (await collection.getNextPage()) as AppUserLike[];
      const nextUri = (collection as unknown as { nextUri?: string }).nextUri;
      return { users, next: nextUri ? (new URL(nextUri).searchParams.get('after') ?? undefined) : undefined };
    } catch (err) {
      throw toActivityFailure(err, what, now());
    }
  }

  /** One page of the app's users, each with its syncState: one request for up to 500 users. */
  async function listAppUsersPage(input: Omit<RepushPageInput, 'userIds'>): Promise<AppUsersPage> {
    const page = await readPage(input);
    const users = page.users.filter((u) => u.id).map((u) => ({ userId: u.id!, login: loginOf(u), syncState: u.syncState, ...(u.lastSync ? { lastSync: new Date(u.lastSync).toISOString() } : {}) }));
    return { users, next: page.next };
  }

  async function repushPage(input: RepushPageInput): Promise<RepushPageResult> {
    const ctx = Context.current();
    const progress: Progress = { pushedAt: { ...((ctx.info.heartbeatDetails as Progress | undefined)?.pushedAt ?? {}) } };
    const first = await readPage(input);
    const wanted = input.userIds ? new Set(input.userIds) : undefined;
    // A user the remediation asked for is pushed unless Okta already shows them synchronized.
    const due = (u: AppUserLike) => (wanted ? wanted.has(u.id!) && u.syncState !== 'SYNCHRONIZED' : u.syncState === 'ERROR');
    const failing = first.users.filter((u) => u.id && (due(u) || progress.pushedAt[u.id]));
    const logins = new Map(failing.map((u) => [u.id!, loginOf(u)]));
    const results = new Map<string, UserResult>();
    const done = (userId: string, outcome: UserResult['outcome'], detail: string, syncState?: string) =>
      results.set(userId, { userId, login: logins.get(userId) ?? userId, kind: 'push', outcome, detail, syncState, at: now().toISOString() });

    for (const u of failing) {
      if (progress.pushedAt[u.id!]) continue; // pushed by an earlier attempt
      try {
        const requestedAt = now();
        const pushed = await okta.applicationApi.updateApplicationUser({ appId: input.appId, userId: u.id!, appUser: { profile: u.profile ?? {} } });
        progress.pushedAt[u.id!] = pushedAtOf(u.lastUpdated, pushed.lastUpdated, requestedAt).toISOString();
      } catch (err) {
        if (!isNotFound(err)) throw toActivityFailure(err, `pushing user ${u.id}`, now());
        done(u.id!, 'skipped', 'No longer assigned to the app in Okta (it answered 404 to the re-push); nothing to push.');
      }
      checkpoint(progress);
    }

    /** Okta's latest push attempt after our POST, for each of these users (one System Log read). */
    const attemptsAfterPush = async (users: AppUserLike[]) => {
      const since = Math.min(...users.map((u) => time(progress.pushedAt[u.id!])));
      const attempts = await readPushAttempts(okta, input.appId, { since: new Date(since), until: new Date(Date.now() + 60_000), maxEvents: 5 * MAX_PAGE_SIZE, now: now() });
      return new Map(users.map((u) => [u.id!, attempts.find((a) => a.userId === u.id && Date.parse(a.at) >= time(progress.pushedAt[u.id!]))]));
    };
    const deadline = Date.now() + deps.sync.timeoutMs;
    let page: AppUserLike[] = [];
    let errorsSeen = '';
    while (results.size < failing.length) {
      await ctx.sleep(deps.sync.pollMs);
      page = (await readPage(input)).users;
      const pending = failing.filter((u) => !results.has(u.id!));
      for (const u of pending) {
        const current = page.find((p) => p.id === u.id);
        if (!current) {
          done(u.id!, 'skipped', 'No longer assigned to the app in Okta; nothing to push.');
          continue;
        }
        if (current.syncState === 'SYNCHRONIZED' && current.lastSync && time(current.lastSync) >= time(progress.pushedAt[u.id!])) {
          done(u.id!, 'succeeded', `Okta synchronized the user at ${new Date(current.lastSync).toISOString()}.`, 'SYNCHRONIZED');
        }
      }
      const stateOf = (u: AppUserLike) => page.find((p) => p.id === u.id)?.syncState;
      if (Date.now() >= deadline) {
        // No sync seen in time: Okta's record of an attempt decides, and without one the admin retries (push-evidence.ts).
        const left = failing.filter((f) => !results.has(f.id!));
        const attempts = left.length > 0 ? await attemptsAfterPush(left) : new Map<string, undefined>();
        for (const u of left) {
          const settled = withoutSync(attempts.get(u.id!), stateOf(u), deps.sync.timeoutMs, input.appId);
          done(u.id!, settled.outcome, settled.detail, stateOf(u));
        }
        break;
      }
      const erroring = pending.filter((u) => !results.has(u.id!) && stateOf(u) === 'ERROR');
      const stamp = erroring.map((u) => `${u.id}@${String(page.find((p) => p.id === u.id)?.lastUpdated)}`).join(',');
      if (erroring.length > 0 && stamp !== errorsSeen) {
        // Trust ERROR only once Okta logged a failure after our push; read the log once per change.
        errorsSeen = stamp;
        const attempts = await attemptsAfterPush(erroring);
        for (const u of erroring) {
          const latest = attempts.get(u.id!);
          if (latest && !latest.succeeded) done(u.id!, 'still_failing', latest.message, 'ERROR');
        }
      }
      checkpoint(progress);
    }
    // A user asked for but not on the page now gets no result here: unassigned, or moved to another
    // page by a change to the list, the remediation looks at them one by one.
    const synced = first.users.filter((u) => wanted?.has(u.id!) && !failing.includes(u));
    const already = synced.map((u): UserResult => ({
      userId: u.id!,
      login: loginOf(u),
      kind: 'push',
      outcome: 'succeeded',
      detail: `Already synchronized at ${new Date(u.lastSync ?? now()).toISOString()}.`,
      syncState: 'SYNCHRONIZED',
      at: now().toISOString(),
    }));
    return { next: first.next, read: first.users.length, results: [...failing.map((u) => results.get(u.id!)!), ...already] };
  }

  return { listAppUsersPage, repushPage };
}

export type PageRepushActivities = ReturnType<typeof createPageRepush>;
