/** The scanner's rules, without a server: where a read starts, grouping, de-duplication, the state, failed scans. */
import type { ProvisioningFailure } from '../../domain/okta-events';
import { failedScanState, failureNoticeDue, notHandledBy, OKTA_LOG_RETENTION_MS, planScan, readStart, recoveryNoticeDue, scanStateFrom, type ScanResult, type ScanSettings } from '../../domain/scan';
import { renderScanMarkdown, renderScanText } from '../../domain/scan-report';
import type { AffectedUser, RemediationStatus } from '../../domain/types';

const CREDENTIAL = 'Automatic provisioning of user X to app Y failed: The credentials used to connect to the API were invalid; please check your configuration';
const settings: ScanSettings = { lookbackSeconds: 3600, overlapSeconds: 60, lagSeconds: 10, maxEvents: 100, notifyAfterFailures: 1 };
const at = (iso: string) => new Date(`2025-01-01T${iso}Z`).toISOString();
const DAY = 86_400_000;

let seq = 0;
function failure(over: Partial<ProvisioningFailure> & { appId: string }): ProvisioningFailure {
  seq += 1;
  return {
    eventId: `evt-${seq}`,
    eventType: 'application.provision.user.push',
    kind: 'push',
    appLabel: over.appId === 'app-ds' ? 'DocuSign' : 'GitHub',
    userId: `u${seq}`,
    login: `user${seq}@example.com`,
    at: at('10:00:00'),
    message: CREDENTIAL,
    credentialError: true,
    ...over,
  };
}

const readAt = at('10:05:00');

describe('readStart', () => {
  const now = Date.parse(at('10:05:00'));

  it('reads the lookback on the first scan only, then goes on from the cursor however long ago it was saved', () => {
    expect(readStart(undefined, now, settings)).toEqual({ since: at('09:05:00') });
    expect(readStart({ seen: [], failedScans: 3 }, now, settings)).toEqual({ since: at('09:05:00') }); // failed before any read
    expect(readStart({ cursor: 'c1', readAt: at('10:00:00'), seen: [] }, now, settings)).toEqual({ after: 'c1' });
    // A weekend without scans: far beyond the lookback, nothing skipped.
    expect(readStart({ cursor: 'c1', readAt: new Date(now - 3 * DAY).toISOString(), seen: [] }, now, settings)).toEqual({ after: 'c1' });
  });

  it("says `since` with a cursor older than Okta's default of 7 days, so Okta does not drop what came before", () => {
    expect(readStart({ cursor: 'c1', readAt: new Date(now - 10 * DAY).toISOString(), seen: [] }, now, settings)).toEqual({ after: 'c1', since: new Date(now - OKTA_LOG_RETENTION_MS).toISOString() });
  });

  it('moves a state saved before the cursor on from its watermark less the overlap, however old', () => {
    expect(readStart({ watermark: at('10:00:00'), seen: [] }, now, settings)).toEqual({ since: at('09:59:00') });
    const weekAgo = new Date(now - 7 * DAY);
    expect(readStart({ watermark: weekAgo.toISOString(), seen: [] }, now, settings)).toEqual({ since: new Date(weekAgo.getTime() - 60_000).toISOString() });
  });

  it('reports a gap when the state is older than Okta keeps its log, and reads all Okta still has', () => {
    const retained = new Date(now - OKTA_LOG_RETENTION_MS).toISOString();
    const old = new Date(now - 100 * DAY).toISOString();
    expect(readStart({ cursor: 'c1', readAt: old, watermark: old, seen: [] }, now, settings)).toEqual({ since: retained, gap: { from: old, to: retained } });
    expect(readStart({ watermark: old, seen: [] }, now, settings)).toEqual({ since: retained, gap: { from: old, to: retained } });
  });
});

describe('planScan', () => {
  const plan = (failures: ProvisioningFailure[], over: Partial<Parameters<typeof planScan>[0]> = {}) => planScan({ failures, readAt, cursor: 'c2', overlapSeconds: 60, ...over });

  it('groups credential failures by app, one entry per user and kind with the latest failure', () => {
    const p = plan([
      failure({ appId: 'app-gh', userId: 'u-a', at: at('10:00:00') }),
      failure({ appId: 'app-ds', userId: 'u-a', at: at('10:01:00') }),
      failure({ appId: 'app-ds', userId: 'u-a', at: at('10:02:00'), message: `${CREDENTIAL} (again)` }),
      failure({ appId: 'app-ds', userId: 'u-b', kind: 'deprovision', eventType: 'application.provision.user.deactivate' }),
    ]);
    expect(p.apps.map((a) => [a.appId, a.credentialEvents, a.users.map((u) => `${u.kind}:${u.userId}`)])).toEqual([
      ['app-ds', 3, ['deprovision:u-b', 'push:u-a']],
      ['app-gh', 1, ['push:u-a']],
    ]);
    expect(p.apps[0]!.users.find((u) => u.userId === 'u-a')).toMatchObject({ failedAt: at('10:02:00'), reason: `${CREDENTIAL} (again)` });
  });

  it('counts other errors by kind and never turns them into users to remediate', () => {
    const p = plan([
      failure({ appId: 'app-gh', message: 'Rate limit exceeded', credentialError: false }),
      failure({ appId: 'app-gh', message: 'Rate limit exceeded', credentialError: false }),
      failure({ appId: 'app-gh', message: 'User not found', credentialError: false }),
      failure({ appId: 'app-gh', message: 'Something else', credentialError: false }),
      failure({ appId: 'app-gh', kind: 'other', eventType: 'application.provision.user.import' }),
    ]);
    expect(p.apps).toEqual([
      expect.objectContaining({
        users: [],
        credentialEvents: 0,
        other: [
          { category: 'rate_limit', count: 2, example: 'Rate limit exceeded' },
          { category: 'user_not_found', count: 1, example: 'User not found' },
          { category: 'other', count: 1, example: 'Something else' },
          { category: 'credential_not_user', count: 1, example: CREDENTIAL },
        ],
      }),
    ]);
  });

  it('moving from a watermark state, skips what it processed and keeps only ids a re-read would meet', () => {
    const old = failure({ appId: 'app-ds', at: at('09:30:00') });
    const inOverlap = failure({ appId: 'app-ds', at: at('10:04:30') });
    const fresh = failure({ appId: 'app-ds', at: at('10:04:40') });
    const previous = {
      watermark: at('10:04:50'),
      seen: [
        { id: old.eventId, at: old.at },
        { id: inOverlap.eventId, at: inOverlap.at },
      ],
    };
    const p = plan([inOverlap, fresh, fresh], { previous });
    expect(p).toMatchObject({ newEvents: 1, duplicates: 2 });
    expect(p.apps[0]!.users.map((u) => u.userId)).toEqual([fresh.userId]);
    expect(p.state).toEqual({
      cursor: 'c2',
      watermark: at('10:04:50'),
      readAt,
      seen: [
        { id: inOverlap.eventId, at: inOverlap.at },
        { id: fresh.eventId, at: fresh.at },
      ],
    });
  });

  it("keeps the read's cursor; the watermark is the newest published read, never moving back for a late event", () => {
    const late = failure({ appId: 'app-ds', at: at('08:00:00') });
    expect(plan([late], { previous: { cursor: 'c1', watermark: at('10:00:00'), seen: [] } }).state).toMatchObject({ cursor: 'c2', watermark: at('10:00:00') });
    expect(plan([late]).state.watermark).toBe(at('08:00:00'));
    // Nothing new read: the old cursor and watermark stay.
    expect(plan([], { cursor: undefined, previous: { cursor: 'c1', watermark: at('10:00:00'), seen: [] } }).state).toMatchObject({ cursor: 'c1', watermark: at('10:00:00'), readAt });
  });

  it('a good scan ends the failure streak', () => {
    const p = plan([], { previous: { cursor: 'c1', seen: [], failedScans: 4, failingSince: at('09:00:00') } });
    expect(p.state).toEqual({ cursor: 'c2', readAt, seen: [] });
  });

  it('bounds the ids it keeps', () => {
    const failures = Array.from({ length: 10 }, (_, i) => failure({ appId: 'app-ds', at: at(`10:04:0${i}`) }));
    const p = plan(failures, { overlapSeconds: 600, maxSeen: 3 });
    expect(p.state.seen.map((s) => s.id)).toEqual(failures.slice(-3).map((f) => f.eventId));
  });
});

describe('scanStateFrom', () => {
  it("reads the state out of the previous scan's result, a watermark state of an earlier release too, and ignores anything else", () => {
    const state = { cursor: '1700000000000_1', watermark: at('10:00:00'), readAt, seen: [{ id: 'e1', at: at('09:59:00') }], failedScans: 2, failingSince: at('09:00:00') };
    expect(scanStateFrom({ start: {}, apps: [], state })).toEqual(state);
    expect(scanStateFrom({ window: {}, state: { watermark: at('10:00:00'), seen: [], behind: true } })).toEqual({ watermark: at('10:00:00'), seen: [] });
    expect(scanStateFrom({ state: { cursor: 'x'.repeat(600), watermark: 'yesterday', seen: [], failedScans: -1 } })).toEqual({ seen: [] });
    expect(scanStateFrom(undefined)).toBeUndefined();
    expect(scanStateFrom('a string')).toBeUndefined();
  });
});

describe('failed scans', () => {
  it('keep the previous cursor and watermark, and count the streak from its first failure', () => {
    const previous = { cursor: 'c1', watermark: at('10:00:00'), readAt: at('10:00:00'), seen: [] };
    const once = failedScanState(previous, at('10:05:00'));
    expect(once).toEqual({ ...previous, failedScans: 1, failingSince: at('10:05:00') });
    expect(failedScanState(once, at('10:10:00'))).toEqual({ ...previous, failedScans: 2, failingSince: at('10:05:00') });
    expect(failedScanState(undefined, at('10:05:00'))).toEqual({ seen: [], failedScans: 1, failingSince: at('10:05:00') });
  });

  type Row = [notifyAfter: number, notifiedAt: number[]];
  it.each<Row>([
    [1, [1, 2, 4, 8, 16]],
    [3, [3, 6, 12]],
  ])('with notifyAfterFailures %i, notify at failure %j and then ever more rarely', async (...[notifyAfter, notifiedAt]: Row) => {
    expect(Array.from({ length: 20 }, (_, i) => i + 1).filter((n) => failureNoticeDue(n, notifyAfter))).toEqual(notifiedAt);
  });

  it('a good scan after an announced streak says it recovered; after a silent one it does not', () => {
    expect(recoveryNoticeDue({ seen: [], failedScans: 3 }, 3)).toBe(true);
    expect(recoveryNoticeDue({ seen: [], failedScans: 2 }, 3)).toBe(false);
    expect(recoveryNoticeDue({ seen: [] }, 1)).toBe(false);
    expect(recoveryNoticeDue(undefined, 1)).toBe(false);
  });
});

describe('the scan report', () => {
  const base: ScanResult = { start: { after: 'c1' }, truncated: false, eventsRead: 0, newEvents: 0, duplicates: 0, apps: [], state: { cursor: 'c1', seen: [] } };

  it('announces a gap, catching up, and a failure that skips nothing', () => {
    const gap = renderScanMarkdown({ ...base, start: { since: at('09:00:00') }, gap: { from: at('01:00:00'), to: at('09:00:00') } });
    expect(gap).toMatch(/^## Gap in the System Log\n/);
    expect(gap).toContain(`Failures logged before ${at('09:00:00')} are gone and were not read`);
    expect(renderScanText({ ...base, truncated: true, eventsRead: 100 })).toContain('Catching up: this scan stopped at its event cap; the next one goes on from the cursor.');
    const failed: ScanResult = {
      ...base,
      failure: { error: 'Okta answered HTTP 401 E0000011 Invalid token provided', at: at('10:05:00') },
      state: { seen: [], failedScans: 2, failingSince: at('10:00:00') },
    };
    const text = renderScanText({ ...failed, notice: { kind: 'scan_failed', at: at('10:05:00'), delivered: ['console'], failed: [] } });
    expect(text).toContain(`The System Log scan failed (2 failed scans in a row since ${at('10:00:00')}): Okta answered HTTP 401`);
    expect(text).toContain('Nothing was skipped: the next scan goes on from where the last good one stopped.');
    expect(text).toContain('Failing scans announced: notice sent to console.');
    expect(renderScanMarkdown(failed)).toMatch(/^## Scan failed\n/);
  });

  it('shows names from Okta as written in the Web UI: no link or HTML', () => {
    const md = renderScanMarkdown({
      ...base,
      apps: [{ appId: 'app1', appLabel: '[x](https://evil.example) <img src=x>', credentialEvents: 0, pushes: 0, deprovisions: 0, other: [{ category: 'other', count: 1, example: 'e' }] }],
    });
    expect(md).not.toMatch(/\]\(https?:|<img/);
  });
});

describe('notHandledBy (what a closed remediation did not handle)', () => {
  const user = (userId: string, failedAt: string, kind: AffectedUser['kind'] = 'push'): AffectedUser => ({
    userId,
    login: `${userId}@example.com`,
    displayName: userId,
    kind,
    failedAt: at(failedAt),
    reason: CREDENTIAL,
  });
  const closed = (phase: RemediationStatus['phase'], verified = true): RemediationStatus => ({
    appId: 'app-ds',
    phase,
    affected: [],
    results: [{ userId: 'u1', login: 'u1@example.com', kind: 'push', outcome: 'succeeded', detail: '', at: at('11:00:00') }],
    reauthClaims: [{ by: 'admin@example.com', at: at('10:30:00'), via: 'update', verified }],
    notifications: [],
    startedAt: at('09:00:00'),
    phaseChangedAt: at('11:00:00'),
  });

  it('drops a failure older than the re-auth that the remediation handled', () => {
    expect(notHandledBy(closed('completed'), [user('u1', '10:00:00')])).toEqual([]);
  });

  it('keeps a failure after the re-auth, a user it never saw, and another kind of failure of the same user', () => {
    const later = user('u1', '10:45:00');
    const stranger = user('u2', '10:00:00');
    const deprovision = user('u1', '10:00:00', 'deprovision');
    expect(notHandledBy(closed('completed'), [later, stranger, deprovision])).toEqual([later, stranger, deprovision]);
  });

  it('keeps everything when the remediation fixed nothing: gave up, cancelled, failed, or no verified re-auth', () => {
    const users = [user('u1', '10:00:00')];
    for (const s of [closed('timed_out'), closed('cancelled'), closed('failed'), closed('completed', false), undefined]) expect(notHandledBy(s, users)).toEqual(users);
  });
});
