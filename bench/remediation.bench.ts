/**
 * `npm run bench -- --users N --okta-rate R [--concurrency C]`: a full remediation of an app with
 * N failed users, end to end on a real Temporal dev server and the simulated Okta org (its real
 * rate-limit rules at R requests a minute per bucket), and how close it comes to the limits:
 * the rate-limit bound (the fewest requests the retry needs at the worker's share of R) and
 * Temporal's payload and history limits. Prints its figures, then one JSON line, last.
 * The old positional form (`npm run bench -- 500 4`) still works.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { Command, InvalidArgumentError } from 'commander';
import { createOktaClient, DEFAULT_OKTA_PACING } from '../activities/okta/client';
import { reportReauth, startRemediation } from '../client/remediations';
import type { RemediationStatus } from '../domain/types';
import { PAYLOAD_BOUND, startDevServer } from '../scripts/dev-server';
import { OktaSim } from '../sim/okta';
import { remediationWorkflowId, statusQuery } from '../domain/messages';
import { parseAppConfig } from '../config/app-config';
import { createRemediationWorker } from '../worker/worker';
import { countResults } from '../domain/report';
import { fetchHistoryInPages, largestPayloadBytes } from './payloads';

interface Options {
  users: number;
  oktaRate: number;
  concurrency: number;
  latencyMs: number;
}

const positive = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive whole number`);
  return n;
};

function parseOptions(argv: string[]): Options {
  const program = new Command('bench')
    .option('--users <n>', 'failed users on the app', positive('--users'), 500)
    .option('--okta-rate <n>', "requests a minute in each of the simulated org's buckets", positive('--okta-rate'), 6000)
    .option('--concurrency <n>', 'users re-pushed at once', positive('--concurrency'), 4)
    .option('--latency-ms <n>', "the simulated org's answer time", (v) => Number(v), 20)
    .argument('[users]', 'positional form: users')
    .argument('[concurrency]', 'positional form: concurrency')
    .parse(argv, { from: 'user' });
  const opts = program.opts<Options>();
  const [users, concurrency] = program.args;
  return { ...opts, users: users ? positive('users')(users) : opts.users, concurrency: concurrency ? positive('concurrency')(concurrency) : opts.concurrency };
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const server = await startDevServer({ dynamicConfig: PAYLOAD_BOUND });
  const sim = new OktaSim({ syncDelayMs: 50, rateLimit: { limit: o.oktaRate }, latencyMs: o.latencyMs });
  await sim.start();
  const appId = sim.addApp({ name: 'docusign', label: 'DocuSign' });
  const ids = Array.from({ length: o.users }, (_, i) => sim.addUser({ login: `user${i}@example.com`, firstName: 'User', lastName: String(i) }));
  sim.breakCredential(appId);
  for (const id of ids) sim.assignUser(appId, id);

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
  try {
    const t0 = Date.now();
    await startRemediation(client, taskQueue, { appId, retryConcurrency: o.concurrency });
    const handle = client.workflow.getHandle(remediationWorkflowId(appId));
    while ((await handle.query(statusQuery)).phase !== 'awaiting_reauth') await new Promise((r) => setTimeout(r, 20));
    const diagnoseMs = Date.now() - t0;
    sim.reauthenticate(appId);
    const requestsBefore = sim.requestCount();
    const t1 = Date.now();
    await reportReauth(client, appId, 'bench@example.com');
    const report = (await handle.result()) as RemediationStatus;
    const elapsedMs = Date.now() - t1;
    const oktaRequests = sim.requestCount() - requestsBefore;
    const history = await fetchHistoryInPages(client, handle.workflowId);
    // The fewest requests the retry needs is one per user, at the worker's share of the bucket.
    const boundMs = Math.round((o.users / (o.oktaRate * DEFAULT_OKTA_PACING.share)) * 60_000);
    const figures = {
      users: o.users,
      concurrency: o.concurrency,
      oktaRate: o.oktaRate,
      succeeded: countResults(report).succeeded,
      stillFailing: countResults(report).still_failing,
      diagnoseMs,
      elapsedMs,
      boundMs,
      boundRatio: Math.round((boundMs / elapsedMs) * 1000) / 1000,
      oktaRequests,
      requestsPerUser: Math.round((oktaRequests / o.users) * 100) / 100,
      okta429: sim.throttledCount,
      maxHistoryEvents: history.events?.length ?? 0,
      maxPayloadBytes: largestPayloadBytes(history),
      peakWorkerRssMb: Math.round(peakRss / 2 ** 20),
    };
    for (const [name, value] of Object.entries(figures)) console.log(`${name.padEnd(18)} ${value}`);
    console.log(JSON.stringify(figures));
  } finally {
    clearInterval(sampler);
    worker.shutdown();
    await running;
    await sim.stop();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
