/**
 * The human-in-the-loop part of `status`: the wait (reminders, escalation, snooze, deadline), the
 * audit of every re-auth claim (how it came, Okta's record of who changed the app, any mismatch)
 * and the notifications sent or failed. Appended to the domain's report by the CLI.
 */
import { claimant, formatDuration } from '../domain/report';
import type { ReauthClaim, RemediationStatus } from '../domain/types';

/** Enough to read on a terminal; `status --json` has them all. */
export const MAX_NOTIFICATION_LINES = 20;

/** Policies in tests and demos go below a second; formatDuration would round those away. */
const every = (ms: number) => (ms < 1000 ? `${ms} ms` : formatDuration(ms));

const VIA: Record<ReauthClaim['via'], string> = {
  update: 'reauth-done --wait (update)',
  signal: 'reauthCompleted signal',
  'auto-detection': 'auto-detection',
};

function waitLines(s: RemediationStatus): string[] {
  const w = s.wait;
  if (!w) return [];
  const p = s.diagnosis?.policy?.wait;
  const lines = ['', `Wait for the re-auth (since ${w.since}):`];
  const cadence = p ? ` (every ${every(p.remindEveryMs)}; escalation after ${p.escalateAfterReminders} reminder${p.escalateAfterReminders === 1 ? '' : 's'})` : '';
  lines.push(`  reminders sent: ${w.reminders}${cadence}`);
  lines.push(`  escalated: ${w.escalatedAt ? `at ${w.escalatedAt}` : 'no'}`);
  if (w.snoozedUntil) lines.push(`  snoozed until ${w.snoozedUntil}${w.snoozedBy ? ` by ${w.snoozedBy}` : ''}`);
  // The deadline is only a promise while waiting; once over, say what happened to it.
  const waiting = s.phase === 'awaiting_reauth' || s.phase === 'verifying';
  const deadline = s.phase === 'timed_out' ? `passed at ${w.deadline}: gave up` : waiting ? `gives up at ${w.deadline}` : `${w.deadline} (the wait is over)`;
  lines.push(`  deadline: ${deadline}`);
  if (p && !p.autoDetect) lines.push('  auto-detection: off');
  else lines.push(`  auto-detection: ${w.autoChecks} check${w.autoChecks === 1 ? '' : 's'}${p ? ` (every ${every(p.autoDetectEveryMs)})` : ''}`);
  return lines;
}

function claimLines(s: RemediationStatus): string[] {
  if (s.reauthClaims.length === 0) return [];
  const lines = ['', 'Re-auth claims (audit):'];
  s.reauthClaims.forEach((c, i) => {
    const verdict = c.verified === undefined ? 'not verified yet' : c.verified ? 'verified' : 'not verified';
    lines.push(`  ${i + 1}. ${claimant(c)} via ${VIA[c.via]} at ${c.at}: ${verdict}${c.verdict ? `: ${c.verdict}` : ''}`);
    if (c.note) lines.push(`     note: ${c.note}`);
    if (c.oktaChanges) {
      if (c.oktaChanges.length === 0) lines.push('     Okta System Log: no change of the app since the failures began');
      for (const change of c.oktaChanges) lines.push(`     Okta System Log: ${change.eventType} by ${change.actor} at ${change.at}`);
    }
    if (c.mismatch) lines.push(`     MISMATCH: ${c.mismatch}`);
  });
  return lines;
}

function notificationLines(s: RemediationStatus): string[] {
  const all = s.notifications ?? [];
  if (all.length === 0) return [];
  const failed = all.reduce((n, r) => n + r.failed.length, 0);
  const lines = ['', `Notifications (${all.length}${failed ? `, ${failed} failed deliver${failed === 1 ? 'y' : 'ies'}` : ''}):`];
  const shown = all.slice(-MAX_NOTIFICATION_LINES);
  if (shown.length < all.length) lines.push(`  ... ${all.length - shown.length} earlier (see --json)`);
  for (const r of shown) {
    const parts = [r.delivered.length ? `delivered to ${r.delivered.join(', ')}` : r.failed.length ? '' : 'in progress'];
    for (const f of r.failed) parts.push(`FAILED ${f.channel}: ${f.error}`);
    lines.push(`  ${r.at} ${r.kind}: ${parts.filter(Boolean).join('; ')}`);
  }
  return lines;
}

export function renderWaitReport(s: RemediationStatus): string {
  return [...waitLines(s), ...claimLines(s), ...notificationLines(s)].join('\n');
}
