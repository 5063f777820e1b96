/**
 * Channel secrets (webhook URLs, SMTP URLs with passwords) live in environment variables the
 * configuration names. Read them here, describe them only by scheme and host, and scrub them out
 * of anything that leaves an activity.
 */
import type { ChannelConfig } from '../../config/app-config';
import { settingFailure } from './failures';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLoopback(url: URL): boolean {
  return LOOPBACK.has(url.hostname);
}

/** What may be shown of a secret URL: scheme, host and port. */
export function redactUrl(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

export type UrlKind = 'http' | 'smtp';

/**
 * The URL in env[name], or a non-retryable failure naming the variable (never its value).
 * HTTP secrets must travel over https; plain http is accepted only on loopback (tests, local relays).
 */
export function readSecretUrl(env: NodeJS.ProcessEnv, name: string, kind: UrlKind, owner: string, example: string): URL {
  const raw = env[name]?.trim();
  if (!raw) throw settingFailure(`${owner}: environment variable ${name} is not set on the worker (or is blank). Set it to ${example}.`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw settingFailure(`${owner}: environment variable ${name} is not a valid URL. Set it to ${example}.`);
  }
  if (kind === 'http') {
    const ok = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url));
    if (!ok) throw settingFailure(`${owner}: environment variable ${name} must be an https URL (plain http is accepted only on loopback).`);
  } else if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw settingFailure(`${owner}: environment variable ${name} must start with smtp:// or smtps://, e.g. smtps://user:password@smtp.example.com.`);
  }
  return url;
}

/** Where a channel keeps its secret URL: the setting, the variable it names, the URL's kind and an example of it. */
export interface ChannelSecret {
  field: string;
  variable: string;
  kind: UrlKind;
  example: string;
}

export function channelSecret(config: ChannelConfig): ChannelSecret | undefined {
  switch (config.type) {
    case 'console':
      return undefined;
    case 'webhook':
      return { field: 'urlEnv', variable: config.urlEnv, kind: 'http', example: 'the https URL that should receive the JSON notices' };
    case 'slack':
      return { field: 'webhookUrlEnv', variable: config.webhookUrlEnv, kind: 'http', example: 'the Slack incoming-webhook URL (https://hooks.slack.com/services/...)' };
    case 'email':
      return { field: 'smtpUrlEnv', variable: config.smtpUrlEnv, kind: 'smtp', example: 'smtps://user:password@smtp.example.com' };
  }
}

/** The channel's URL from its variable, or a non-retryable failure naming `owner` and the variable. */
export function readChannelUrl(env: NodeJS.ProcessEnv, secret: ChannelSecret, owner: string): URL {
  return readSecretUrl(env, secret.variable, secret.kind, owner, secret.example);
}

/** Every form in which a secret URL (or the secret parts of it) could show up in text. */
export function secretFragments(raw: string | undefined): string[] {
  if (!raw?.trim()) return [];
  const value = raw.trim();
  const out = new Set<string>([value]);
  try {
    const url = new URL(value);
    out.add(url.href);
    // The username is not secret (and is often a common word): hiding it would garble messages.
    for (const part of [url.password, `${url.pathname}${url.search}`, url.search.slice(1), url.pathname]) {
      if (part.length < 4 || part === '/') continue;
      out.add(part);
      try {
        out.add(decodeURIComponent(part));
      } catch {
        // not percent-encoded: the raw form is enough
      }
    }
  } catch {
    // not a URL: the raw value is all there is to hide
  }
  return [...out].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
}

export function scrub(text: string, fragments: readonly string[]): string {
  let out = text;
  for (const f of fragments) out = out.split(f).join('***');
  return out;
}
