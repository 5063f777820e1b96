/**
 * The Slack channel: a Block Kit message through an incoming webhook (@slack/webhook). The
 * library makes the request; we give it the timeout/cancellation signal and keep the response
 * headers (its HTTP error does not carry Retry-After) and the transport error.
 */
import { IncomingWebhook, IncomingWebhookHTTPError, IncomingWebhookRequestError, type FetchFunction, type IncomingWebhookSendArguments } from '@slack/webhook';
import { noticeContent, slackBlocks } from '../../domain/notice';
import type { ChannelConfig } from '../../config/app-config';
import { throwIfCancelled, transportProblem, type SendContext, type SendResult } from './context';
import { errorCode, unavailableFailure } from './failures';
import { httpFailure } from './http-status';
import { channelSecret, readChannelUrl, redactUrl } from './secrets';

type SlackChannel = Extract<ChannelConfig, { type: 'slack' }>;

/** Slack answers errors with a short code such as `no_service` or `invalid_blocks`: safe to show. */
function slackErrorCode(body: string | undefined): string | undefined {
  const code = body?.trim();
  return code && /^[a-z_]{2,64}$/.test(code) ? code : undefined;
}

function fixFor(status: number, env: string): string {
  if (status === 400) return `Slack rejected the message itself; this is a bug in okta-remediation's Slack message, not in ${env}: please report it.`;
  if (status === 403) return `Slack refused to post (the channel may be restricted, or the app lost its permission): create an incoming webhook for an allowed channel and put its URL in ${env}.`;
  if (status === 404 || status === 410) return `the webhook or its channel is gone (removed, archived, or the Slack app was uninstalled): create a new incoming webhook and put its URL in ${env}.`;
  return `check the incoming-webhook URL in ${env}.`;
}

export async function sendToSlack(ctx: SendContext, config: SlackChannel): Promise<SendResult> {
  const owner = `Notification channel "${ctx.channel}" (slack)`;
  const url = readChannelUrl(ctx.env, channelSecret(config)!, owner);
  const where = `${owner} at ${redactUrl(url)}`;
  let lastHeaders: Headers | undefined;
  // Kept as thrown: the library re-wraps errors it does not recognise as Error, losing the cause.
  let transportError: unknown;
  const fetchWithSignal: FetchFunction = async (input, init) => {
    try {
      const res = await fetch(input, { ...init, signal: ctx.signal });
      lastHeaders = res.headers;
      return res;
    } catch (err) {
      transportError = err;
      throw err;
    }
  };
  // No retries inside the library: Temporal's retry policy owns them.
  const webhook = new IncomingWebhook(url.href, { fetch: fetchWithSignal, timeout: 0, retryConfig: { retries: 0 } });
  const content = noticeContent(ctx.notice);
  try {
    await webhook.send({
      text: content.subject, // the notification and accessibility fallback
      blocks: slackBlocks(ctx.notice) as IncomingWebhookSendArguments['blocks'],
      unfurl_links: false,
      unfurl_media: false,
    });
  } catch (err) {
    throwIfCancelled(ctx);
    if (err instanceof IncomingWebhookHTTPError) {
      throw httpFailure(where, { status: err.statusCode, retryAfter: lastHeaders?.get('retry-after'), says: slackErrorCode(err.body) }, fixFor(err.statusCode, config.webhookUrlEnv));
    }
    const cause = transportError ?? (err instanceof IncomingWebhookRequestError ? err.original : err);
    throw unavailableFailure(`${where}: ${transportProblem(ctx, errorCode(cause))}; retrying.`);
  }
  return `posted to Slack at ${redactUrl(url)}`;
}
