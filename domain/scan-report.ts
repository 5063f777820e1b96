/** What a scan found and did, for the terminal (`okta-remediate scan`) and the Web UI's current details. */
import type { AppScanResult, OtherCategory, OtherFailures, ScanResult } from './scan';

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

function headline(r: ScanResult): string {
  return `Read the System Log from ${r.window.since} to ${r.window.until}: ${plural(r.eventsRead, 'provisioning failure')}, ${r.newEvents} new, ${r.duplicates} already processed.`;
}

function tail(r: ScanResult): string[] {
  return r.truncated ? [`More events are waiting: the next scan continues from ${r.state.watermark}.`] : [];
}

export function renderScanText(r: ScanResult): string {
  const lines = [headline(r)];
  if (r.apps.length === 0) lines.push('No new provisioning failures.');
  for (const a of r.apps) lines.push(`  ${a.appLabel} (${a.appId}): ${findings(a)}`);
  return [...lines, ...tail(r)].join('\n');
}

export function renderScanMarkdown(r: ScanResult): string {
  const remediated = r.apps.filter((a) => a.remediation && a.remediation.action !== 'handled');
  const out = [`## ${remediated.length > 0 ? `${plural(remediated.length, 'app')} sent to remediation` : 'Nothing to remediate'}`, headline(r)];
  if (r.apps.length > 0) out.push('', ...r.apps.map((a) => `- **${a.appLabel}** (\`${a.appId}\`): ${findings(a)}`));
  return [...out, ...tail(r)].join('\n');
}
