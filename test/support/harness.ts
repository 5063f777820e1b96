/**
 * A remediation stack for one test: a fresh simulated Okta org, a worker on a unique task queue
 * of the shared dev server, and a client. Nothing is mocked but the outside world.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { parseAppConfig } from '../../config/app-config';
import type { OktaAuth } from '../../config/worker-config';
import type { ActivityDeps } from '../../activities';
import { createOktaClient } from '../../activities/okta/client';
import { scanScheduleId } from '../../cli/scan-client';
import type { RemediationStatus } from '../../domain/types';
import { remediationWorkflowId, statusQuery } from '../../domain/messages';
import { createRemediationWorker } from '../../worker/worker';
import { OktaSim, type OktaSimOptions } from '../../sim/okta';
import { addPipelineServiceApp, type PipelineServiceApp } from '../../sim/okta/oauth/pipeline-app';

export interface Harness {
  sim: OktaSim;
  /** The worker's service app in the simulated org (undefined on an SSWS token). */
  serviceApp?: PipelineServiceApp;
  /** The CLI's OIDC app in the simulated org, whose ID tokens the worker accepts (OKTA_CLI_CLIENT_ID). */
  signInClientId: string;
  /** What the console notification channel wrote. */
  notices: string[];
  client: Client;
  taskQueue: string;
  address: string;
  worker: Worker;
  /** Stops the worker and starts a new one on the same task queue, with fresh dependencies. */
  restartWorker(): Promise<void>;
  status(appId: string): Promise<RemediationStatus>;
  waitForPhase(appId: string, phase: RemediationStatus['phase'], timeoutMs?: number): Promise<RemediationStatus>;
  close(): Promise<void>;
}

/** Okta's rules (buckets, a token's share, the concurrency cap) at 80 times its default rates. */
export const TEST_RATE_LIMIT = { limit: 48_000, logsLimit: 9_600 };

export function temporalAddress(): string {
  const address = process.env.TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEST_TEMPORAL_ADDRESS is not set: run the tests through jest (its global setup starts the dev server).');
  return address;
}

/** Poll until `check` returns a value; a condition, not a fixed sleep. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface HarnessOptions {
  sim?: OktaSimOptions;
  /** A started simulator to use (e.g. a SimWorld's), instead of a fresh one; the caller stops it. */
  okta?: OktaSim;
  /** Per-app settings and vendor credentials, as a worker would load them. */
  deps?: Pick<Partial<ActivityDeps>, 'appConfig' | 'vendors' | 'temporal' | 'sync'>;
  /** How the worker signs in to Okta: as a DPoP-bound service app (the default), or with the simulator's SSWS API token. */
  oktaAuth?: 'service-app' | 'api-token';
  /** An SSWS API token for the worker instead, read at each (re)start: a test revokes it by returning another. */
  oktaToken?: () => string;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const address = temporalAddress();
  // Tests poll syncState every 25 ms, 80 times as often as a worker does (2 s): Okta's limits are
  // scaled by as much. The pacing tests use a real org's limits, scaled in time instead.
  const sim = options.okta ?? new OktaSim({ syncDelayMs: 30, rateLimit: TEST_RATE_LIMIT, signInPollSeconds: 1, ...options.sim });
  if (!options.okta) await sim.start();
  const notices: string[] = [];
  const connection = await NativeConnection.connect({ address });
  const clientConnection = await Connection.connect({ address });
  const client = new Client({ connection: clientConnection });
  const taskQueue = `test-${randomUUID()}`;
  const serviceApp = options.oktaAuth === 'api-token' || options.oktaToken ? undefined : addPipelineServiceApp(sim);
  const signInClientId = sim.addSignInApp();
  const oktaAuth = (): OktaAuth => (serviceApp ? { mode: 'PrivateKey', ...serviceApp } : { mode: 'SSWS', token: options.oktaToken?.() ?? sim.apiToken });
  // Fresh dependencies each time, so a restarted worker shares no memory with the one before.
  const startWorker = async () => {
    const w = await createRemediationWorker({
      connection,
      taskQueue,
      workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! },
      deps: {
        okta: createOktaClient({ orgUrl: sim.url, auth: oktaAuth(), requestTimeoutMs: 10_000 }),
        orgUrl: sim.url,
        signInClientId,
        appConfig: parseAppConfig({}),
        vendors: {},
        lookbackHours: 24,
        sync: { timeoutMs: 10_000, pollMs: 25 },
        temporal: { client, taskQueue },
        notifyLog: (line) => notices.push(line),
        ...options.deps,
      },
    });
    return { worker: w, running: w.run() };
  };
  let current = await startWorker();
  const stopWorker = async () => {
    current.worker.shutdown();
    await current.running;
  };
  const status = (appId: string) => client.workflow.getHandle(remediationWorkflowId(appId)).query(statusQuery);
  return {
    sim,
    serviceApp,
    signInClientId,
    notices,
    client,
    taskQueue,
    address,
    get worker() {
      return current.worker;
    },
    async restartWorker() {
      await stopWorker();
      current = await startWorker();
    },
    status,
    waitForPhase: (appId, phase, timeoutMs) =>
      eventually(
        async () => {
          const s = await status(appId);
          return s.phase === phase ? s : undefined;
        },
        `app ${appId} to reach phase ${phase}`,
        timeoutMs,
      ),
    async close() {
      await clearTaskQueue(client, taskQueue);
      await stopWorker();
      await connection.close();
      await clientConnection.close();
      if (!options.okta) await sim.stop();
    },
  };
}

/** Leaves nothing of a task queue running on the shared server for the next test to trip over. */
export async function clearTaskQueue(client: Client, taskQueue: string): Promise<void> {
  await client.schedule
    .getHandle(scanScheduleId(taskQueue))
    .delete()
    .catch(() => undefined);
  for await (const wf of client.workflow.list({ query: `TaskQueue="${taskQueue}" AND ExecutionStatus="Running"` })) {
    await client.workflow
      .getHandle(wf.workflowId, wf.runId)
      .terminate('test finished')
      .catch(() => undefined);
  }
}

/** A workflow's whole history as searchable text, with every payload decoded (they travel base64). */
export async function historyText(client: Client, workflowId: string): Promise<string> {
  const json = JSON.stringify(await client.workflow.getHandle(workflowId).fetchHistory());
  return json.replace(/"data":"([A-Za-z0-9+/=]*)"/g, (_, b64: string) => JSON.stringify(Buffer.from(b64, 'base64').toString('utf8')));
}
