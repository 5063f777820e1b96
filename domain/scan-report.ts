/** What a scan found and did, for the terminal (`okta-remediate scan`) and the Web UI's current details. */
import { markdownEscape } from './markdown';
import type { AppScanResult, OtherCategory, OtherFailures, ReadStart, ScanResult } from './scan';
import type { NotificationRecord } from './types';

const CATEGORY_TEXT: Record<OtherCategory, string> = {
  rate_limit: 'rate limited',
  user_not_found: 'user not found',
  conflict: 'conflict at the vendor',
  credential_not_user: 'credential error outside a push or deprovision',
  other: 'other error',
};

const REMEDIATION_ACTION_TEXT: Record<NonNullable<AppScanResult['remediation']>['action'], string> = {
  started: 'started remediation',
  joined: 'joined the running remediation',
  handled: 'already handled by the completed remediation',
};

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function otherText(other: OtherFailures[]): string {
  return other.map((o) => `${o.count} ${CATEGORY_TEXT[o.category]}`).join(', ');
}

function findings(a: AppScanResult): string {
  const parts: string[] = [];
  if (a.credentialEvents > 0) {
    const users = [a.pushes && plural(a.pushes, 'failed push', 'failed pushes'), a.deprovisions && plural(a.deprovisions, 'failed deprovision')].filter(Boolean).join(', ');
    const where = a.remediation ? `${REMEDIATION_ACTION_TEXT[a.remediation.action]} ${a.remediation.workflowId}` : 'no remediation';
    parts.push(`credential failures: ${users} -> ${where}`);
  }
  if (a.other.length > 0) parts.push(`not remediated: ${otherText(a.other)}`);
  return parts.join('; ');
}

/** Where a read starts, in words. */
export function readStartText(start: ReadStart): string {
  return start.after ? "on from the last scan's cursor" : `since ${start.since}`;
}

function headline(r: ScanResult): string {
  if (r.failure) {
    const n = r.state.failedScans ?? 1;
    return `The System Log scan failed (${plural(n, 'failed scan')} in a row since ${r.state.failingSince ?? r.failure.at}): ${r.failure.error}`;
  }
  return `Read the System Log ${readStartText(r.start)}: ${plural(r.eventsRead, 'provisioning failure')}, ${r.newEvents} new, ${r.duplicates} already processed.`;
}

function noticeText(n: NotificationRecord): string {
  const what = n.kind === 'scan_recovered' ? 'Recovered after failed scans' : 'Failing scans announced';
  const failed = n.failed.map((f) => f.channel);
  return `${what}: notice sent to ${n.delivered.join(', ') || 'no channel'}${failed.length > 0 ? ` (failed: ${failed.join(', ')})` : ''}.`;
}

/** What comes after the findings: a gap, catching up, a failure that skips nothing, a notice. */
function tail(r: ScanResult): string[] {
  const out: string[] = [];
  if (r.gap) {
    out.push(
      `Gap: the last read was at ${r.gap.from}, longer ago than Okta keeps its System Log (90 days). Failures logged before ${r.gap.to} are gone and were not read: check the apps' provisioning in the Okta Admin Console (Dashboard > Tasks).`,
    );
  }
  if (r.failure) out.push('Nothing was skipped: the next scan goes on from where the last good one stopped.');
  else if (r.truncated) out.push('Catching up: this scan stopped at its event cap; the next one goes on from the cursor.');
  if (r.notice) out.push(noticeText(r.notice));
  return out;
}

export function renderScanText(r: ScanResult): string {
  const lines = [headline(r)];
  if (!r.failure && r.apps.length === 0) lines.push('No new provisioning failures.');
  for (const a of r.apps) lines.push(`  ${a.appLabel} (${a.appId}): ${findings(a)}`);
  return [...lines, ...tail(r)].join('\n');
}

export function renderScanMarkdown(r: ScanResult): string {
  const m = markdownEscape;
  const remediated = r.apps.filter((a) => a.remediation && a.remediation.action !== 'handled');
  const title = r.failure ? 'Scan failed' : r.gap ? 'Gap in the System Log' : remediated.length > 0 ? `${plural(remediated.length, 'app')} sent to remediation` : 'Nothing to remediate';
  const out = [`## ${title}`, m(headline(r))];
  if (r.apps.length > 0) out.push('', ...r.apps.map((a) => `- **${m(a.appLabel)}** (\`${a.appId.replace(/`/g, '')}\`): ${m(findings(a))}`));
  const more = tail(r);
  if (more.length > 0) out.push('', ...more.map((line) => m(line)));
  return out.join('\n');
}
