/** The CLI's view of the wait, the re-auth claims (audit) and the notifications: pure rendering. */
import { MAX_NOTIFICATION_LINES, renderWaitReport } from '../../cli/wait-report';
import type { NotificationRecord } from '../../domain/types';
import { docusignStatus } from '../notifications/fixture';

const wait = { since: '2026-11-08T08:00:05.000Z', reminders: 4, escalatedAt: '2026-11-11T08:00:05.000Z', deadline: '2026-11-22T08:00:05.000Z', autoChecks: 7 };

describe('renderWaitReport', () => {
  it('says nothing before the wait began', () => {
    expect(renderWaitReport(docusignStatus({ phase: 'diagnosing' }))).toBe('');
  });

  it('shows the wait while it runs: reminders, escalation, snooze, deadline, automatic checks', () => {
    const text = renderWaitReport(docusignStatus({ wait: { ...wait, snoozedUntil: '2026-11-12T08:00:00.000Z', snoozedBy: 'ops@acme.com' } }));
    expect(text.split('\n')).toEqual([
      '',
      'Wait for the re-auth (since 2026-11-08T08:00:05.000Z):',
      '  reminders sent: 4',
      '  escalated: at 2026-11-11T08:00:05.000Z',
      '  snoozed until 2026-11-12T08:00:00.000Z by ops@acme.com',
      '  deadline: gives up at 2026-11-22T08:00:05.000Z',
      '  auto-detection: 7 checks',
    ]);
  });

  it('says the deadline passed when the remediation gave up', () => {
    expect(renderWaitReport(docusignStatus({ phase: 'timed_out', wait }))).toContain('  deadline: passed at 2026-11-22T08:00:05.000Z: gave up');
  });

  it('audits each claim: how it came, what Okta recorded, and any mismatch; an ignored signal shows why', () => {
    const text = renderWaitReport(
      docusignStatus({
        reauthClaims: [
          { by: 'mallory@acme.com', at: '2026-11-08T09:00:00.000Z', via: 'signal', verified: false, verdict: 'Ignored: mallory@acme.com is not on the confirmers allow-list.' },
          {
            by: 'bob@acme.com',
            note: 'new grant',
            at: '2026-11-08T10:00:00.000Z',
            via: 'update',
            verified: true,
            verdict: 'Canary cara@acme.com synchronized.',
            oktaChanges: [{ eventType: 'application.lifecycle.update', actor: 'alice@acme.com', at: '2026-11-08T09:58:00.000Z' }],
            mismatch: "Okta's System Log shows the app changed by alice@acme.com, not bob@acme.com.",
          },
          { by: 'auto-detection', note: 'Okta shows 3 successful pushes since 2026-11-08T08:00:05.000Z', at: '2026-11-08T11:00:00.000Z', via: 'auto-detection', oktaChanges: [] },
        ],
      }),
    );
    expect(text.split('\n')).toEqual([
      '',
      'Re-auth claims (audit):',
      '  1. mallory@acme.com via reauthCompleted signal at 2026-11-08T09:00:00.000Z: not verified: Ignored: mallory@acme.com is not on the confirmers allow-list.',
      '  2. bob@acme.com via reauth-done --wait (update) at 2026-11-08T10:00:00.000Z: verified: Canary cara@acme.com synchronized.',
      '     note: new grant',
      '     Okta System Log: application.lifecycle.update by alice@acme.com at 2026-11-08T09:58:00.000Z',
      "     MISMATCH: Okta's System Log shows the app changed by alice@acme.com, not bob@acme.com.",
      '  3. auto-detection via auto-detection at 2026-11-08T11:00:00.000Z: not verified yet',
      '     note: Okta shows 3 successful pushes since 2026-11-08T08:00:05.000Z',
      '     Okta System Log: no change of the app since the failures began',
    ]);
  });

  it('lists notifications with failed deliveries, and only the latest when there are many', () => {
    const n = (i: number, extra: Partial<NotificationRecord> = {}): NotificationRecord => ({
      kind: 'reminder',
      at: `2026-11-${String(8 + (i % 20)).padStart(2, '0')}T08:00:00.000Z`,
      delivered: ['console'],
      failed: [],
      ...extra,
    });
    const many = Array.from({ length: MAX_NOTIFICATION_LINES + 3 }, (_, i) => n(i));
    many[many.length - 2] = n(1, { kind: 'escalation', delivered: ['console'], failed: [{ channel: 'mail', error: 'the SMTP server refused the login' }] });
    many[many.length - 1] = n(2, { kind: 'completed', delivered: [] });
    const lines = renderWaitReport(docusignStatus({ notifications: many })).split('\n');
    expect(lines[1]).toBe(`Notifications (${many.length}, 1 failed delivery):`);
    expect(lines[2]).toBe('  ... 3 earlier (see --json)');
    expect(lines).toHaveLength(3 + MAX_NOTIFICATION_LINES);
    expect(lines.at(-2)).toBe('  2026-11-09T08:00:00.000Z escalation: delivered to console; FAILED mail: the SMTP server refused the login');
    expect(lines.at(-1)).toBe('  2026-11-10T08:00:00.000Z completed: in progress');
  });
});
