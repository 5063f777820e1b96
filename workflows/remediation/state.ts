/**
 * The remediation's state and the few rules that change it: who is affected, who is handled, which
 * re-auth claims wait for verification. Every phase works on this one object. Users live in maps
 * and queues (constant work per user, whatever the app's size); what leaves the workflow (status,
 * notices, the result, the Web UI) is a bounded view with counts over everyone, and the full
 * report is read a page at a time.
 */
import { log, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { renderMarkdown } from '../../domain/report';
import type { CheckpointEntry, RemediationInput, ResumedRemediation } from '../../domain/messages';
import type { AffectedUser, AppPolicy, Diagnosis, FailureKind, Phase, ReauthClaim, RemediationStatus, Tally, UserReportPage, UserResult } from '../../domain/types';
import { AFFECTED_USERS, REMEDIATION_PHASE } from '../../domain/search-attributes';

export const userKey = (u: { kind: string; userId: string }) => `${u.kind}:${u.userId}`;
/** Deterministic inside workflows. */
export const now = () => new Date().toISOString();

/** Users a status or notice lists by name: all of a small app's, the first open ones of a big app's. */
export const LISTED_USERS = 100;
/** Users per page of the full report (`okta-remediate report`): about 100 KB. */
export const MAX_REPORT_PAGE = 250;
/** A diagnosis lists this many of its affected users; the workflow holds every one. */
const DIAGNOSIS_LISTED = 20;

/** The state every phase reads and writes; users and results are held apart, in maps. */
export type CoreStatus = Omit<RemediationStatus, 'affected' | 'results' | 'tally'>;
export type Remediation = ReturnType<typeof createRemediation>;

const emptyOutcomes = () => ({ succeeded: 0, still_failing: 0, skipped: 0, awaiting_approval: 0, needs_manual_retry: 0 });

export function createRemediation(input: RemediationInput) {
  const { appId } = input;
  const state: CoreStatus = { appId, phase: 'diagnosing', reauthClaims: [], notifications: [], startedAt: now(), phaseChangedAt: now() };
  const users = new Map<string, AffectedUser>();
  const results = new Map<string, UserResult>();
  /** Users to handle, by kind, in the order they joined: deprovisions go first. */
  const queue: Record<FailureKind, Set<string>> = { deprovision: new Set(), push: new Set() };
  const inFlight = new Set<string>();
  const tally: Tally = { affected: { push: 0, deprovision: 0 }, outcomes: { push: emptyOutcomes(), deprovision: emptyOutcomes() } };
  let indexed = '';
  /** Counts every change to the users, their results and the queue: a checkpoint is good only if none came while it filled. */
  let version = 0;

  const setResult = (key: string, result: UserResult | undefined) => {
    version++;
    const before = results.get(key);
    if (before) tally.outcomes[before.kind][before.outcome]--;
    if (result) {
      results.set(key, result);
      tally.outcomes[result.kind][result.outcome]++;
    } else results.delete(key);
  };

  /** The diagnosis with the first of its affected users: the workflow holds them all apart. */
  const listedDiagnosis = () => state.diagnosis && { ...state.diagnosis, affected: state.diagnosis.affected.slice(0, DIAGNOSIS_LISTED) };

  /** The status as it leaves the workflow: every user of a small app, the first open ones and failures of a big app. */
  const view = (): RemediationStatus => {
    const all = users.size <= LISTED_USERS;
    const listed = (list: AffectedUser[]) => (all ? list : list.filter((u) => results.get(userKey(u))?.outcome !== 'succeeded').slice(0, LISTED_USERS));
    const ordered = [...queue.deprovision, ...queue.push].map((k) => users.get(k)!);
    const handled = [...users.values()].filter((u) => !queue[u.kind].has(userKey(u)));
    const affected = all
      ? [...users.values()].sort((a, b) => Number(a.kind === 'push') - Number(b.kind === 'push'))
      : listed([...handled.filter((u) => u.kind === 'deprovision'), ...ordered, ...handled.filter((u) => u.kind === 'push')]);
    const withResult = affected.map((u) => results.get(userKey(u))).filter((x): x is UserResult => !!x);
    const view: RemediationStatus = { ...state, affected, results: withResult };
    if (state.diagnosis) view.diagnosis = listedDiagnosis();
    if (!all) view.tally = JSON.parse(JSON.stringify(tally)) as Tally;
    return view;
  };

  const r = {
    appId,
    input,
    state,
    policy: undefined as AppPolicy | undefined,
    results,
    inFlight,
    /** Logins (lower case) approved for removal at the vendor. */
    approved: new Set<string>(),
    /** Re-auth claims not yet verified, oldest first. */
    unverifiedClaims: [] as ReauthClaim[],
    /** Notices under way: the result is final only once they are delivered or given up. */
    notices: [] as Promise<unknown>[],
    snoozes: 0,
    /** Children that tell their outages by signal (child-outages.ts). */
    childrenRunning: 0,
    /** Batches of users handed to child workflows so far: their ids count up. */
    userBatches: 0,
    /** Checkpoints this run started (one dropped is not reused). */
    checkpointsTried: 0,
    view,
    affectedCount: () => users.size,
    version: () => version,
    earliestFailedAt: () => tally.earliestFailedAt,

    publish() {
      // Counts only: rendering never walks the users.
      setCurrentDetails(renderMarkdown({ ...state, affected: [], results: [], tally }));
      // One history event per real change, not per user result.
      const key = `${state.phase}/${users.size}`;
      if (key === indexed) return;
      indexed = key;
      upsertSearchAttributes([
        { key: REMEDIATION_PHASE, value: state.phase },
        { key: AFFECTED_USERS, value: users.size },
      ]);
    },
    enter(phase: Phase) {
      if (state.phase !== phase) log.info(`Remediation of app ${appId}: phase ${phase}`, { appId, phase, affected: users.size });
      state.phase = phase;
      state.phaseChangedAt = now();
      r.publish();
    },
    setDiagnosis(d: Diagnosis) {
      state.diagnosis = d;
      r.publish();
    },
    record(result: UserResult) {
      const key = userKey(result);
      queue[result.kind].delete(key);
      setResult(key, result);
      r.publish();
    },
    /** Hands a handled user back to the queue (an approval): its result stands until the new one. */
    requeue(key: string) {
      const u = users.get(key);
      if (u) queue[u.kind].add(key);
      version++;
    },
    addAffected(list: AffectedUser[]) {
      version++;
      for (const u of list) {
        const key = userKey(u);
        const known = users.get(key);
        if (!known) {
          users.set(key, u);
          tally.affected[u.kind]++;
          if (!tally.earliestFailedAt || u.failedAt < tally.earliestFailedAt) tally.earliestFailedAt = u.failedAt;
          queue[u.kind].add(key);
          continue;
        }
        // Failed again after we handled it (not a re-sent old failure): handle it once more.
        const result = results.get(key);
        if (result && result.outcome !== 'awaiting_approval' && u.failedAt > result.at && !inFlight.has(key)) {
          setResult(key, undefined);
          queue[u.kind].add(key);
        }
      }
    },
    /** The next user to handle of the given kinds (deprovisions first), taken off the queue. */
    take(kinds: readonly FailureKind[]): AffectedUser | undefined {
      for (const kind of kinds) {
        for (const key of queue[kind]) {
          queue[kind].delete(key);
          return users.get(key);
        }
      }
      return undefined;
    },
    /** The affected user under this key, if any. */
    user: (key: string) => users.get(key),
    isQueued: (key: string) => queue.push.has(key) || queue.deprovision.has(key),
    /** Takes a queued user off the queue to handle now (a page of re-pushes). */
    takeKey(key: string): AffectedUser | undefined {
      const u = users.get(key);
      if (!u || !queue[u.kind].delete(key)) return undefined;
      return u;
    },
    /** The first push not yet handled, left on the queue: the canary. */
    firstPending: () => {
      for (const key of queue.push) if (!inFlight.has(key)) return users.get(key);
      return undefined;
    },
    pending: (kinds: readonly FailureKind[]) => kinds.some((k) => queue[k].size > 0),
    deprovisionPending: () => queue.deprovision.size > 0,
    awaitingApproval: () => tally.outcomes.deprovision.awaiting_approval > 0,
    /** Users left for the admin's Retry Selected in Okta. */
    waitingForManualRetry: () => tally.outcomes.push.needs_manual_retry + tally.outcomes.deprovision.needs_manual_retry,
    isOver: () => ['completed', 'timed_out', 'failed', 'cancelled'].includes(state.phase),
    pushClaim(claim: ReauthClaim): ReauthClaim {
      state.reauthClaims.push(claim);
      return claim;
    },
    /** What the next run carries in its input: everything but the users, bounded. */
    carried(): Omit<ResumedRemediation, 'at' | 'checkpoint' | 'checkpointId' | 'pages'> {
      const diagnosis = listedDiagnosis();
      const unverified = r.unverifiedClaims.map((c) => state.reauthClaims.indexOf(c));
      return { state: { ...state, diagnosis }, policy: r.policy, unverifiedClaims: unverified, snoozes: r.snoozes, userBatches: r.userBatches };
    },
    /** Every user in the report's order, for the next run: pages of at most `size.users` users and about `size.bytes` bytes. */
    *checkpoint(size: { users: number; bytes: number }): Generator<CheckpointEntry[]> {
      let page: CheckpointEntry[] = [];
      let bytes = 0;
      for (const [key, user] of users) {
        const entry: CheckpointEntry = { user, result: results.get(key), queued: queue[user.kind].has(key), approved: r.approved.has(user.login.toLowerCase()) || undefined };
        const entryBytes = JSON.stringify(entry).length;
        if (page.length > 0 && (page.length === size.users || bytes + entryBytes > size.bytes)) {
          yield page;
          page = [];
          bytes = 0;
        }
        page.push(entry);
        bytes += entryBytes;
      }
      if (page.length > 0) yield page;
    },
    /** Takes up what the last run carried in its input. */
    resume(c: ResumedRemediation) {
      Object.assign(state, c.state);
      r.policy = c.policy;
      r.unverifiedClaims = c.unverifiedClaims.map((i) => state.reauthClaims[i]).filter((x) => !!x);
      r.snoozes = c.snoozes;
      r.userBatches = c.userBatches;
    },
    /**
     * Takes back a page of users from the checkpoint. A user a message added meanwhile keeps
     * their place, takes the result the last run recorded, and is handled again only if they
     * failed after it.
     */
    restore(entries: CheckpointEntry[]) {
      for (const { user, result, queued, approved } of entries) {
        const key = userKey(user);
        if (approved) r.approved.add(user.login.toLowerCase());
        const known = users.get(key);
        if (!known) r.addAffected([user]);
        if (result) setResult(key, result);
        if (!queued && !(known && result && known.failedAt > result.at)) queue[user.kind].delete(key);
      }
    },
    /** A page of the full report: every user in the order they joined, with their result. */
    page(after: number, limit: number): UserReportPage {
      const size = Math.max(1, Math.min(limit, MAX_REPORT_PAGE));
      const page: UserReportPage['users'] = [];
      let i = 0;
      for (const [key, user] of users) {
        if (i++ < after) continue;
        if (page.length === size) break;
        page.push({ user, result: results.get(key) });
      }
      const next = after + page.length;
      return { users: page, next: next < users.size ? String(next) : undefined, total: users.size };
    },
  };
  return r;
}
