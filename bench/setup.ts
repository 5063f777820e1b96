/**
 * What every benchmark runs on: a real dev server (refusing payloads over the project's bound), the
 * simulated Okta org at a given rate, and one worker in this process, whose peak memory is sampled.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { InvalidArgumentError } from 'commander';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createOktaClient } from '../activities/okta/client';
import { parseAppConfig } from '../config/app-config';
import { PAYLOAD_BOUND, startDevServer } from '../scripts/dev-server';
import { OktaSim } from '../sim/okta';
import { createRemediationWorker } from '../worker/worker';

export interface BenchWorld {
  sim: OktaSim;
  client: Client;
  taskQueue: string;
  /** The process's peak resident memory so far, in MB: the worker's, with the simulator's. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

export async function startBenchWorld(o: { oktaRate: number; latencyMs: number; oktaLogsRate?: number }): Promise<BenchWorld> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const server = await startDevServer({ dynamicConfig: PAYLOAD_BOUND });
  const sim = new OktaSim({ syncDelayMs: 50, rateLimit: { limit: o.oktaRate, logsLimit: o.oktaLogsRate }, latencyMs: o.latencyMs });
  await sim.start();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
  const connection = await NativeConnection.connect({ address: server.address });
  const client = new Client({ connection: await Connection.connect({ address: server.address }) });
  const taskQueue = `bench-${randomUUID()}`;
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: new DefaultLogger('WARN') });
  const okta = createOktaClient({ orgUrl: sim.url, auth: { mode: 'SSWS', token: sim.apiToken }, requestTimeoutMs: 10_000 });
  const worker = await createRemediationWorker({
    connection,
    taskQueue,
    workflowBundle: { code },
    deps: {
      okta,
      orgUrl: sim.url,
      appConfig: parseAppConfig({ defaults: { wait: { autoDetect: false } } }),
      vendors: {},
      lookbackHours: 24,
      sync: { timeoutMs: 30_000, pollMs: 50 },
      temporal: { client, taskQueue },
      notifyLog: () => undefined,
    },
  });
  const running = worker.run();
  return {
    sim,
    client,
    taskQueue,
    peakRssMb: () => Math.round(peakRss / 2 ** 20),
    async stop() {
      clearInterval(sampler);
      worker.shutdown();
      await running;
      await sim.stop();
      await server.stop();
    },
  };
}

/** Prints each figure on its own line, then all of them as one JSON line, last. */
export function printFigures(figures: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(figures)) console.log(`${name.padEnd(18)} ${String(value)}`);
  console.log(JSON.stringify(figures));
}

/** A commander parser for a whole number of at least one. */
export const positive = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive whole number`);
  return n;
};
