/**
 * The scanner's rules: where a scan starts reading the System Log, which failures start or join an
 * app's remediation and which are only counted, what the next scan continues from, and when a
 * failing scanner tells someone. Pure, so the scan workflow decides with them and the unit tests
 * check them without a server.
 */
import type { ProvisioningFailure } from './okta-events';
import type { AffectedUser, NotificationRecord, RemediationStatus } from './types';

export interface ScanSettings {
  /** How far back the very first scan reads; later scans go on from Okta's cursor, however long ago. */
  lookbackSeconds: number;
  /** Moving from a watermark (a state saved before the cursor) to the cursor: re-read this much before it. */
  overlapSeconds: number;
  /** Unused since scans poll with Okta's cursor (nothing is "not complete yet"); kept so existing schedules and scripts work. */
  lagSeconds: number;
  /** At most this many events per scan: about 0.5 kB each, so the activity's result stays well under Temporal's 2 MB payload limit. */
  maxEvents: number;
  /**
   * Failed scans in a row before anyone is told, then again at 2x, 4x... that many. Default 1: a
   * failed scan has already outlived a minute of retries (a blip does not fail it), and while the
   * scanner is blind, failed deprovisions leave people with access. The doubling keeps a long
   * outage to a handful of notices (at a scan every 5 minutes, 9 a day).
   */
  notifyAfterFailures: number;
}

export const DEFAULT_SCAN_SETTINGS: ScanSettings = {
  lookbackSeconds: 24 * 3600,
  overlapSeconds: 120,
  lagSeconds: 10,
  maxEvents: 1000,
  notifyAfterFailures: 1,
};

/** Event ids kept for the overlap: enough for a storm of failures, small enough for a payload. */
export const MAX_SEEN = 5000;

/**
 * Okta returns no System Log event older than 90 days ("Data retention" in Okta's System Log API
 * reference, https://developer.okta.com/docs/reference/api/system-log/#data-retention).
 */
export const OKTA_LOG_RETENTION_MS = 90 * 86_400_000;
/**
 * A query without `since` gets "7 days prior to until" (listLogEvents in Okta's API description,
 * contracts/okta): a cursor older than about that must say `since`, or Okta drops what came before.
 */
const OKTA_DEFAULT_SINCE_MS = 6 * 86_400_000; // a day's margin under Okta's 7
/** Okta's cursors are short; anything longer is not one of them. */
const MAX_CURSOR = 512;

/** What one scan hands to the next (through the Schedule's last completion result). */
export interface ScanState {
  /** Okta's polling cursor: the `after` of the last page's next link. Reads go on from here. */
  cursor?: string;
  /** For the report: the newest `published` read so far. Decides what is read only for a state saved before the cursor. */
  watermark?: string;
  /** When the log was last read (the workflow's clock): how old the cursor is. */
  readAt?: string;
  /** Events already processed that a read from the watermark less the overlap reads again. */
  seen: Array<{ id: string; at: string }>;
  /** Scans that failed in a row since the last good one, and since when. */
  failedScans?: number;
  failingSince?: string;
}

/** Where a read starts: Okta's cursor, or a time (the first scan, a pre-cursor watermark, a gap). */
export interface ReadStart {
  after?: string;
  since?: string;
}

/** Part of the System Log Okta no longer holds, so no scan can read it. */
export interface ScanGap {
  from: string;
  to: string;
}

/** Failures Okta records for other reasons: counted and reported, never remediated. */
export const OTHER_CATEGORIES = ['rate_limit', 'user_not_found', 'conflict', 'credential_not_user', 'other'] as const;
export type OtherCategory = (typeof OTHER_CATEGORIES)[number];

export interface OtherFailures {
  category: OtherCategory;
  count: number;
  /** One of Okta's messages, for the report. */
  example: string;
}

export interface AppFindings {
  appId: string;
  appLabel: string;
  /** New credential failures on pushes and deprovisions, one entry per user and kind (the latest). */
  users: AffectedUser[];
  credentialEvents: number;
  other: OtherFailures[];
}

export interface ScanPlan {
  newEvents: number;
  duplicates: number;
  /** Apps with new failures, those with credential failures first. */
  apps: AppFindings[];
  state: ScanState;
}

/**
 * Where the next read starts. The lookback applies to the very first scan only: after that a scan
 * goes on from the cursor, however long ago it was saved, so nothing in between is skipped; only
 * what Okta no longer holds is lost, and that is reported as a gap.
 */
export function readStart(previous: ScanState | undefined, nowMs: number, s: Pick<ScanSettings, 'lookbackSeconds' | 'overlapSeconds'>): ReadStart & { gap?: ScanGap } {
  const retained = nowMs - OKTA_LOG_RETENTION_MS;
  const iso = (ms: number) => new Date(ms).toISOString();
  const last = previous?.readAt ?? previous?.watermark;
  if (!last) return { since: iso(Math.max(nowMs - s.lookbackSeconds * 1000, retained)) };
  const lastMs = Date.parse(last);
  if (lastMs < retained) return { since: iso(retained), gap: { from: last, to: iso(retained) } };
  if (previous?.cursor) return lastMs < nowMs - OKTA_DEFAULT_SINCE_MS ? { after: previous.cursor, since: iso(retained) } : { after: previous.cursor };
  // A state saved before the cursor: from its watermark, re-reading the overlap (skipped by id).
  const resume = previous?.watermark ?? last;
  return { since: iso(Math.max(Date.parse(resume) - s.overlapSeconds * 1000, retained)) };
}

const isTime = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v));

/** The previous scan's state from a Schedule's last completion result, if it is one. */
export function scanStateFrom(lastResult: unknown): ScanState | undefined {
  const state = (lastResult as { state?: Record<string, unknown> } | undefined)?.state;
  if (!state || typeof state !== 'object' || !Array.isArray(state.seen)) return undefined;
  const seen = (state.seen as Array<{ id?: unknown; at?: unknown }>).filter((e): e is ScanState['seen'][number] => typeof e?.id === 'string' && typeof e.at === 'string');
  const out: ScanState = { seen };
  if (typeof state.cursor === 'string' && state.cursor.length > 0 && state.cursor.length <= MAX_CURSOR) out.cursor = state.cursor;
  if (isTime(state.watermark)) out.watermark = state.watermark;
  if (isTime(state.readAt)) out.readAt = state.readAt;
  if (typeof state.failedScans === 'number' && Number.isInteger(state.failedScans) && state.failedScans > 0) {
    out.failedScans = state.failedScans;
    if (isTime(state.failingSince)) out.failingSince = state.failingSince;
  }
  return out;
}

/** Notify on the Nth failed scan in a row, then the 2Nth, 4Nth...: told early, never flooded. */
export function failureNoticeDue(failedScans: number, notifyAfter: number): boolean {
  const n = Math.max(1, Math.floor(notifyAfter));
  if (failedScans < n || failedScans % n !== 0) return false;
  const ratio = failedScans / n;
  return (ratio & (ratio - 1)) === 0;
}

/** A good scan after a streak that was announced says so once. */
export function recoveryNoticeDue(previous: ScanState | undefined, notifyAfter: number): boolean {
  return (previous?.failedScans ?? 0) >= Math.max(1, Math.floor(notifyAfter));
}

/** A failed scan keeps the previous state (its cursor, so nothing is skipped) and counts the streak. */
export function failedScanState(previous: ScanState | undefined, nowIso: string): ScanState {
  const base = previous ?? { seen: [] };
  return { ...base, failedScans: (base.failedScans ?? 0) + 1, failingSince: base.failingSince ?? nowIso };
}

function otherCategory(f: ProvisioningFailure): OtherCategory {
  if (f.credentialError) return 'credential_not_user';
  if (/rate.?limit|too many requests|\b429\b/i.test(f.message)) return 'rate_limit';
  if (/not found|does not exist|no such user|\b404\b/i.test(f.message)) return 'user_not_found';
  if (/already exists|conflict|duplicate|\b409\b/i.test(f.message)) return 'conflict';
  return 'other';
}

/** A credential failure on a user's push or deprovision: what a remediation repairs. */
function isRemediable(f: ProvisioningFailure): boolean {
  return f.credentialError && f.kind !== 'other' && f.userId !== undefined;
}

/**
 * Drops events already processed, groups the rest by app, and computes the state the next scan
 * starts from: the read's cursor, and the newest `published` read (never moving back).
 */
export function planScan(input: {
  failures: ProvisioningFailure[];
  previous?: ScanState;
  /** Where the read stopped (Okta's cursor), and when it read (the workflow's clock). */
  cursor?: string;
  readAt: string;
  overlapSeconds: number;
  maxSeen?: number;
}): ScanPlan {
  const seenIds = new Set(input.previous?.seen.map((e) => e.id));
  const fresh: ProvisioningFailure[] = [];
  for (const f of input.failures) {
    if (seenIds.has(f.eventId)) continue;
    seenIds.add(f.eventId);
    fresh.push(f);
  }

  const apps = new Map<string, AppFindings & { byUser: Map<string, AffectedUser>; byCategory: Map<OtherCategory, OtherFailures> }>();
  for (const f of fresh) {
    let app = apps.get(f.appId);
    if (!app) {
      app = { appId: f.appId, appLabel: f.appLabel ?? f.appId, users: [], credentialEvents: 0, other: [], byUser: new Map(), byCategory: new Map() };
      apps.set(f.appId, app);
    }
    if (isRemediable(f)) {
      app.credentialEvents++;
      const key = `${f.kind}:${f.userId}`;
      const known = app.byUser.get(key);
      if (!known || known.failedAt < f.at) {
        app.byUser.set(key, {
          userId: f.userId!,
          login: f.login ?? f.userId!,
          displayName: f.displayName ?? f.login ?? f.userId!,
          kind: f.kind as AffectedUser['kind'],
          failedAt: f.at,
          reason: f.message,
        });
      }
      continue;
    }
    const category = otherCategory(f);
    const counted = app.byCategory.get(category);
    if (counted) counted.count++;
    else app.byCategory.set(category, { category, count: 1, example: f.message });
  }

  // Late events are read too (the cursor follows persistence), so the newest is not the last one.
  const watermark = [input.previous?.watermark, ...input.failures.map((f) => f.at)].reduce<string | undefined>((max, at) => (at && (!max || Date.parse(at) > Date.parse(max)) ? at : max), undefined);
  const keepFrom = watermark ? Date.parse(watermark) - input.overlapSeconds * 1000 : -Infinity;
  const seen = [...(input.previous?.seen ?? []), ...fresh.map((f) => ({ id: f.eventId, at: f.at }))]
    .filter((e) => Date.parse(e.at) >= keepFrom)
    .sort((a, b) => a.at.localeCompare(b.at))
    .slice(-(input.maxSeen ?? MAX_SEEN));
  const state: ScanState = { cursor: input.cursor ?? input.previous?.cursor, watermark, readAt: input.readAt, seen };

  return {
    newEvents: fresh.length,
    duplicates: input.failures.length - fresh.length,
    apps: [...apps.values()]
      .map(({ byUser, byCategory, ...app }) => ({ ...app, users: [...byUser.values()].sort(byKindThenLogin), other: [...byCategory.values()] }))
      .sort((a, b) => Number(b.credentialEvents > 0) - Number(a.credentialEvents > 0) || a.appLabel.localeCompare(b.appLabel)),
    state: JSON.parse(JSON.stringify(state)) as ScanState, // no undefined keys in the payload
  };
}

const byKindThenLogin = (a: AffectedUser, b: AffectedUser) => a.kind.localeCompare(b.kind) || a.login.localeCompare(b.login);

export interface AppScanResult {
  appId: string;
  appLabel: string;
  credentialEvents: number;
  /** Users whose push, or deprovision, failed on the credential. */
  pushes: number;
  deprovisions: number;
  other: OtherFailures[];
  /** The remediation the credential failures went to ('handled': a completed one already handled them all). */
  remediation?: { workflowId: string; runId: string; action: 'started' | 'joined' | 'handled' };
}

/** The scan workflow's result: the report, and the state the next scheduled scan continues from. */
export interface ScanResult {
  /** Where this scan's read started. */
  start: ReadStart;
  /** The read stopped at the event cap: more may be waiting, and the next scan catches up from the cursor. */
  truncated: boolean;
  eventsRead: number;
  newEvents: number;
  duplicates: number;
  apps: AppScanResult[];
  /** Part of the log Okta no longer held when this scan started: failures in it were never read. */
  gap?: ScanGap;
  /** The log could not be read, or its failures not handed over: the state is the previous one's (nothing skipped). */
  failure?: { error: string; at: string };
  /** The notice about the scanner this scan sent (failing, or recovered), and where it went. */
  notice?: NotificationRecord;
  state: ScanState;
}

/**
 * The users a closed remediation did not handle. A completed remediation handled a user when it
 * recorded a result for them and their failure is older than its verified re-auth: such a failure
 * re-read from the System Log (a lost watermark, a lookback reaching back) starts nothing new. A
 * failure after that re-auth, or a user it never saw, is new. A remediation that gave up, failed or
 * was cancelled fixed nothing, so every user is new to it.
 */
export function notHandledBy(closed: RemediationStatus | undefined, users: AffectedUser[]): AffectedUser[] {
  const reauthAt = closed?.phase === 'completed' ? closed.reauthClaims.find((c) => c.verified)?.at : undefined;
  if (!closed || !reauthAt) return users;
  const handled = new Set(closed.results.map((r) => `${r.kind}:${r.userId}`));
  return users.filter((u) => !(handled.has(`${u.kind}:${u.userId}`) && u.failedAt <= reauthAt));
}
