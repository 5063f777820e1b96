/**
 * Human-readable views of a remediation: the CLI's text report and the Markdown the workflow
 * shows as its current details in the Temporal Web UI. Pure, so both sides render the same words.
 */
import { markdownEscape } from './markdown';
import { progressBar } from './progress';
import type { Confirmation, Diagnosis, FailureKind, Outage, ReauthClaim, RemediationStatus, UserOutcome, UserResult } from './types';

export interface ResultCounts {
  succeeded: number;
  still_failing: number;
  skipped: number;
  awaiting_approval: number;
  needs_manual_retry: number;
  pending: number;
}

/** How many users are affected in all (a big app's status lists only some of them). */
export function affectedCount(s: RemediationStatus): number {
  return s.tally ? s.tally.affected.push + s.tally.affected.deprovision : s.affected.length;
}

/** How many users have a result so far. */
export function resultCount(s: RemediationStatus): number {
  const c = countResults(s);
  return handledCount(c);
}

/** Users with any outcome among these counts. */
export const handledCount = (c: ResultCounts) => c.succeeded + c.still_failing + c.skipped + c.awaiting_approval + c.needs_manual_retry;

/** Results by outcome, over every user; `kind` counts one kind only. */
export function countResults(s: RemediationStatus, kind?: FailureKind): ResultCounts {
  const counts: ResultCounts = { succeeded: 0, still_failing: 0, skipped: 0, awaiting_approval: 0, needs_manual_retry: 0, pending: 0 };
  const kinds: FailureKind[] = kind ? [kind] : ['deprovision', 'push'];
  if (s.tally) {
    for (const k of kinds) for (const outcome of Object.keys(counts) as UserOutcome[]) if (outcome in s.tally.outcomes[k]) counts[outcome] += s.tally.outcomes[k][outcome];
  } else {
    for (const r of s.results) if (kinds.includes(r.kind)) counts[r.outcome]++;
  }
  const affected = s.tally ? kinds.reduce((n, k) => n + s.tally!.affected[k], 0) : s.affected.filter((u) => kinds.includes(u.kind)).length;
  counts.pending = Math.max(affected - handledCount(counts), 0);
  return counts;
}

/** "3 succeeded, 1 still failing, 0 skipped, 2 awaiting approval, 5 to retry in Okta": the optional outcomes only when there are some. */
export function outcomeSummary(c: ResultCounts): string {
  const optional = [c.awaiting_approval ? `${c.awaiting_approval} awaiting approval` : '', c.needs_manual_retry ? `${c.needs_manual_retry} to retry in Okta (Retry Selected)` : ''];
  return [`${c.succeeded} succeeded`, `${c.still_failing} still failing`, `${c.skipped} skipped`, ...optional.filter(Boolean)].join(', ');
}

/** After the admin's Retry Selected in Okta: the remediation re-reads those users. */
export function recheckCommand(appId: string): string {
  return `npx okta-remediate recheck --app ${appId}`;
}

/** The admin's steps for users Okta made no new attempt for. */
export const manualRetrySteps = (label: string, appId: string) => [
  `In the Okta Admin Console open Dashboard > Tasks, and the provisioning tasks of ${label}.`,
  'Select the users the pipeline lists for it (outcome needs_manual_retry) and click Retry Selected.',
  `Then tell the pipeline to re-read them: ${recheckCommand(appId)} (it also re-reads them by itself at each auto-detection check).`,
];

/** The command that prints every user's outcome. */
export function reportCommand(appId: string): string {
  return `npx okta-remediate report --app ${appId}`;
}

/** "3 d 4 h", "2 h 5 min", "40 s": how long someone kept access. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s % 60} s`;
  return `${s} s`;
}

const PHASE_TEXT: Record<RemediationStatus['phase'], string> = {
  diagnosing: 'Diagnosing',
  awaiting_reauth: 'Waiting for an admin to re-authenticate the app in Okta',
  verifying: 'Verifying the re-authentication',
  retrying: 'Retrying failed provisioning',
  awaiting_manual_retry: 'Waiting for an admin to retry users in Okta (Dashboard > Tasks > Retry Selected)',
  completed: 'Completed',
  timed_out: 'Gave up waiting for the re-auth (deadline passed)',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function phaseText(s: RemediationStatus): string {
  if (s.endedBecause === 'provisioning_off')
    return s.phase === 'completed' ? 'Ended without a retry: provisioning is off in Okta' : 'Provisioning is off in Okta: removing leavers as approved, no retry';
  return PHASE_TEXT[s.phase];
}

/** A paused phase, as status, the Web UI and the notice say it. */
export function outageText(o: Outage): string {
  return `Paused: ${o.service} unavailable since ${o.since} (${o.reason}); checked ${o.checks} ${o.checks === 1 ? 'time' : 'times'}, resumes when it answers. Nobody is failed for it.`;
}

/** A round trip with no failed step that has not passed yet is still running, not failed. */
export function confirmationVerdict(c: Confirmation): string {
  if (c.skipped) return `not run: ${c.skipped}`;
  if (c.ok) return 'passed';
  return c.steps.some((step) => !step.ok) ? 'FAILED' : `in progress (${c.steps.length} of 4 steps done)`;
}

/** The longest outcome's width, so the report's columns line up. */
const OUTCOME_WIDTH = 'needs_manual_retry'.length;

function resultLine(r: UserResult): string {
  return `${r.outcome.padEnd(OUTCOME_WIDTH)} ${r.kind.padEnd(11)} ${r.login}: ${r.detail}`;
}

/** The likely cause with its evidence, the others, what the vendor probe checked, the hints. */
export function diagnosisLines(d: Diagnosis): string[] {
  const lines: string[] = [];
  const cause = d.causes[0];
  if (cause) {
    lines.push('', `Likely cause: ${cause.title}`, ...cause.evidence.map((e) => `  - ${e}`));
    for (const other of d.causes.slice(1)) lines.push(`Also: ${other.title}`);
  }
  if (d.vendorProbe?.probed) lines.push(...d.vendorProbe.evidence.map((e) => `  checked: ${e}`));
  for (const hint of d.hints) lines.push(`Hint: ${hint}`);
  return lines;
}

/** The admin's steps in this phase: the re-auth while it is awaited, Retry Selected while users wait for it. */
function whatToDo(s: RemediationStatus): string[] {
  if (s.phase === 'awaiting_reauth') return s.diagnosis?.causes[0]?.steps ?? [];
  if (s.phase === 'awaiting_manual_retry') return manualRetrySteps(s.diagnosis?.app.label ?? `app ${s.appId}`, s.appId);
  return [];
}

/** The report a terminal user reads (`okta-remediate status`). */
export function renderText(s: RemediationStatus): string {
  const d = s.diagnosis;
  const lines: string[] = [];
  lines.push(`${d ? `${d.app.label} (${s.appId})` : s.appId}: ${phaseText(s)} since ${s.phaseChangedAt}`);
  if (s.error) lines.push(`Error: ${s.error}`);
  if (s.outage) lines.push(outageText(s.outage));
  if (s.cancellation) lines.push(`Cancelled by ${s.cancellation.by ?? 'an operator'}: ${s.cancellation.reason}`);
  if (d) lines.push(...diagnosisLines(d));
  const todo = whatToDo(s);
  if (todo.length > 0) lines.push('', 'What to do:', ...todo.map((step, i) => `  ${i + 1}. ${step}`));
  for (const c of s.reauthClaims) {
    const verdict = c.verified === undefined ? 'not verified yet' : c.verified ? 'verified' : `verification failed: ${c.verdict}`;
    lines.push(`Re-auth reported by ${claimant(c)} at ${c.at}${c.note ? ` (${c.note})` : ''}: ${verdict}`);
  }
  const total = affectedCount(s);
  if (total > 0) {
    const byUser = new Map(s.results.map((r) => [`${r.kind}:${r.userId}`, r]));
    lines.push('', `Affected users (${total}):`);
    for (const u of s.affected) {
      const r = byUser.get(`${u.kind}:${u.userId}`);
      lines.push(`  ${r ? resultLine(r) : `${'pending'.padEnd(OUTCOME_WIDTH)} ${u.kind.padEnd(11)} ${u.login}: failed ${u.failedAt}`}`);
    }
    if (s.affected.length < total) lines.push(`  … ${total - s.affected.length} more, open ones first above; every user: ${reportCommand(s.appId)}`);
  } else if (d) {
    lines.push('', 'No affected users found.');
  }
  if (s.confirmation) {
    const conf = s.confirmation;
    lines.push('', `Test-user confirmation with ${conf.testUser}: ${confirmationVerdict(conf)}`);
    for (const step of conf.steps) lines.push(`  ${step.ok ? 'ok  ' : 'FAIL'} ${step.step}: ${step.detail}`);
  }
  const c = countResults(s);
  if (resultCount(s) > 0) {
    lines.push('', `Outcome: ${outcomeSummary(c)}, ${c.pending} pending.`);
  }
  return lines.join('\n');
}

/**
 * Okta's and the vendors' words as Markdown prose, shown as written (domain/markdown.ts); commands
 * are code spans, as the Web UI would otherwise turn `--` into a dash.
 */
function mdText(text: string, opts: { keepUrls?: boolean } = {}): string {
  const prose = (t: string) => markdownEscape(t, opts);
  const at = text.indexOf('npx okta-remediate ');
  return at < 0 ? prose(text) : `${prose(text.slice(0, at))}\`${text.slice(at).replace(/`/g, "'")}\``;
}

/** Markdown for the Web UI's "current details": blocks apart, so each renders on its own. */
export function renderMarkdown(s: RemediationStatus): string {
  const d = s.diagnosis;
  const c = countResults(s);
  const out = [`## ${phaseText(s)}`, `**App:** ${d ? `${mdText(d.app.label)} (\`${s.appId}\`, ${d.app.vendor})` : `\`${s.appId}\``}`];
  const cause = d?.causes[0];
  if (cause) out.push(`**Likely cause:** ${mdText(cause.title)}`, cause.evidence.map((e) => `- ${mdText(e)}`).join('\n'));
  const todo = whatToDo(s);
  if (todo.length > 0) out.push('### What to do', todo.map((step, i) => `${i + 1}. ${mdText(step, { keepUrls: true })}`).join('\n'));
  if (s.outage) out.push(`**${mdText(outageText(s.outage))}**`);
  const lastClaim = s.reauthClaims.at(-1);
  if (lastClaim?.verified === false) out.push(`**Last re-auth by ${mdText(lastClaim.by)} did not work:** ${mdText(lastClaim.verdict ?? '')}`);
  const total = affectedCount(s);
  if (total > 0) {
    out.push(`### Users: ${outcomeSummary(c)}, ${c.pending} pending (of ${total})`);
    const handled = total - c.pending;
    if (s.phase === 'retrying' || handled > 0) out.push(`Retried so far: \`${progressBar(handled, total)}\``);
  }
  if (s.error) out.push(`**Error:** ${mdText(s.error)}`);
  return out.filter(Boolean).join('\n\n');
}

/** Who made a claim, and whether Okta vouched for it (a sign-in) or it is a name given. */
export function claimant(c: Pick<ReauthClaim, 'by' | 'subject'>): string {
  return c.subject ? `${c.by} (signed in with Okta)` : c.by;
}
