/**
 * `npm run bench`: how long a remediation takes for an app with many failed users, end to end on
 * a real Temporal dev server and the simulated Okta org (through the real SDK).
 * Usage: npm run bench -- [users=500] [concurrency=4]
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createOktaClient } from '../activities/okta/client';
import { reportReauth, startRemediation } from '../cli/remediation-client';
import { startDevServer } from '../scripts/dev-server';
import { OktaSim } from '../sim/okta';
import { remediationWorkflowId, statusQuery } from '../workflows/messages';
import { parseAppConfig } from '../worker/app-config';
import { createRemediationWorker } from '../worker/worker';

async function main(): Promise<void> {
  const users = Number(process.argv[2] ?? 500);
  const concurrency = Number(process.argv[3] ?? 4);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const server = await startDevServer();
  const sim = new OktaSim({ syncDelayMs: 50, rateLimit: { limit: 100_000, windowMs: 60_000 } });
  await sim.start();
  const appId = sim.addApp({ name: 'docusign', label: 'DocuSign' });
  const ids = Array.from({ length: users }, (_, i) => sim.addUser({ login: `user${i}@example.com`, firstName: 'User', lastName: String(i) }));
  sim.breakCredential(appId);
  for (const id of ids) sim.assignUser(appId, id);

  const connection = await NativeConnection.connect({ address: server.address });
  const client = new Client({ connection: await Connection.connect({ address: server.address }) });
  const taskQueue = `bench-${randomUUID()}`;
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: new DefaultLogger('WARN') });
  const worker = await createRemediationWorker({
    connection,
    taskQueue,
    workflowBundle: { code },
    deps: {
      okta: createOktaClient({ orgUrl: sim.url, auth: { mode: 'SSWS', token: sim.apiToken }, requestTimeoutMs: 10_000 }),
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
    await startRemediation(client, taskQueue, { appId, retryConcurrency: concurrency });
    const handle = client.workflow.getHandle(remediationWorkflowId(appId));
    for (;;) {
      if ((await handle.query(statusQuery)).phase === 'awaiting_reauth') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const diagnosed = Date.now() - t0;
    sim.reauthenticate(appId);
    const t1 = Date.now();
    await reportReauth(client, appId, 'bench@example.com');
    const report = await handle.result();
    const retried = Date.now() - t1;
    const ok = report.results.filter((r: { outcome: string }) => r.outcome === 'succeeded').length;
    console.log(JSON.stringify({ users, concurrency, diagnoseMs: diagnosed, verifyAndRetryMs: retried, usersPerSecond: Math.round((ok / retried) * 1000 * 10) / 10, succeeded: ok, oktaRequests: sim.requestCount() }));
  } finally {
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
