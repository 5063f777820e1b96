/**
 * Notification channels are checked when the worker starts, not when the first notice fails days
 * later: every channel's variable must be set, non-blank and of the right kind (https for webhooks
 * and Slack, smtp:// or smtps:// for email). One line names the setting; the value is never shown.
 */
import { readSecretUrl, type UrlKind } from '../activities/notifications/secrets';
import type { AppConfig, ChannelConfig } from './app-config';
import { ConfigError } from './config';

function secretSetting(channel: ChannelConfig): { field: string; variable: string; kind: UrlKind; example: string } | undefined {
  switch (channel.type) {
    case 'console':
      return undefined;
    case 'webhook':
      return { field: 'urlEnv', variable: channel.urlEnv, kind: 'http', example: 'the https URL that should receive the JSON notices' };
    case 'slack':
      return { field: 'webhookUrlEnv', variable: channel.webhookUrlEnv, kind: 'http', example: 'the Slack incoming-webhook URL (https://hooks.slack.com/services/...)' };
    case 'email':
      return { field: 'smtpUrlEnv', variable: channel.smtpUrlEnv, kind: 'smtp', example: 'smtps://user:password@smtp.example.com' };
  }
}

export function checkChannelSettings(config: AppConfig, env: NodeJS.ProcessEnv = process.env): void {
  for (const [name, channel] of Object.entries(config.channels)) {
    const setting = secretSetting(channel);
    if (!setting) continue;
    try {
      readSecretUrl(env, setting.variable, setting.kind, `channels.${name}.${setting.field}`, setting.example);
    } catch (err) {
      throw new ConfigError(`Configuration error: ${(err as Error).message}`);
    }
  }
}
