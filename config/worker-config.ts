/**
 * Settings from the environment, validated with zod. A missing or malformed setting stops the
 * process with one line that names it; secret values are never echoed back.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { MAX_SYNC_TIMEOUT_SECONDS, POLLING_ACTIVITY_TIMEOUT_MS } from '../domain/activity-timeouts';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * The least the pipeline needs as a service app: apps (read, and manage for re-pushes and the
 * test user's assignment), the System Log and users, read. A `manage` scope includes its `read`.
 */
export const DEFAULT_OKTA_SCOPES = 'okta.apps.manage okta.logs.read okta.users.read';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

const orgUrl = z
  .string({ error: 'is required: the URL of your Okta org, e.g. https://acme.okta.com' })
  .refine((v) => URL.canParse(v), { error: 'must be a URL, e.g. https://acme.okta.com', abort: true })
  .refine(
    (v) => {
      const u = new URL(v);
      return u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname));
    },
    { error: 'must use https (plain http is accepted only on loopback, for the simulator)' },
  )
  .transform((v) => v.replace(/\/+$/, ''));

/**
 * Remediations a worker keeps in memory between their tasks. A waiting one is evicted past this
 * and replayed from its (short) history at its next timer or message, so a worker's memory does
 * not grow with the remediations waiting on it. About 2 MB each: 100 fit the worker's 512 MB heap
 * (`npm run worker`) with room for a 50,000-user remediation (bench:awaiting measures it).
 */
export const MAX_CACHED_WORKFLOWS = 100;
const count = (fallback: number) => z.coerce.number().int({ error: 'must be a whole number' }).min(2, { error: 'must be at least 2' }).max(1000, { error: 'must be at most 1000' }).default(fallback);
const seconds = (fallback: number) => z.coerce.number().positive({ error: 'must be a positive number of seconds' }).default(fallback);

export const taskQueueSchema = z
  .string()
  .regex(/^[\w.-]{1,200}$/, { error: 'must be letters, digits, ".", "_" or "-"' })
  .default('okta-remediation');

const workerEnvSchema = z
  .object({
    OKTA_ORG_URL: orgUrl,
    OKTA_API_TOKEN: z.string().min(1, { error: 'is empty' }).optional(),
    OKTA_CLIENT_ID: z.string().min(1, { error: 'is empty' }).optional(),
    OKTA_PRIVATE_KEY: z.string().min(1, { error: 'is empty' }).optional(),
    OKTA_PRIVATE_KEY_FILE: z.string().min(1, { error: 'is empty' }).optional(),
    OKTA_KEY_ID: z.string().min(1, { error: 'is empty' }).optional(),
    OKTA_SCOPES: z.string().default(DEFAULT_OKTA_SCOPES),
    OKTA_CLI_CLIENT_ID: z.string().min(1, { error: 'is empty' }).optional(),
    OKTA_REMEDIATION_TASK_QUEUE: taskQueueSchema,
    OKTA_REMEDIATION_LOOKBACK_HOURS: z.coerce
      .number()
      .positive({ error: 'must be a positive number of hours' })
      .default(24 * 7),
    OKTA_REMEDIATION_SYNC_TIMEOUT_SECONDS: seconds(120),
    OKTA_REMEDIATION_SYNC_POLL_SECONDS: seconds(2),
    OKTA_REMEDIATION_REQUEST_TIMEOUT_SECONDS: seconds(30),
    // The worker's Okta budget: its share of each rate-limit bucket, and requests in flight at once.
    OKTA_REMEDIATION_OKTA_RATE_SHARE: z.coerce.number().gt(0, { error: 'must be more than 0 (a share such as 0.5)' }).max(1, { error: 'must be at most 1 (all of each bucket)' }).default(0.5),
    OKTA_REMEDIATION_OKTA_CONCURRENCY: z.coerce
      .number()
      .int({ error: 'must be a whole number' })
      .min(1, { error: 'must be at least 1' })
      .max(75, { error: "must be at most 75 (the org's own cap)" })
      .default(20),
    // Running in production: graceful shutdown, concurrency limits, metrics for Prometheus.
    OKTA_REMEDIATION_SHUTDOWN_GRACE_SECONDS: seconds(60),
    OKTA_REMEDIATION_MAX_CONCURRENT_ACTIVITIES: count(20),
    OKTA_REMEDIATION_MAX_CONCURRENT_WORKFLOW_TASKS: count(10),
    OKTA_REMEDIATION_MAX_CACHED_WORKFLOWS: count(MAX_CACHED_WORKFLOWS),
    OKTA_REMEDIATION_METRICS_ADDRESS: z
      .string()
      .regex(/^[\w.-]+:\d{1,5}$|^\[[0-9a-fA-F:.]+\]:\d{1,5}$/, { error: 'must be host:port, e.g. 0.0.0.0:9464' })
      .optional(),
    // The pipeline's own vendor credentials: optional, they sharpen the diagnosis.
    DOCUSIGN_INTEGRATION_KEY: z.string().min(1).optional(),
    DOCUSIGN_USER_ID: z.string().min(1).optional(),
    DOCUSIGN_PRIVATE_KEY: z.string().min(1).optional(),
    DOCUSIGN_PRIVATE_KEY_FILE: z.string().min(1).optional(),
    DOCUSIGN_OAUTH_HOST: z
      .string()
      .regex(/^[\w.-]+(:\d+)?$/, { error: 'must be a host[:port] such as account.docusign.com' })
      .default('account.docusign.com'),
    DOCUSIGN_DEMO_USER_ID: z.string().min(1).optional(),
    DOCUSIGN_DEMO_OAUTH_HOST: z
      .string()
      .regex(/^[\w.-]+(:\d+)?$/, { error: 'must be a host[:port] such as account-d.docusign.com' })
      .default('account-d.docusign.com'),
    GITHUB_TOKEN: z.string().min(1).optional(),
    GITHUB_API_URL: z.url({ error: 'must be a URL such as https://api.github.com' }).default('https://api.github.com'),
    // The worker's shares of the vendors' hourly rate limits.
    DOCUSIGN_RATE_SHARE: z.coerce.number().gt(0, { error: 'must be more than 0 (a share such as 0.5)' }).max(1, { error: 'must be at most 1 (all of the limit)' }).default(0.5),
    GITHUB_RATE_SHARE: z.coerce.number().gt(0, { error: 'must be more than 0 (a share such as 0.5)' }).max(1, { error: 'must be at most 1 (all of the limit)' }).default(0.5),
  })
  .superRefine((env, ctx) => {
    const oauth = env.OKTA_CLIENT_ID || env.OKTA_PRIVATE_KEY || env.OKTA_PRIVATE_KEY_FILE;
    if (!env.OKTA_API_TOKEN && !oauth) {
      ctx.addIssue({
        code: 'custom',
        path: ['OKTA_API_TOKEN'],
        message: 'is required (or set OKTA_CLIENT_ID with OKTA_PRIVATE_KEY or OKTA_PRIVATE_KEY_FILE for OAuth)',
      });
    }
    if (env.OKTA_API_TOKEN && oauth) {
      ctx.addIssue({ code: 'custom', path: ['OKTA_API_TOKEN'], message: 'and OKTA_CLIENT_ID/OKTA_PRIVATE_KEY are both set: choose one way to authenticate' });
    }
    if (oauth && !env.OKTA_CLIENT_ID) ctx.addIssue({ code: 'custom', path: ['OKTA_CLIENT_ID'], message: 'is required with OKTA_PRIVATE_KEY' });
    if (oauth && !env.OKTA_PRIVATE_KEY && !env.OKTA_PRIVATE_KEY_FILE) {
      ctx.addIssue({ code: 'custom', path: ['OKTA_PRIVATE_KEY'], message: 'or OKTA_PRIVATE_KEY_FILE is required with OKTA_CLIENT_ID' });
    }
    // Settings that cannot work together: each re-push waits up to the sync timeout inside an
    // activity the workflow gives POLLING_ACTIVITY_TIMEOUT_MS, with reads before and after.
    if (env.OKTA_REMEDIATION_SYNC_TIMEOUT_SECONDS > MAX_SYNC_TIMEOUT_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['OKTA_REMEDIATION_SYNC_TIMEOUT_SECONDS'],
        message: `(${env.OKTA_REMEDIATION_SYNC_TIMEOUT_SECONDS}) must be at most ${MAX_SYNC_TIMEOUT_SECONDS}: each re-push and test-user step waits that long inside an activity limited to ${POLLING_ACTIVITY_TIMEOUT_MS / 60_000} minutes, and would always time out`,
      });
    }
    if (env.OKTA_REMEDIATION_MAX_CACHED_WORKFLOWS < env.OKTA_REMEDIATION_MAX_CONCURRENT_WORKFLOW_TASKS) {
      ctx.addIssue({
        code: 'custom',
        path: ['OKTA_REMEDIATION_MAX_CACHED_WORKFLOWS'],
        message: `(${env.OKTA_REMEDIATION_MAX_CACHED_WORKFLOWS}) must be at least OKTA_REMEDIATION_MAX_CONCURRENT_WORKFLOW_TASKS (${env.OKTA_REMEDIATION_MAX_CONCURRENT_WORKFLOW_TASKS}): each workflow task runs on a cached workflow`,
      });
    }
    if (env.OKTA_REMEDIATION_SYNC_POLL_SECONDS >= env.OKTA_REMEDIATION_SYNC_TIMEOUT_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['OKTA_REMEDIATION_SYNC_POLL_SECONDS'],
        message: `(${env.OKTA_REMEDIATION_SYNC_POLL_SECONDS}) must be less than OKTA_REMEDIATION_SYNC_TIMEOUT_SECONDS (${env.OKTA_REMEDIATION_SYNC_TIMEOUT_SECONDS}): Okta's syncState would never be read`,
      });
    }
    const docusign = env.DOCUSIGN_INTEGRATION_KEY || env.DOCUSIGN_USER_ID || env.DOCUSIGN_PRIVATE_KEY || env.DOCUSIGN_PRIVATE_KEY_FILE;
    if (docusign) {
      for (const key of ['DOCUSIGN_INTEGRATION_KEY', 'DOCUSIGN_USER_ID'] as const) {
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required with the other DOCUSIGN_* settings' });
      }
      if (!env.DOCUSIGN_PRIVATE_KEY && !env.DOCUSIGN_PRIVATE_KEY_FILE) {
        ctx.addIssue({ code: 'custom', path: ['DOCUSIGN_PRIVATE_KEY'], message: 'or DOCUSIGN_PRIVATE_KEY_FILE is required with DOCUSIGN_INTEGRATION_KEY' });
      }
    }
  });

export type OktaAuth = { mode: 'SSWS'; token: string } | { mode: 'PrivateKey'; clientId: string; privateKey: string; keyId?: string; scopes: string };

export interface DocuSignEnvironmentCredential {
  environment: 'production' | 'demo';
  oauthHost: string;
  userId: string;
}

export interface VendorCredentials {
  docusign?: { integrationKey: string; privateKey: string; environments: DocuSignEnvironmentCredential[]; pacing?: { share: number } };
  github?: { apiUrl: string; token: string; pacing?: { share: number } };
}

export interface WorkerConfig {
  okta: {
    orgUrl: string;
    auth: OktaAuth;
    requestTimeoutMs: number;
    pacing: { share: number; concurrency: number };
    /** The CLI's OIDC app: the audience of the ID tokens admins sign in with. */
    signInClientId?: string;
  };
  vendors: VendorCredentials;
  taskQueue: string;
  lookbackHours: number;
  sync: { timeoutMs: number; pollMs: number };
  /** How the worker process runs: shutdown grace, concurrency, where metrics are served. */
  process: { shutdownGraceMs: number; maxConcurrentActivities: number; maxConcurrentWorkflowTasks: number; maxCachedWorkflows: number; metricsAddress?: string };
}

/** One line per problem, naming the setting: "OKTA_ORG_URL must use https ...". */
function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'settings'} ${i.message}`).join('; ');
}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = workerEnvSchema.safeParse(blankToUndefined(env));
  if (!parsed.success) throw new ConfigError(`Configuration error: ${describe(parsed.error)}. See .env.example.`);
  const e = parsed.data;
  let auth: OktaAuth;
  if (e.OKTA_API_TOKEN) {
    auth = { mode: 'SSWS', token: e.OKTA_API_TOKEN };
  } else {
    auth = {
      mode: 'PrivateKey',
      clientId: e.OKTA_CLIENT_ID!,
      privateKey: e.OKTA_PRIVATE_KEY ?? readPrivateKey(e.OKTA_PRIVATE_KEY_FILE!),
      keyId: e.OKTA_KEY_ID,
      scopes: e.OKTA_SCOPES,
    };
  }
  const vendors: VendorCredentials = {};
  if (e.DOCUSIGN_INTEGRATION_KEY && e.DOCUSIGN_USER_ID) {
    const environments: DocuSignEnvironmentCredential[] = [
      { environment: e.DOCUSIGN_OAUTH_HOST.startsWith('account-d.') ? 'demo' : 'production', oauthHost: e.DOCUSIGN_OAUTH_HOST, userId: e.DOCUSIGN_USER_ID },
    ];
    if (e.DOCUSIGN_DEMO_USER_ID) environments.push({ environment: 'demo', oauthHost: e.DOCUSIGN_DEMO_OAUTH_HOST, userId: e.DOCUSIGN_DEMO_USER_ID });
    vendors.docusign = {
      integrationKey: e.DOCUSIGN_INTEGRATION_KEY,
      privateKey: e.DOCUSIGN_PRIVATE_KEY ?? readPrivateKey(e.DOCUSIGN_PRIVATE_KEY_FILE!, 'DOCUSIGN_PRIVATE_KEY_FILE'),
      environments,
      pacing: { share: e.DOCUSIGN_RATE_SHARE },
    };
  }
  if (e.GITHUB_TOKEN) vendors.github = { apiUrl: e.GITHUB_API_URL.replace(/\/+$/, ''), token: e.GITHUB_TOKEN, pacing: { share: e.GITHUB_RATE_SHARE } };
  return {
    okta: {
      orgUrl: e.OKTA_ORG_URL,
      auth,
      requestTimeoutMs: e.OKTA_REMEDIATION_REQUEST_TIMEOUT_SECONDS * 1000,
      pacing: { share: e.OKTA_REMEDIATION_OKTA_RATE_SHARE, concurrency: e.OKTA_REMEDIATION_OKTA_CONCURRENCY },
      signInClientId: e.OKTA_CLI_CLIENT_ID,
    },
    vendors,
    taskQueue: e.OKTA_REMEDIATION_TASK_QUEUE,
    lookbackHours: e.OKTA_REMEDIATION_LOOKBACK_HOURS,
    sync: { timeoutMs: e.OKTA_REMEDIATION_SYNC_TIMEOUT_SECONDS * 1000, pollMs: e.OKTA_REMEDIATION_SYNC_POLL_SECONDS * 1000 },
    process: {
      shutdownGraceMs: e.OKTA_REMEDIATION_SHUTDOWN_GRACE_SECONDS * 1000,
      maxConcurrentActivities: e.OKTA_REMEDIATION_MAX_CONCURRENT_ACTIVITIES,
      maxConcurrentWorkflowTasks: e.OKTA_REMEDIATION_MAX_CONCURRENT_WORKFLOW_TASKS,
      maxCachedWorkflows: e.OKTA_REMEDIATION_MAX_CACHED_WORKFLOWS,
      metricsAddress: e.OKTA_REMEDIATION_METRICS_ADDRESS,
    },
  };
}

/** The CLI needs only the task queue; Temporal's own settings come from @temporalio/envconfig. */
export function loadTaskQueue(env: NodeJS.ProcessEnv = process.env): string {
  const parsed = taskQueueSchema.safeParse(blankToUndefined(env).OKTA_REMEDIATION_TASK_QUEUE);
  if (!parsed.success) throw new ConfigError(`Configuration error: OKTA_REMEDIATION_TASK_QUEUE ${describe(parsed.error).replace(/^settings /, '')}.`);
  return parsed.data;
}

function readPrivateKey(file: string, setting = 'OKTA_PRIVATE_KEY_FILE'): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`Configuration error: ${setting} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
}

/** An empty variable (`FOO=` in a .env file) means "not set", not "set to nothing". */
function blankToUndefined(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === '' ? undefined : v]));
}
