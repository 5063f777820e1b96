/**
 * Notification channels are checked when the worker starts, not when the first notice fails days
 * later: every channel's variable must be set, non-blank and of the right kind (https for webhooks
 * and Slack, smtp:// or smtps:// for email). One line names the setting; the value is never shown.
 */
import { channelSecret, readChannelUrl } from '../activities/notifications/secrets';
import type { AppConfig } from '../config/app-config';
import { ConfigError } from '../config/worker-config';

export function checkChannelSettings(config: AppConfig, env: NodeJS.ProcessEnv = process.env): void {
  for (const [name, channel] of Object.entries(config.channels)) {
    const secret = channelSecret(channel);
    if (!secret) continue;
    try {
      readChannelUrl(env, secret, `channels.${name}.${secret.field}`);
    } catch (err) {
      throw new ConfigError(`Configuration error: ${(err as Error).message}`);
    }
  }
}
