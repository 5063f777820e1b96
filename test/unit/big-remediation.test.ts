/** A big app's status, report pages and CSV: counts over everyone, pages that skip nobody, cells a spreadsheet will not run. */
import { csvCell, printReport } from '../../cli/report-command';
import { affectedPage } from '../../domain/diagnosis';
import { countResults, renderText } from '../../domain/report';
import type { AffectedUser, RemediationStatus, UserReportLine } from '../../domain/types';

const user = (i: number, kind: AffectedUser['kind'] = 'push'): AffectedUser => ({
  userId: `00u${String(i).padStart(5, '0')}`,
  login: `user${i}@example.com`,
  displayName: `User ${i}`,
  kind,
  failedAt: `2026-12-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`,
  reason: 'The credentials used to connect to the API were invalid; please check your configuration',
});

describe('pages of affected users', () => {
  const all = [...Array.from({ length: 250 }, (_, i) => user(i)), user(900, 'deprovision')];

  it('give every user once, leavers first, whatever the page size', () => {
    const seen: AffectedUser[] = [];
    let after: string | undefined;
    do {
      const page = affectedPage(all, after, 40);
      seen.push(...page.users);
      after = page.next;
    } while (after);
    expect(seen).toHaveLength(all.length);
    expect(new Set(seen.map((u) => u.userId)).size).toBe(all.length);
    expect(seen[0]!.kind).toBe('deprovision');
  });

  it('skip nobody when a user leaves the list between two pages', () => {
    const first = affectedPage(all, undefined, 40);
    const gone = first.users[5]!;
    const rest = affectedPage(
      all.filter((u) => u !== gone),
      first.next,
      1000,
    );
    expect(first.users.length + rest.users.length).toBe(all.length);
  });
});

describe("a big app's status", () => {
  const status: RemediationStatus = {
    appId: '0oaBIG000000000000',
    phase: 'retrying',
    affected: [user(1), user(2)],
    results: [{ userId: user(1).userId, login: user(1).login, kind: 'push', outcome: 'still_failing', detail: 'Okta says no', at: '2026-12-01T01:00:00.000Z' }],
    reauthClaims: [],
    notifications: [],
    startedAt: '2026-12-01T00:00:00.000Z',
    phaseChangedAt: '2026-12-01T00:00:00.000Z',
    tally: {
      affected: { push: 20_000, deprovision: 3 },
      outcomes: {
        push: { succeeded: 15_000, still_failing: 7, skipped: 2, awaiting_approval: 0, needs_manual_retry: 0 },
        deprovision: { succeeded: 0, still_failing: 0, skipped: 0, awaiting_approval: 3, needs_manual_retry: 0 },
      },
      earliestFailedAt: '2026-12-01T00:00:00.000Z',
    },
  };

  it('counts everyone, not the users it lists', () => {
    expect(countResults(status)).toEqual({ succeeded: 15_000, still_failing: 7, skipped: 2, awaiting_approval: 3, needs_manual_retry: 0, pending: 4_991 });
    expect(countResults(status, 'deprovision').awaiting_approval).toBe(3);
  });

  it('says how many more there are and how to see them all', () => {
    const text = renderText(status);
    expect(text).toContain('Affected users (20003):');
    expect(text).toContain('… 20001 more');
    expect(text).toContain('okta-remediate report --app 0oaBIG000000000000');
  });
});

describe('the CSV report', () => {
  it('quotes what a spreadsheet would run as a formula, and what holds commas, quotes or newlines', () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell(12)).toBe('12');
    expect(csvCell(undefined)).toBe('');
  });

  it('has a header and one row per user, pending ones included', async () => {
    const lines: UserReportLine[] = [{ user: user(1), result: { userId: user(1).userId, login: user(1).login, kind: 'push', outcome: 'succeeded', detail: 'synced', at: 'x' } }, { user: user(2) }];
    const out: string[] = [];
    async function* stream() {
      yield* lines;
    }
    expect(await printReport(stream(), 'csv', { out: (t) => out.push(t), err: () => undefined })).toBe(2);
    const rows = out.join('').trim().split('\n');
    expect(rows[0]).toBe('kind,userId,login,displayName,failedAt,reason,outcome,detail,syncState,at,exposureMs');
    expect(rows[2]).toContain(',pending,');
    const json: string[] = [];
    await printReport(stream(), 'json', { out: (t) => json.push(t), err: () => undefined });
    expect(JSON.parse(json.join(''))).toHaveLength(2);
  });
});
