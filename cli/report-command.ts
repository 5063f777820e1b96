/**
 * `okta-remediate report`: every user of an app's remediation and what became of them, streamed a
 * page at a time, so a 50,000-user report prints in full (as text, JSON or CSV for a spreadsheet).
 */
import type { Command } from 'commander';
import { z } from 'zod';
import type { UserReportLine } from '../domain/types';
import { reportLines } from '../client/remediations';
import { connectClient } from '../worker/temporal';
import { appIdOption, parseWith, type Io } from './options';

const FORMATS = ['text', 'json', 'csv'] as const;
type Format = (typeof FORMATS)[number];

const COLUMNS = ['kind', 'userId', 'login', 'displayName', 'failedAt', 'reason', 'outcome', 'detail', 'syncState', 'at', 'exposureMs'] as const;

function row(line: UserReportLine): Record<(typeof COLUMNS)[number], string | number | undefined> {
  const { user: u, result: r } = line;
  return {
    kind: u.kind,
    userId: u.userId,
    login: u.login,
    displayName: u.displayName,
    failedAt: u.failedAt,
    reason: u.reason,
    outcome: r?.outcome ?? 'pending',
    detail: r?.detail,
    syncState: r?.syncState,
    at: r?.at,
    exposureMs: r?.exposureMs,
  };
}

/**
 * A CSV cell (RFC 4180 quoting). A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR
 * first) is prefixed with a quote: names and Okta's messages are not trusted.
 */
export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function textLine(line: UserReportLine): string {
  const r = row(line);
  return `${String(r.outcome).padEnd(17)} ${String(r.kind).padEnd(11)} ${r.login}: ${r.detail ?? `failed ${r.failedAt}: ${r.reason}`}`;
}

export async function printReport(lines: AsyncIterable<UserReportLine>, format: Format, io: Io): Promise<number> {
  let n = 0;
  if (format === 'csv') io.out(`${COLUMNS.join(',')}\n`);
  if (format === 'json') io.out('[');
  for await (const line of lines) {
    if (format === 'csv') io.out(`${COLUMNS.map((c) => csvCell(row(line)[c])).join(',')}\n`);
    else if (format === 'json') io.out(`${n > 0 ? ',' : ''}\n  ${JSON.stringify(line)}`);
    else io.out(`${textLine(line)}\n`);
    n++;
  }
  if (format === 'json') io.out(n > 0 ? '\n]\n' : ']\n');
  return n;
}

export function addReportCommand(program: Command, io: Io): void {
  program
    .command('report')
    .description("Every affected user of an app's remediation and their outcome, with Okta's reason (any number of users)")
    .addOption(appIdOption())
    .option('--format <format>', `${FORMATS.join(', ')}`, parseWith(z.enum(FORMATS), 'invalid --format'), 'text' as Format)
    .action(async (opts: { app: string; format: Format }) => {
      const n = await printReport(reportLines(await connectClient(), opts.app), opts.format, io);
      if (opts.format === 'text') io.out(`${n} users.\n`);
    });
}
