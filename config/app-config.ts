/**
 * Per-app settings: vendor, deprovisioning policy, test user, vendor identities, notification
 * channels, and how the wait behaves. Read from the JSON file named by OKTA_REMEDIATION_CONFIG
 * (validated with zod); secrets stay in the environment and the file names the variables.
 */
import { readFileSync } from 'node:fs';
import { msToNumber } from '@temporalio/common';
import { z } from 'zod';
import type { AppPolicy, ModuleVendor } from '../domain/types';
import { VENDOR_PROFILES, VENDORS } from '../domain/vendors/registry';
import { ConfigError } from './worker-config';

const duration = z.string().refine(
  (v) => {
    try {
      return msToNumber(v as Parameters<typeof msToNumber>[0]) > 0;
    } catch {
      return false;
    }
  },
  { error: 'must be a duration such as "30s", "15m", "24h" or "14d"' },
);
const toMs = (v: string) => msToNumber(v as Parameters<typeof msToNumber>[0]);
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { error: 'must name an environment variable, e.g. SLACK_WEBHOOK_URL' });
const channelName = z.string().regex(/^[\w.-]+$/, { error: 'must be letters, digits, ".", "_" or "-"' });

export const channelSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('console') }).strict(),
  z.object({ type: z.literal('webhook'), urlEnv: envName }).strict(),
  z.object({ type: z.literal('slack'), webhookUrlEnv: envName }).strict(),
  z.object({ type: z.literal('email'), smtpUrlEnv: envName, from: z.email(), to: z.array(z.email()).min(1) }).strict(),
]);
export type ChannelConfig = z.infer<typeof channelSchema>;

/** Each vendor's block (`docusign`, `github`): the identities its probe checks against, as its profile defines them. */
const vendorBlocks = Object.fromEntries(Object.values(VENDOR_PROFILES).map((p) => [p.id, p.settings])) as { [V in ModuleVendor]: (typeof VENDOR_PROFILES)[V]['settings'] };

const appSchema = z
  .object({
    vendor: z.enum(VENDORS),
    deprovisionPolicy: z.enum(['off', 'ask', 'auto']),
    testUser: z.string().min(1),
    ...vendorBlocks,
    notify: z
      .object({ primary: z.array(channelName), escalation: z.array(channelName) })
      .partial()
      .strict(),
    wait: z
      .object({ remindEvery: duration, escalateAfterReminders: z.number().int().min(0), giveUpAfter: duration, autoDetect: z.boolean(), autoDetectEvery: duration })
      .partial()
      .strict(),
    confirmers: z.array(z.string().min(1)),
    requireVerifiedIdentity: z.boolean(),
  })
  .partial()
  .strict();
export type AppSettings = z.infer<typeof appSchema>;

const fileSchema = z
  .object({
    channels: z.record(channelName, channelSchema).default({}),
    defaults: appSchema.default({}),
    apps: z.record(z.string().regex(/^[A-Za-z0-9]{8,64}$/, { error: 'must be an Okta app id' }), appSchema).default({}),
  })
  .strict();

export interface AppConfig {
  channels: Record<string, ChannelConfig>;
  /** Settings for one app: its own over the defaults. */
  settings(appId: string): AppSettings;
  policy(appId: string): AppPolicy;
  /** The notify lists of `defaults`: where notices that concern no app (the scanner's) go. */
  defaultNotify(): AppPolicy['notify'];
  /** The sections (`defaults`, `apps.<id>`) whose apps take only signed-in admins. */
  signInRequiredBy(): string[];
}

const DEFAULT_WAIT = { remindEvery: '24h', escalateAfterReminders: 3, giveUpAfter: '14d', autoDetect: true, autoDetectEvery: '15m' };

export function parseAppConfig(data: unknown, source = 'OKTA_REMEDIATION_CONFIG'): AppConfig {
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // A bad key of a record (an app id, a channel name) carries its own reason one level down.
    const message = issue.code === 'invalid_key' ? `is not a valid key: it ${issue.issues[0]?.message ?? issue.message}` : issue.message;
    throw new ConfigError(`Configuration error: ${source} at ${issue.path.join('.') || '(top)'} ${message}.`);
  }
  const { channels, defaults, apps } = parsed.data;
  const allChannels: Record<string, ChannelConfig> = { console: { type: 'console' }, ...channels };
  const settings = (appId: string): AppSettings => {
    const own = apps[appId] ?? {};
    return { ...defaults, ...own, wait: { ...defaults.wait, ...own.wait }, notify: { ...defaults.notify, ...own.notify } };
  };
  const sections: Array<[string, AppSettings]> = [['defaults', defaults], ...Object.entries(apps).map(([appId, app]): [string, AppSettings] => [`apps.${appId}`, app])];
  for (const [where, app] of sections) {
    for (const list of ['primary', 'escalation'] as const) {
      const name = app.notify?.[list]?.find((n) => !allChannels[n]);
      if (name) throw new ConfigError(`Configuration error: ${source} at ${where}.notify.${list} names channel "${name}", which "channels" does not define.`);
    }
  }
  return {
    channels: allChannels,
    settings,
    policy(appId) {
      const s = settings(appId);
      const wait = { ...DEFAULT_WAIT, ...s.wait };
      return {
        vendor: s.vendor,
        deprovisionPolicy: s.deprovisionPolicy ?? 'ask',
        testUser: s.testUser,
        wait: {
          remindEveryMs: toMs(wait.remindEvery),
          escalateAfterReminders: wait.escalateAfterReminders,
          giveUpAfterMs: toMs(wait.giveUpAfter),
          autoDetect: wait.autoDetect,
          autoDetectEveryMs: toMs(wait.autoDetectEvery),
        },
        confirmers: s.confirmers ?? [],
        requireVerifiedIdentity: requiresSignIn(s),
        notify: notifyLists(s),
      };
    },
    defaultNotify: () => notifyLists(defaults),
    signInRequiredBy: () => [['defaults', defaults] as const, ...Object.keys(apps).map((id) => [`apps.${id}`, settings(id)] as const)].filter(([, s]) => requiresSignIn(s)).map(([where]) => where),
  };
}

/** An allow-list of self-asserted names proves nothing: once one is set, who acts must sign in (unless told otherwise). */
function requiresSignIn(s: AppSettings): boolean {
  return s.requireVerifiedIdentity ?? (s.confirmers ?? []).length > 0;
}

function notifyLists(s: AppSettings): AppPolicy['notify'] {
  return { primary: s.notify?.primary ?? ['console'], escalation: s.notify?.escalation ?? [] };
}

export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const file = env.OKTA_REMEDIATION_CONFIG;
  if (!file) return parseAppConfig({});
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`Configuration error: OKTA_REMEDIATION_CONFIG names ${file}, which cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`Configuration error: OKTA_REMEDIATION_CONFIG (${file}) is not valid JSON: ${(err as Error).message}.`);
  }
  return parseAppConfig(data, `OKTA_REMEDIATION_CONFIG (${file})`);
}
