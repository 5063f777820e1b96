/**
 * Human-readable views of a remediation: the CLI's text report and the Markdown the workflow
 * shows as its current details in the Temporal Web UI. Pure, so both sides render the same words.
 */
import type { RemediationStatus, UserResult } from './types';

export interface ResultCounts {
  succeeded: number;
  still_failing: number;
  skipped: number;
  pending: number;
}

export function countResults(s: RemediationStatus): ResultCounts {
  const counts: ResultCounts = { succeeded: 0, still_failing: 0, skipped: 0, pending: 0 };
  for (const r of s.results) counts[r.outcome]++;
  counts.pending = Math.max(s.affected.length - s.results.length, 0);
  return counts;
}

const PHASE_TEXT: Record<RemediationStatus['phase'], string> = {
  diagnosing: 'Diagnosing',
  awaiting_reauth: 'Waiting for an admin to re-authenticate the app in Okta',
  verifying: 'Verifying the re-authentication',
  retrying: 'Retrying failed provisioning',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function phaseText(s: RemediationStatus): string {
  return PHASE_TEXT[s.phase];
}

function resultLine(r: UserResult): string {
  return `${r.outcome.padEnd(13)} ${r.kind.padEnd(11)} ${r.login}: ${r.detail}`;
}

/** The report a terminal user reads (`okta-remediate status`). */
export function renderText(s: RemediationStatus): string {
  const d = s.diagnosis;
  const lines: string[] = [];
  lines.push(`${d ? `${d.app.label} (${s.appId})` : s.appId}: ${phaseText(s)} since ${s.phaseChangedAt}`);
  if (s.error) lines.push(`Error: ${s.error}`);
  if (s.cancellation) lines.push(`Cancelled by ${s.cancellation.by ?? 'an operator'}: ${s.cancellation.reason}`);
  const cause = d?.causes[0];
  if (cause) {
    lines.push('', `Likely cause: ${cause.title}`, ...cause.evidence.map((e) => `  - ${e}`));
    for (const other of d.causes.slice(1)) lines.push(`Also: ${other.title}`);
  }
  if (s.phase === 'awaiting_reauth' && cause) {
    lines.push('', 'What to do:', ...cause.steps.map((step, i) => `  ${i + 1}. ${step}`));
  }
  for (const c of s.reauthClaims) {
    const verdict = c.verified === undefined ? 'not verified yet' : c.verified ? 'verified' : `verification failed: ${c.verdict}`;
    lines.push(`Re-auth reported by ${c.by} at ${c.at}${c.note ? ` (${c.note})` : ''}: ${verdict}`);
  }
  if (s.affected.length > 0) {
    const byUser = new Map(s.results.map((r) => [`${r.kind}:${r.userId}`, r]));
    lines.push('', `Affected users (${s.affected.length}):`);
    for (const u of s.affected) {
      const r = byUser.get(`${u.kind}:${u.userId}`);
      lines.push(`  ${r ? resultLine(r) : `${'pending'.padEnd(13)} ${u.kind.padEnd(11)} ${u.login}: failed ${u.failedAt}`}`);
    }
  } else if (d) {
    lines.push('', 'No affected users found.');
  }
  const c = countResults(s);
  if (s.results.length > 0) lines.push('', `Outcome: ${c.succeeded} succeeded, ${c.still_failing} still failing, ${c.skipped} skipped, ${c.pending} pending.`);
  return lines.join('\n');
}

/** Markdown for the Web UI's "current details". */
export function renderMarkdown(s: RemediationStatus): string {
  const d = s.diagnosis;
  const c = countResults(s);
  const out = [`## ${phaseText(s)}`, `**App:** ${d ? `${d.app.label} (\`${s.appId}\`, ${d.app.vendor})` : `\`${s.appId}\``}`];
  const cause = d?.causes[0];
  if (cause) out.push(`**Likely cause:** ${cause.title}`, ...cause.evidence.map((e) => `- ${e}`));
  if (s.phase === 'awaiting_reauth' && cause) out.push('', '### What to do', ...cause.steps.map((step, i) => `${i + 1}. ${step}`));
  const lastClaim = s.reauthClaims.at(-1);
  if (lastClaim?.verified === false) out.push('', `**Last re-auth by ${lastClaim.by} did not work:** ${lastClaim.verdict}`);
  if (s.affected.length > 0) {
    out.push('', `### Users: ${c.succeeded} succeeded, ${c.still_failing} still failing, ${c.skipped} skipped, ${c.pending} pending (of ${s.affected.length})`);
  }
  if (s.error) out.push('', `**Error:** ${s.error}`);
  return out.join('\n');
}
