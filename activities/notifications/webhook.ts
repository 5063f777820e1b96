/**
 * The generic webhook channel: a JSON POST any receiver can consume. The URL (often carrying a
 * token) comes from the environment variable the configuration names.
 */
import { isScanNotice, noticeSummary, renderNotice, type NoticeSummary } from '../../domain/notice';
import { scanNoticeSummary, type ScanNoticeSummary } from '../../domain/scan-notice';
import type { ChannelConfig } from '../../config/app-config';
import { throwIfCancelled, transportProblem, type SendContext, type SendResult } from './context';
import { errorCode, unavailableFailure } from './failures';
import { httpFailure } from './http-status';
import { channelSecret, readChannelUrl, redactUrl } from './secrets';

type WebhookChannel = Extract<ChannelConfig, { type: 'webhook' }>;

interface PayloadBase {
  kind: string;
  subject: string;
  text: string;
  markdown: string;
  uiUrl?: string;
}

/** The JSON body the receiver gets for a remediation's notice. */
export interface WebhookPayload extends PayloadBase {
  appId: string;
  phase: string;
  reminderNumber?: number;
  /** Counts and the first users of each list: bounded, whatever the app's size. */
  summary: NoticeSummary;
}

/** ... and for the scanner's own notice (`scan_failed`, `scan_recovered`). */
export interface ScanWebhookPayload extends PayloadBase {
  scanner: ScanNoticeSummary;
}

function fixFor(status: number, urlEnv: string): string {
  if (status >= 300 && status < 400) return `the URL redirects elsewhere (not followed, it may carry a token): put the final URL in ${urlEnv}.`;
  if (status === 401 || status === 403) return `the receiver refused the request: check the URL (and any token in it) in ${urlEnv}.`;
  if (status === 404 || status === 410) return `there is no receiver at that URL: check ${urlEnv}.`;
  return `the receiver rejected the notice: check that ${urlEnv} names a receiver that accepts a JSON POST.`;
}

export async function sendToWebhook(ctx: SendContext, config: WebhookChannel): Promise<SendResult> {
  const owner = `Notification channel "${ctx.channel}" (webhook)`;
  const url = readChannelUrl(ctx.env, channelSecret(config)!, owner);
  const where = `${owner} at ${redactUrl(url)}`;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'okta-remediation',
    'idempotency-key': ctx.idempotencyKey,
  };
  // fetch refuses a URL with user:password; send them as Basic auth instead.
  const target = new URL(url.href);
  if (target.username || target.password) {
    const user = decodeURIComponent(target.username);
    const pass = decodeURIComponent(target.password);
    headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    target.username = '';
    target.password = '';
  }
  const { notice } = ctx;
  const rendered = renderNotice(notice);
  const common = { kind: notice.kind, subject: rendered.subject, text: rendered.text, markdown: rendered.markdown, uiUrl: notice.uiUrl };
  const payload: WebhookPayload | ScanWebhookPayload = isScanNotice(notice)
    ? { ...common, scanner: scanNoticeSummary(notice) }
    : { ...common, appId: notice.status.appId, phase: notice.status.phase, reminderNumber: notice.reminderNumber, summary: noticeSummary(notice) };

  let res: Response;
  try {
    res = await fetch(target, { method: 'POST', headers, body: JSON.stringify(payload), redirect: 'manual', signal: ctx.signal });
  } catch (err) {
    throwIfCancelled(ctx);
    throw unavailableFailure(`${where}: ${transportProblem(ctx, errorCode(err))}; retrying.`);
  }
  // The body is not needed (and a generic receiver might echo the URL in it): release it unread.
  await res.body?.cancel().catch(() => undefined);
  if (res.status < 200 || res.status >= 300) {
    throw httpFailure(where, { status: res.status, retryAfter: res.headers.get('retry-after') }, fixFor(res.status, config.urlEnv));
  }
  return `POST ${redactUrl(url)}: HTTP ${res.status}`;
}
