/**
 * What every benchmark runs on: a real dev server (refusing payloads over the project's bound), the
 * simulated Okta org at a given rate, and one worker, `npm run worker` as production runs it, in a
 * process of its own: its peak memory is the worker's alone, read from the kernel (VmHWM). The worker
 * signs in as production does, as the pipeline's DPoP-bound service app: every call pays for a proof.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { InvalidArgumentError } from 'commander';
import { PAYLOAD_BOUND, startDevServer } from '../scripts/dev-server';
import { PROJECT_ROOT } from '../scripts/temporal-cli';
import { OktaSim } from '../sim/okta';
import { addPipelineServiceApp } from '../sim/okta/oauth/pipeline-app';

export interface BenchWorld {
  sim: OktaSim;
  client: Client;
  taskQueue: string;
  /** The worker process's peak resident memory so far, in MB (Linux: /proc; elsewhere undefined). */
  peakRssMb(): number | undefined;
  stop(): Promise<void>;
}

/** Peak resident memory of a process, in MB, as the kernel counts it. */
function peakRssOf(pid: number): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/** `npm run worker`'s node flags and script (its heap bound among them), run by this Node. */
function workerCommand(): string[] {
  const script = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.worker!;
  const [node, ...args] = script.split(/\s+/);
  if (node !== 'node') throw new Error(`npm run worker should start with node: ${script}`);
  return args;
}

export async function startBenchWorld(o: { oktaRate: number; latencyMs: number; oktaLogsRate?: number }): Promise<BenchWorld> {
  const server = await startDevServer({ dynamicConfig: PAYLOAD_BOUND });
  const sim = new OktaSim({ syncDelayMs: 50, rateLimit: { limit: o.oktaRate, logsLimit: o.oktaLogsRate }, latencyMs: o.latencyMs });
  await sim.start();
  const client = new Client({ connection: await Connection.connect({ address: server.address }) });
  const taskQueue = `bench-${randomUUID()}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'okta-remediation-bench-'));
  const config = path.join(dir, 'config.json');
  // Leavers (bench --leavers) are removed at once, as a team that trusts the pipeline would set it.
  writeFileSync(config, JSON.stringify({ defaults: { wait: { autoDetect: false }, deprovisionPolicy: 'auto' } }));
  const serviceApp = addPipelineServiceApp(sim);
  const keyFile = path.join(dir, 'okta-private-key.pem');
  writeFileSync(keyFile, serviceApp.privateKey, { mode: 0o600 });
  const worker = spawn(process.execPath, workerCommand(), {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      OKTA_ORG_URL: sim.url,
      OKTA_CLIENT_ID: serviceApp.clientId,
      OKTA_PRIVATE_KEY_FILE: keyFile,
      OKTA_KEY_ID: serviceApp.keyId,
      OKTA_SCOPES: serviceApp.scopes,
      TEMPORAL_ADDRESS: server.address,
      OKTA_REMEDIATION_TASK_QUEUE: taskQueue,
      OKTA_REMEDIATION_CONFIG: config,
      OKTA_REMEDIATION_LOOKBACK_HOURS: '24',
      OKTA_REMEDIATION_SYNC_POLL_SECONDS: '0.05',
      OKTA_REMEDIATION_SYNC_TIMEOUT_SECONDS: '30',
      OKTA_REMEDIATION_REQUEST_TIMEOUT_SECONDS: '10',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Its logs are kept (the last few KB) for an early exit only: the figures come last.
  let logs = '';
  worker.stderr.on('data', (d: Buffer) => (logs = (logs + d.toString()).slice(-8_000)));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  // Notices go to its stdout: read all of it, or the pipe fills and the worker blocks.
  await new Promise<void>((resolve, reject) => {
    let out = '';
    worker.stdout.on('data', (d: Buffer) => {
      if (out.length < 10_000) out += d.toString();
      if (/Worker polling task queue/.test(out)) resolve();
    });
    void exited.then(() => reject(new Error(`The worker exited before it polled: ${out}${logs}`)));
  });
  let peak: number | undefined;
  return {
    sim,
    client,
    taskQueue,
    peakRssMb: () => (peak = peakRssOf(worker.pid!) ?? peak),
    async stop() {
      peak = peakRssOf(worker.pid!) ?? peak;
      worker.kill('SIGTERM'); // drains, as in production
      await exited;
      rmSync(dir, { recursive: true, force: true });
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
