/** The scanner's rules, without a server: windows, grouping, de-duplication and the watermark. */
import type { ProvisioningFailure } from '../../domain/okta-events';
import { notHandledBy, planScan, scanStateFrom, scanWindow, type ScanSettings, type ScanState } from '../../domain/scan';
import type { AffectedUser, RemediationStatus } from '../../domain/types';

const CREDENTIAL = 'Automatic provisioning of user X to app Y failed: The credentials used to connect to the API were invalid; please check your configuration';
const settings: ScanSettings = { lookbackSeconds: 3600, overlapSeconds: 60, lagSeconds: 10, maxEvents: 100 };
const at = (iso: string) => new Date(`2025-01-01T${iso}Z`).toISOString();

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

const window = { since: at('09:00:00'), until: at('10:05:00') };

describe('scanWindow', () => {
  it('reads the lookback on the first scan, then from the watermark less the overlap, up to now less the lag', () => {
    const now = Date.parse(at('10:05:10'));
    expect(scanWindow(undefined, now, settings)).toEqual({ since: at('09:05:00'), until: at('10:05:00') });
    expect(scanWindow({ watermark: at('10:00:00'), seen: [] }, now, settings)).toEqual({ since: at('09:59:00'), until: at('10:05:00') });
  });

  it('never reads further back than the lookback, however old the watermark', () => {
    expect(scanWindow({ watermark: at('01:00:00'), seen: [] }, Date.parse(at('10:05:10')), settings).since).toBe(at('09:05:00'));
  });
});

describe('planScan', () => {
  it('groups credential failures by app, one entry per user and kind with the latest failure', () => {
    const plan = planScan({
      failures: [
        failure({ appId: 'app-gh', userId: 'u-a', at: at('10:00:00') }),
        failure({ appId: 'app-ds', userId: 'u-a', at: at('10:01:00') }),
        failure({ appId: 'app-ds', userId: 'u-a', at: at('10:02:00'), message: `${CREDENTIAL} (again)` }),
        failure({ appId: 'app-ds', userId: 'u-b', kind: 'deprovision', eventType: 'application.provision.user.deactivate' }),
      ],
      window,
      truncated: false,
      overlapSeconds: 60,
    });
    expect(plan.apps.map((a) => [a.appId, a.credentialEvents, a.users.map((u) => `${u.kind}:${u.userId}`)])).toEqual([
      ['app-ds', 3, ['deprovision:u-b', 'push:u-a']],
      ['app-gh', 1, ['push:u-a']],
    ]);
    expect(plan.apps[0]!.users.find((u) => u.userId === 'u-a')).toMatchObject({ failedAt: at('10:02:00'), reason: `${CREDENTIAL} (again)` });
  });

  it('counts other errors by kind and never turns them into users to remediate', () => {
    const plan = planScan({
      failures: [
        failure({ appId: 'app-gh', message: 'Rate limit exceeded', credentialError: false }),
        failure({ appId: 'app-gh', message: 'Rate limit exceeded', credentialError: false }),
        failure({ appId: 'app-gh', message: 'User not found', credentialError: false }),
        failure({ appId: 'app-gh', message: 'Something else', credentialError: false }),
        failure({ appId: 'app-gh', kind: 'other', eventType: 'application.provision.user.import' }),
      ],
      window,
      truncated: false,
      overlapSeconds: 60,
    });
    expect(plan.apps).toEqual([
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

  it('skips events the previous scan processed and keeps only ids the next window reads again', () => {
    const old = failure({ appId: 'app-ds', at: at('09:30:00') });
    const inOverlap = failure({ appId: 'app-ds', at: at('10:04:30') });
    const fresh = failure({ appId: 'app-ds', at: at('10:04:40') });
    const previous = { watermark: at('10:00:00'), seen: [{ id: old.eventId, at: old.at }, { id: inOverlap.eventId, at: inOverlap.at }] };
    const plan = planScan({ failures: [inOverlap, fresh, fresh], previous, window, truncated: false, overlapSeconds: 60 });
    expect(plan).toMatchObject({ newEvents: 1, duplicates: 2 });
    expect(plan.apps[0]!.users.map((u) => u.userId)).toEqual([fresh.userId]);
    expect(plan.state).toEqual({ watermark: window.until, seen: [{ id: inOverlap.eventId, at: inOverlap.at }, { id: fresh.eventId, at: fresh.at }], behind: false });
  });

  it('stops the watermark at the last event read when the read was truncated, and never moves it back', () => {
    const last = failure({ appId: 'app-ds', at: at('09:40:00') });
    expect(planScan({ failures: [last], window, truncated: true, overlapSeconds: 60 }).state.watermark).toBe(at('09:40:00'));
    const previous = { watermark: at('09:50:00'), seen: [] };
    expect(planScan({ failures: [last], previous, window, truncated: true, overlapSeconds: 60 }).state.watermark).toBe(at('09:50:00'));
  });

  it('reads a burst larger than the event cap through, each event once, scan after scan', () => {
    const burst = Array.from({ length: 7 }, (_, i) => failure({ appId: 'app-ds', at: at(`10:00:0${i}`) }));
    const capped: ScanSettings = { ...settings, maxEvents: 3, lagSeconds: 0 };
    const processed: string[] = [];
    let state: ScanState | undefined;
    for (let scanNo = 0; scanNo < 4; scanNo++) {
      const w = scanWindow(state, Date.parse(at('10:01:00')), capped);
      const inWindow = burst.filter((f) => f.at >= w.since && f.at < w.until);
      const plan = planScan({ failures: inWindow.slice(0, capped.maxEvents), previous: state, window: w, truncated: inWindow.length > capped.maxEvents, overlapSeconds: capped.overlapSeconds });
      processed.push(...plan.apps.flatMap((a) => a.users.map((u) => u.userId)));
      state = plan.state;
    }
    expect(processed).toEqual(burst.map((f) => f.userId));
    expect(state?.watermark).toBe(at('10:01:00'));
  });

  it('bounds the ids it keeps', () => {
    const failures = Array.from({ length: 10 }, (_, i) => failure({ appId: 'app-ds', at: at(`10:04:0${i}`) }));
    const plan = planScan({ failures, window, truncated: false, overlapSeconds: 600, maxSeen: 3 });
    expect(plan.state.seen.map((s) => s.id)).toEqual(failures.slice(-3).map((f) => f.eventId));
  });
});

describe('scanStateFrom', () => {
  it('reads the state out of the previous scan\'s result and ignores anything else', () => {
    const state = { watermark: at('10:00:00'), seen: [{ id: 'e1', at: at('09:59:00') }] };
    expect(scanStateFrom({ window, apps: [], state })).toEqual({ ...state, behind: false });
    expect(scanStateFrom(undefined)).toBeUndefined();
    expect(scanStateFrom({ state: { watermark: 'yesterday', seen: [] } })).toBeUndefined();
    expect(scanStateFrom('a string')).toBeUndefined();
  });
});

describe('notHandledBy (what a closed remediation did not handle)', () => {
  const user = (userId: string, failedAt: string, kind: AffectedUser['kind'] = 'push'): AffectedUser => ({ userId, login: `${userId}@example.com`, displayName: userId, kind, failedAt: at(failedAt), reason: CREDENTIAL });
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
