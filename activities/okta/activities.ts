/**
 * Activities that read and act on Okta. They are built from injected dependencies so tests swap
 * the client (or point it at the simulator), never the code path.
 */
import { checkpoint } from '../keep-alive';
import { Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { affectedPage, affectedUsers, diagnose, type ErrorAppUser } from '../../domain/diagnosis';
import type { AffectedUser, Diagnosis, UserResult } from '../../domain/types';
import type { AppConfig } from '../../config/app-config';
import { createAppReader } from './apps';
import { readAppFailures, readPushAttempts } from './failures';
import { pushedAtOf, withoutSync } from './push-evidence';
import { isNotFound, OKTA_NOT_FOUND, OKTA_UNAVAILABLE, toActivityFailure } from './errors';
import { getOktaJson, type OktaClient } from './client';

export interface OktaActivityDeps {
  okta: OktaClient;
  orgUrl: string;
  appConfig: AppConfig;
  lookbackHours: number;
  sync: { timeoutMs: number; pollMs: number };
  now?: () => Date;
  /** Upper bound on System Log events read per diagnosis (default MAX_DIAGNOSIS_EVENTS). */
  maxLogEvents?: number;
}

/** Upper bound on System Log events read per diagnosis: a week of a broken app fits many times over. */
export const MAX_DIAGNOSIS_EVENTS = 20_000;
/** Diagnoses whose affected users a worker keeps for their later pages. */
const AFFECTED_CACHE_ENTRIES = 20;

export interface RepushInput {
  appId: string;
  user: Pick<AffectedUser, 'userId' | 'login' | 'kind' | 'failedAt'>;
  /** The canary must prove the credential works, so it pushes even an already-synchronized user. */
  force?: boolean;
  /** For the canary: a sync at or after this time proves the credential too (the admin's Retry Selected after an earlier verification). */
  syncedSince?: string;
}

/** Users a recheck reads in one activity: its input and result stay near 40 KB. */
export const RECHECK_BATCH = 100;

/** A user left for Retry Selected, and since when Okta's evidence counts (their last result). */
export type RecheckUser = RepushInput['user'] & { since: string };

export function createOktaActivities(deps: OktaActivityDeps) {
  const now = deps.now ?? (() => new Date());
  const { okta } = deps;
  const { readApp } = createAppReader(deps);
  const maxEvents = deps.maxLogEvents ?? MAX_DIAGNOSIS_EVENTS;

  async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toActivityFailure(err, what, now());
    }
  }

  const failuresSince = (appId: string, since: Date, until: Date, userId?: string) => readAppFailures(okta, appId, { since, until, userId, maxEvents, now: now() });

  /**
   * Affected users of recent diagnoses, by app and window, so the pages after the first are not
   * read from Okta again. A worker that lacks it (restarted, or another one) reads them again.
   */
  const affectedCache = new Map<string, AffectedUser[]>();
  const cacheKey = (appId: string, window: { since: string; until: string }) => `${appId}|${window.since}|${window.until}`;
  const remember = (key: string, users: AffectedUser[]) => {
    affectedCache.delete(key);
    affectedCache.set(key, users);
    for (const old of affectedCache.keys()) if (affectedCache.size > AFFECTED_CACHE_ENTRIES) affectedCache.delete(old);
  };

  /** What Okta shows within the window: the failures in the System Log and the app users in ERROR. */
  async function readOktaState(appId: string, since: Date, until: Date) {
    const { failures, truncatedBefore } = await failuresSince(appId, since, until);
    const errorAppUsers: ErrorAppUser[] = [];
    const assignedUserIds = new Set<string>();
    const appUsers = await call(`listing users of app ${appId}`, () => okta.applicationApi.listApplicationUsers({ appId, limit: 500 }));
    await call(`listing users of app ${appId}`, () =>
      appUsers.each((u) => {
        if (!u.id) return;
        assignedUserIds.add(u.id);
        if (u.syncState === 'ERROR') {
          errorAppUsers.push({ userId: u.id, login: u.credentials?.userName ?? u.id, lastUpdated: u.lastUpdated ? new Date(u.lastUpdated).toISOString() : undefined });
        }
      }),
    );
    const window = { since: since.toISOString(), until: until.toISOString(), ...(truncatedBefore ? { truncatedBefore } : {}) };
    return { failures, errorAppUsers, assignedUserIds, window };
  }

  /**
   * The diagnosis. `paged`: with the first page of affected users, the workflow reads the rest with
   * affectedUsersPage; without (the frozen first workflow type), every affected user.
   */
  async function diagnoseApp(input: { appId: string; paged?: boolean }): Promise<Diagnosis> {
    const { app } = await readApp(input.appId);
    const until = now();
    const since = new Date(until.getTime() - deps.lookbackHours * 3_600_000);
    const seen = await readOktaState(input.appId, since, until);
    const diagnosis = diagnose({ app, ...seen, policy: deps.appConfig.policy(input.appId) });
    log.info('Diagnosed app', { appId: input.appId, causes: diagnosis.causes.map((c) => c.id), affected: diagnosis.affected.length });
    if (!input.paged) return diagnosis;
    remember(cacheKey(input.appId, seen.window), diagnosis.affected);
    const first = affectedPage(diagnosis.affected, undefined);
    const affectedByKind = { push: 0, deprovision: 0 };
    for (const u of diagnosis.affected) affectedByKind[u.kind]++;
    return { ...diagnosis, affected: first.users, affectedTotal: diagnosis.affected.length, affectedByKind, affectedNext: first.next };
  }

  /** The diagnosis's affected users after cursor `after`, a page at a time. */
  async function affectedUsersPage(input: { appId: string; window: { since: string; until: string }; after: string }): Promise<{ users: AffectedUser[]; next?: string }> {
    const key = cacheKey(input.appId, input.window);
    let all = affectedCache.get(key);
    if (!all) {
      const seen = await readOktaState(input.appId, new Date(input.window.since), new Date(input.window.until));
      all = affectedUsers(seen);
      remember(key, all);
    }
    return affectedPage(all, input.after);
  }

  /**
   * Re-trigger Okta's push for one user: read the app user, POST its profile back, and poll
   * syncState. Idempotent: a user already synchronized since the failure counts as done.
   */
  /** The re-push's outcome for this user, stamped now. */
  const resultFor =
    (user: RepushInput['user']) =>
    (outcome: UserResult['outcome'], detail: string, syncState?: string): UserResult => ({
      userId: user.userId,
      login: user.login,
      kind: user.kind,
      outcome,
      detail,
      syncState,
      at: now().toISOString(),
    });

  async function repushUser(input: RepushInput): Promise<UserResult> {
    const { appId, user } = input;
    const result = resultFor(user);
    if (user.kind === 'deprovision') {
      return result('skipped', 'Okta keeps no app user after a failed deprovision, so there is nothing to re-push: remove the person at the vendor (see the report).');
    }
    let appUser;
    try {
      appUser = await okta.applicationApi.getApplicationUser({ appId, userId: user.userId });
    } catch (err) {
      if (isNotFound(err)) return result('skipped', 'No longer assigned to the app in Okta; nothing to push.');
      throw toActivityFailure(err, `reading app user ${user.userId}`, now());
    }
    const lastSync = appUser.lastSync ? new Date(appUser.lastSync).getTime() : 0;
    if (!input.force && appUser.syncState === 'SYNCHRONIZED' && lastSync >= new Date(user.failedAt).getTime()) {
      return result('succeeded', `Already synchronized at ${new Date(lastSync).toISOString()}.`, 'SYNCHRONIZED');
    }
    if (input.syncedSince && appUser.syncState === 'SYNCHRONIZED' && lastSync >= Math.max(Date.parse(input.syncedSince), new Date(user.failedAt).getTime())) {
      return result('succeeded', `Okta synchronized the user at ${new Date(lastSync).toISOString()}, after ${input.syncedSince}.`, 'SYNCHRONIZED');
    }
    try {
      return await pushAndWatch(input, appUser);
    } catch (err) {
      // Unassigned while we pushed: nothing left to push (retrying would only spend Okta's budget).
      if (err instanceof ApplicationFailure && err.type === OKTA_NOT_FOUND) return result('skipped', `No longer assigned to the app in Okta (it answered 404 during the re-push); nothing to push.`);
      throw err;
    }
  }

  /**
   * POSTs the app user's profile back (once, across retries) and watches Okta's syncState. Only
   * Okta's evidence of an attempt after the POST settles the user (push-evidence.ts).
   */
  async function pushAndWatch(input: RepushInput, appUser: { profile?: object; lastUpdated?: Date | string }): Promise<UserResult> {
    const { appId, user } = input;
    const result = resultFor(user);
    const ctx = Context.current();
    // A retry of this activity watches the push its earlier attempt made instead of pushing again.
    const resumed = (ctx.info.heartbeatDetails as { pushedAt?: string } | undefined)?.pushedAt;
    let pushedAt: Date;
    let state: string | undefined;
    if (resumed) {
      pushedAt = new Date(resumed);
    } else {
      const requestedAt = now();
      const pushed = await call(`pushing user ${user.userId}`, () => okta.applicationApi.updateApplicationUser({ appId, userId: user.userId, appUser: { profile: appUser.profile ?? {} } }));
      // Okta's own clock marks the push when the POST changed the app user, so worker clock skew cannot confuse the comparisons below.
      pushedAt = pushedAtOf(appUser.lastUpdated, pushed.lastUpdated, requestedAt);
      state = pushed.syncState;
    }
    checkpoint({ pushedAt: pushedAt.toISOString() });
    /** Okta's latest push attempt for this user after our POST, if it logged one. */
    const attemptSincePush = async () =>
      (await readPushAttempts(okta, appId, { since: pushedAt, until: new Date(now().getTime() + 60_000), userId: user.userId, maxEvents: 100, now: now() })).find((a) => a.userId === user.userId);
    const deadline = Date.now() + deps.sync.timeoutMs;
    let errorSeenAt: string | undefined;
    while (Date.now() < deadline) {
      await ctx.sleep(deps.sync.pollMs);
      const current = await call(`reading app user ${user.userId}`, () => okta.applicationApi.getApplicationUser({ appId, userId: user.userId }));
      state = current.syncState;
      checkpoint({ pushedAt: pushedAt.toISOString(), syncState: state });
      const synced = current.lastSync ? new Date(current.lastSync) : undefined;
      if (state === 'SYNCHRONIZED' && synced && synced >= pushedAt) return result('succeeded', `Okta synchronized the user at ${synced.toISOString()}.`, state);
      const updated = String(current.lastUpdated ?? '');
      if (state === 'ERROR' && updated !== errorSeenAt) {
        // Read the System Log once per change of the app user, not on every poll (its rate limit is low).
        errorSeenAt = updated;
        // Trust ERROR only once Okta has logged a failure after our push; until then it may be stale.
        const attempt = await attemptSincePush();
        if (attempt && !attempt.succeeded) return result('still_failing', attempt.message, state);
      }
    }
    // The System Log can lag the app user: one last look for Okta's record of an attempt.
    const settled = withoutSync(await attemptSincePush(), state, deps.sync.timeoutMs, appId);
    return result(settled.outcome, settled.detail, state);
  }

  /**
   * Re-reads users left for the admin's Retry Selected (at most RECHECK_BATCH); pushes nothing.
   * Okta's evidence since each user's last result decides: a sync after their failure, or a push
   * event (one System Log read for the batch). Returns only the users whose outcome changed.
   */
  async function recheckUsers(input: { appId: string; users: RecheckUser[] }): Promise<{ changed: UserResult[]; unchanged: number }> {
    const { appId } = input;
    if (input.users.length > RECHECK_BATCH) throw ApplicationFailure.nonRetryable(`At most ${RECHECK_BATCH} users a recheck, not ${input.users.length}.`, 'OktaRejectedRequest');
    const changed: UserResult[] = [];
    const waiting: Array<{ user: RecheckUser; state?: string }> = [];
    for (const user of input.users) {
      const result = resultFor(user);
      let appUser;
      try {
        appUser = await okta.applicationApi.getApplicationUser({ appId, userId: user.userId });
      } catch (err) {
        if (!isNotFound(err)) throw toActivityFailure(err, `reading app user ${user.userId}`, now());
        changed.push(result('skipped', 'No longer assigned to the app in Okta; nothing to push.'));
        continue;
      }
      const lastSync = appUser.lastSync ? new Date(appUser.lastSync) : undefined;
      if (appUser.syncState === 'SYNCHRONIZED' && lastSync && lastSync.getTime() >= Date.parse(user.failedAt))
        changed.push(result('succeeded', `Okta synchronized the user at ${lastSync.toISOString()}.`, 'SYNCHRONIZED'));
      else waiting.push({ user, state: appUser.syncState });
    }
    if (waiting.length > 0) {
      const since = new Date(Math.min(...waiting.map((w) => Date.parse(w.user.since))));
      const attempts = await readPushAttempts(okta, appId, { since, until: new Date(now().getTime() + 60_000), maxEvents: 5 * RECHECK_BATCH, now: now() });
      for (const { user, state } of waiting) {
        // After their last result only: an attempt at that very moment is the one it already recorded.
        const attempt = attempts.find((a) => a.userId === user.userId && Date.parse(a.at) > Date.parse(user.since));
        if (!attempt) continue;
        const settled = withoutSync(attempt, state, deps.sync.timeoutMs, appId);
        changed.push(resultFor(user)(settled.outcome, settled.detail, state));
      }
    }
    return { changed, unchanged: input.users.length - changed.length };
  }

  /**
   * Whether Okta answers at all: one read of the app, for the checks of a paused phase. Any
   * answer counts (a 404 or a 429 is Okta answering); only 5xx, timeouts and no connection do not.
   */
  async function oktaAnswers(input: { appId: string }): Promise<{ answers: boolean; detail: string }> {
    try {
      await getOktaJson(okta, `${deps.orgUrl}/api/v1/apps/${encodeURIComponent(input.appId)}`);
      return { answers: true, detail: 'Okta answered' };
    } catch (err) {
      const f = toActivityFailure(err, 'Checking that Okta answers', now());
      if (f instanceof ApplicationFailure && f.type === OKTA_UNAVAILABLE) return { answers: false, detail: f.message };
      return { answers: true, detail: `Okta answered: ${(f as Error).message}` };
    }
  }

  return { diagnoseApp, affectedUsersPage, repushUser, recheckUsers, oktaAnswers };
}

export type OktaActivities = ReturnType<typeof createOktaActivities>;
