/**
 * Notification activities. One call delivers one notice to one channel, so the workflow fans out
 * per channel: each delivery has its own retries, and a failing channel never blocks the others.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { isScanNotice, noticeAbout, type Notice } from '../../domain/notice';
import type { ChannelConfig } from '../../config/app-config';
import { sendToConsole } from './console';
import type { SendContext } from './context';
import { sendEmail } from './email';
import { errorCode, NOTIFICATION_CHANNEL_UNKNOWN, unavailableFailure, withMessage } from './failures';
import { channelSecret, scrub, secretFragments } from './secrets';
import { sendToSlack } from './slack';
import { sendToWebhook } from './webhook';

export * from './failures';

export interface NotificationActivityDeps {
  /** Channels by name, as configured (secrets are named, not held: env var names). */
  channels: Record<string, ChannelConfig>;
  env?: NodeJS.ProcessEnv;
  /** The console channel's sink; defaults to console.log. */
  log?: (line: string) => void;
  /** Per delivery attempt; keep it below the activity's start-to-close timeout. */
  timeoutMs?: number;
}

export interface DeliverNoticeInput {
  channel: string;
  notice: Notice;
}

export interface NoticeDelivery {
  channel: string;
  deliveredAt: string;
  /** What happened, for the history: never a secret. */
  detail: string;
}

const DEFAULT_TIMEOUT_MS = 15_000;

function secretOf(config: ChannelConfig, env: NodeJS.ProcessEnv): string | undefined {
  const secret = channelSecret(config);
  return secret && env[secret.variable];
}

function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined; // called outside an activity (a script): no cancellation, no ids
  }
}

/** Only failures we built (and scrubbed) leave the activity; anything else is described by name. */
function safeFailure(err: unknown, fragments: readonly string[], owner: string): unknown {
  if (err instanceof CancelledFailure) return err;
  if (err instanceof ApplicationFailure) return withMessage(err, scrub(err.message, fragments));
  const name = err instanceof Error ? err.name : typeof err;
  const code = errorCode(err);
  return unavailableFailure(scrub(`${owner}: unexpected ${name}${code ? ` ${code}` : ''}; retrying.`, fragments));
}

export function createNotificationActivities(deps: NotificationActivityDeps) {
  const env = deps.env ?? process.env;
  const log = deps.log ?? ((line: string) => console.log(line));
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function deliverNotice(input: DeliverNoticeInput): Promise<NoticeDelivery> {
    const { channel, notice } = input;
    const config = Object.hasOwn(deps.channels, channel) ? deps.channels[channel] : undefined;
    if (!config) {
      const known = Object.keys(deps.channels).join(', ') || 'none';
      throw ApplicationFailure.nonRetryable(
        `Unknown notification channel "${channel}" (known: ${known}): define it under "channels" in the file named by OKTA_REMEDIATION_CONFIG, or remove it from the app's "notify" lists.`,
        NOTIFICATION_CHANNEL_UNKNOWN,
      );
    }
    const activity = activityContext();
    const cancelled = activity?.cancellationSignal ?? new AbortController().signal;
    const run = activity?.info.workflowExecution;
    const ctx: SendContext = {
      channel,
      notice,
      env,
      signal: AbortSignal.any([cancelled, AbortSignal.timeout(timeoutMs)]),
      cancelled,
      timeoutMs,
      idempotencyKey:
        activity && run
          ? `${run.workflowId}/${run.runId}/${activity.info.activityId}`
          : isScanNotice(notice)
            ? `${notice.workflowId}/${notice.kind}/${notice.failedScans}/${notice.at}`
            : `${notice.status.appId}/${notice.kind}/${notice.reminderNumber ?? 0}/${notice.status.phaseChangedAt}`,
    };
    const fragments = secretFragments(secretOf(config, env));
    const owner = `Notification channel "${channel}" (${config.type})`;
    let detail: string;
    try {
      switch (config.type) {
        case 'console':
          detail = await sendToConsole(ctx, log);
          break;
        case 'webhook':
          detail = await sendToWebhook(ctx, config);
          break;
        case 'slack':
          detail = await sendToSlack(ctx, config);
          break;
        case 'email':
          detail = await sendEmail(ctx, config);
          break;
      }
    } catch (err) {
      throw safeFailure(err, fragments, owner);
    }
    const delivery = { channel, deliveredAt: new Date().toISOString(), detail: scrub(detail, fragments) };
    activity?.log.info(`Delivered the "${notice.kind}" notice for ${noticeAbout(notice)} through channel "${channel}": ${delivery.detail}`);
    return delivery;
  }

  return { deliverNotice };
}

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
