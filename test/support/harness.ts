/**
 * A remediation stack for one test: a fresh simulated Okta org, a worker on a unique task queue
 * of the shared dev server, and a client. Nothing is mocked but the outside world.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createOktaClient } from '../../activities/okta/client';
import type { RemediationStatus } from '../../domain/types';
import { remediationWorkflowId, statusQuery } from '../../workflows/messages';
import { createRemediationWorker } from '../../worker/worker';
import { OktaSim, type OktaSimOptions } from '../../sim/okta';

export interface Harness {
  sim: OktaSim;
  client: Client;
  taskQueue: string;
  address: string;
  worker: Worker;
  status(appId: string): Promise<RemediationStatus>;
  waitForPhase(appId: string, phase: RemediationStatus['phase']): Promise<RemediationStatus>;
  close(): Promise<void>;
}

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

export async function startHarness(simOptions: OktaSimOptions = {}): Promise<Harness> {
  const address = temporalAddress();
  const sim = new OktaSim({ syncDelayMs: 30, ...simOptions });
  await sim.start();
  const connection = await NativeConnection.connect({ address });
  const clientConnection = await Connection.connect({ address });
  const client = new Client({ connection: clientConnection });
  const taskQueue = `test-${randomUUID()}`;
  const worker = await createRemediationWorker({
    connection,
    taskQueue,
    workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! },
    deps: {
      okta: createOktaClient({ orgUrl: sim.url, auth: { mode: 'SSWS', token: sim.apiToken }, requestTimeoutMs: 10_000 }),
      orgUrl: sim.url,
      lookbackHours: 24,
      sync: { timeoutMs: 10_000, pollMs: 25 },
    },
  });
  const running = worker.run();
  const status = (appId: string) => client.workflow.getHandle(remediationWorkflowId(appId)).query(statusQuery);
  return {
    sim,
    client,
    taskQueue,
    address,
    worker,
    status,
    waitForPhase: (appId, phase) => eventually(async () => {
      const s = await status(appId);
      return s.phase === phase ? s : undefined;
    }, `app ${appId} to reach phase ${phase}`),
    async close() {
      // Leave nothing running on the shared server for the next test to trip over.
      for await (const wf of client.workflow.list({ query: `TaskQueue="${taskQueue}" AND ExecutionStatus="Running"` })) {
        await client.workflow.getHandle(wf.workflowId, wf.runId).terminate('test finished').catch(() => undefined);
      }
      worker.shutdown();
      await running;
      await connection.close();
      await clientConnection.close();
      await sim.stop();
    },
  };
}
