/**
 * The scanner's rules: which System Log window a scan reads, which failures start or join an
 * app's remediation and which are only counted, and what the next scan continues from. Pure, so
 * the scan workflow decides with them and the unit tests check them without a server.
 */
import type { ProvisioningFailure } from './okta-events';
import type { AffectedUser, RemediationStatus } from './types';

export interface ScanSettings {
  /** How far back the first scan reads; no scan reads further back than this. */
  lookbackSeconds: number;
  /** How far each window reaches back before the watermark: Okta may publish an event late. */
  overlapSeconds: number;
  /** How far each window stays behind now: the newest seconds are not complete yet. */
  lagSeconds: number;
  /** At most this many events per scan: about 0.5 kB each, so the activity's result stays well under Temporal's 2 MB payload limit. */
  maxEvents: number;
}

export const DEFAULT_SCAN_SETTINGS: ScanSettings = {
  lookbackSeconds: 24 * 3600,
  overlapSeconds: 120,
  lagSeconds: 10,
  maxEvents: 1000,
};

/** Event ids kept for the overlap: enough for a storm of failures, small enough for a payload. */
export const MAX_SEEN = 5000;

/** What one scan hands to the next (through the Schedule's last completion result). */
export interface ScanState {
  /** Everything published before this instant (ISO) has been read. */
  watermark: string;
  /** Events already processed that the next window reads again (published within the overlap). */
  seen: Array<{ id: string; at: string }>;
  /**
   * The last scan stopped at the event cap: the next one continues at the watermark itself, as
   * re-reading the overlap could return only events already seen and never move on.
   */
  behind?: boolean;
}

export interface ScanWindow {
  since: string;
  until: string;
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

/** The window a scan reads: from the watermark less the overlap (bounded by the lookback) up to now less the lag. */
export function scanWindow(previous: ScanState | undefined, nowMs: number, s: ScanSettings): ScanWindow {
  const until = nowMs - s.lagSeconds * 1000;
  const floor = until - s.lookbackSeconds * 1000;
  const overlap = previous?.behind ? 0 : s.overlapSeconds * 1000;
  const since = previous ? Math.max(Date.parse(previous.watermark) - overlap, floor) : floor;
  return { since: new Date(Math.min(since, until)).toISOString(), until: new Date(until).toISOString() };
}

/** The previous scan's state from a Schedule's last completion result, if it is one. */
export function scanStateFrom(lastResult: unknown): ScanState | undefined {
  const state = (lastResult as { state?: Partial<ScanState> } | undefined)?.state;
  if (!state || typeof state.watermark !== 'string' || Number.isNaN(Date.parse(state.watermark)) || !Array.isArray(state.seen)) return undefined;
  return { watermark: state.watermark, seen: state.seen.filter((e) => typeof e?.id === 'string' && typeof e.at === 'string'), behind: state.behind === true };
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
 * starts from. `truncated` means the read stopped at the event cap: the watermark then stops at
 * the last event read, and the next scan continues from there.
 */
export function planScan(input: {
  failures: ProvisioningFailure[];
  previous?: ScanState;
  window: ScanWindow;
  truncated: boolean;
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

  const lastRead = input.failures.reduce((max, f) => (f.at > max ? f.at : max), '');
  const reached = input.truncated && lastRead ? lastRead : input.window.until;
  // Never move back: a read truncated within the overlap ends before the previous watermark.
  const previous = input.previous?.watermark;
  const watermark = previous && Date.parse(previous) > Date.parse(reached) ? previous : reached;
  const keepFrom = Date.parse(watermark) - input.overlapSeconds * 1000;
  const seen = [...(input.previous?.seen ?? []), ...fresh.map((f) => ({ id: f.eventId, at: f.at }))]
    .filter((e) => Date.parse(e.at) >= keepFrom)
    .sort((a, b) => a.at.localeCompare(b.at))
    .slice(-(input.maxSeen ?? MAX_SEEN));

  return {
    newEvents: fresh.length,
    duplicates: input.failures.length - fresh.length,
    apps: [...apps.values()]
      .map(({ byUser, byCategory, ...app }) => ({ ...app, users: [...byUser.values()].sort(byKindThenLogin), other: [...byCategory.values()] }))
      .sort((a, b) => Number(b.credentialEvents > 0) - Number(a.credentialEvents > 0) || a.appLabel.localeCompare(b.appLabel)),
    state: { watermark, seen, behind: input.truncated },
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
  window: ScanWindow;
  truncated: boolean;
  eventsRead: number;
  newEvents: number;
  duplicates: number;
  apps: AppScanResult[];
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
