/**
 * What the scanner tells people about itself: that scans keep failing (so failures in Okta go
 * unseen), and that they work again. Laid out in the same NoticeContent as a remediation's notices,
 * so every channel renders it. Pure: bundled into workflows.
 */
import { cleanText } from './message-input';
import type { NoticeContent, ScanNoticeKind } from './notice-content';

export type { ScanNoticeKind } from './notice-content';

export interface ScanNotice {
  kind: ScanNoticeKind;
  /** The scan workflow's id (the Schedule's), to find its runs in the Web UI. */
  workflowId: string;
  /** Scans failed in a row (for `scan_recovered`: before this good one), and since when. */
  failedScans: number;
  failingSince: string;
  /** Why the last scan could not read the log: cleaned, capped and without credentials (scanErrorText). */
  error?: string;
  /** When a scan last read the log: what comes after is read once scans work again. */
  lastReadAt?: string;
  at: string;
  uiUrl?: string;
}

/** Enough to name the cause; the full error is in the scan's history. */
export const MAX_SCAN_ERROR = 500;

/** The activity's words, safe for a notice: one line, capped, and any credential the SDK might echo masked. */
export function scanErrorText(message: string): string {
  const masked = message.replace(/\b(SSWS|Bearer|Basic)\s+[^\s"',;]+/gi, '$1 [redacted]').replace(/\b(token|secret|password|api_key|apikey)=([^\s&"',;]+)/gi, '$1=[redacted]');
  return cleanText(masked, MAX_SCAN_ERROR);
}

export const SCAN_NOW_COMMAND = 'npx okta-remediate scan';

const scans = (n: number) => `${n} scan${n === 1 ? '' : 's'}`;

export function scanNoticeContent(n: ScanNotice): NoticeContent {
  const base = {
    kind: n.kind,
    cause: undefined,
    otherCauses: [],
    users: [],
    uiUrl: n.uiUrl,
    fullReport: SCAN_NOW_COMMAND,
    footer: `Okta System Log scanner ${n.workflowId}: ${scans(n.failedScans)} failed in a row since ${n.failingSince}.`,
    context: [['Scanner ', { code: n.workflowId }], [`${scans(n.failedScans)} failed in a row since ${n.failingSince}`]],
  };
  if (n.kind === 'scan_recovered') {
    return {
      ...base,
      subject: 'Recovered: the Okta System Log scanner reads the log again',
      headline: `The scan at ${n.at} read the System Log after ${scans(n.failedScans)} failed in a row since ${n.failingSince}. Nothing was skipped: it went on from where the last good scan stopped.`,
      facts: [],
      steps: [],
    };
  }
  return {
    ...base,
    subject: `Scanner failing: the Okta System Log scan failed (${scans(n.failedScans)} in a row)`,
    headline: `${scans(n.failedScans)} of the Okta System Log failed in a row since ${n.failingSince}: provisioning failures are not being found, and people whose deprovision failed may keep access. Nothing is skipped: the first scan that works reads on from where the last good one stopped.`,
    facts: [...(n.error ? [`Last error (${n.at}): ${scanErrorText(n.error)}`] : []), n.lastReadAt ? `Last successful read: ${n.lastReadAt}.` : 'No scan has read the log yet.'],
    steps: [
      "Read the error above: it names the setting or permission to fix (OKTA_API_TOKEN or the OAuth app's okta.logs.read scope on the worker, or Okta itself).",
      'Fix it (a setting on the worker takes effect when the worker restarts).',
    ],
    command: { intro: 'After the fix, scan now', line: SCAN_NOW_COMMAND },
  };
}

/** What a webhook receiver gets besides the rendered text: the facts above, bounded. */
export type ScanNoticeSummary = Omit<ScanNotice, 'kind' | 'uiUrl'>;

export function scanNoticeSummary(n: ScanNotice): ScanNoticeSummary {
  const { kind: _kind, uiUrl: _uiUrl, ...summary } = n;
  return { ...summary, error: summary.error && scanErrorText(summary.error) };
}
