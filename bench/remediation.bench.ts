/**
 * `npm run bench -- --users N --okta-rate R [--concurrency C] [--leavers L]`: a full remediation of
 * an app with N failed users (and L failed deprovisions, removed before the wait), end to end on a real Temporal dev server and the simulated Okta org (its real
 * rate-limit rules at R requests a minute per bucket), and how close it comes to the limits:
 * the rate-limit bound (the fewest requests the retry needs at the worker's share of R) and
 * Temporal's payload and history limits. Prints its figures, then one JSON line, last.
 * The old positional form (`npm run bench -- 500 4`) still works.
 */
import { Command } from 'commander';
import { DEFAULT_OKTA_PACING } from '../activities/okta/client';
import { reportReauth, startRemediation } from '../client/remediations';
import type { RemediationStatus } from '../domain/types';
import { checkpointWorkflowId, remediationWorkflowId, repushPagesWorkflowId, statusQuery, userBatchWorkflowId } from '../domain/messages';
import { countResults } from '../domain/report';
import { fetchHistoryInPages, historyBytes, largestPayloadBytes } from './payloads';
import { positive, printFigures, startBenchWorld } from './setup';

interface Options {
  users: number;
  oktaRate: number;
  concurrency: number;
  latencyMs: number;
  leavers: number;
}

function parseOptions(argv: string[]): Options {
  const program = new Command('bench')
    .option('--users <n>', 'failed users on the app', positive('--users'), 500)
    .option('--okta-rate <n>', "requests a minute in each of the simulated org's buckets", positive('--okta-rate'), 6000)
    .option('--concurrency <n>', 'users re-pushed at once', positive('--concurrency'), 4)
    .option('--latency-ms <n>', "the simulated org's answer time", (v) => Number(v), 20)
    .option('--leavers <n>', 'failed deprovisions on the app (removed at the vendor before the wait)', (v) => Number(v), 0)
    .argument('[users]', 'positional form: users')
    .argument('[concurrency]', 'positional form: concurrency')
    .parse(argv, { from: 'user' });
  const opts = program.opts<Options>();
  const [users, concurrency] = program.args;
  return { ...opts, users: users ? positive('users')(users) : opts.users, concurrency: concurrency ? positive('concurrency')(concurrency) : opts.concurrency };
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const { sim, client, taskQueue, peakRssMb, stop } = await startBenchWorld(o);
  const appId = sim.addApp({ name: 'docusign', label: 'DocuSign' });
  const ids = Array.from({ length: o.users }, (_, i) => sim.addUser({ login: `user${i}@example.com`, firstName: 'User', lastName: String(i) }));
  const leavers = Array.from({ length: o.leavers }, (_, i) => sim.addUser({ login: `leaver${i}@example.com`, firstName: 'Leaver', lastName: String(i) }));
  for (const id of leavers) sim.assignUser(appId, id);
  sim.breakCredential(appId);
  for (const id of ids) sim.assignUser(appId, id);
  for (const id of leavers) sim.unassignUser(appId, id);
  try {
    const t0 = Date.now();
    await startRemediation(client, taskQueue, { appId, retryConcurrency: o.concurrency });
    const handle = client.workflow.getHandle(remediationWorkflowId(appId));
    while ((await handle.query(statusQuery)).phase !== 'awaiting_reauth') await new Promise((r) => setTimeout(r, 20));
    const diagnoseMs = Date.now() - t0;
    sim.reauthenticate(appId);
    const requestsBefore = sim.requestCount();
    const t1 = Date.now();
    await reportReauth(client, appId, { by: 'bench@example.com' });
    const report = (await handle.result()) as RemediationStatus;
    const elapsedMs = Date.now() - t1;
    const oktaRequests = sim.requestCount() - requestsBefore;
    // Every run: the remediation's (it continues as new between phases once long, through a
    // checkpoint workflow), and each run of its paged retry (a child that continues as new).
    const runsOf = async (workflowId: string) => {
      const runs = [];
      for await (const run of client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) runs.push(await fetchHistoryInPages(client, run.workflowId, run.runId));
      return runs;
    };
    const remediationRuns = await runsOf(handle.workflowId);
    const retryRuns = await runsOf(repushPagesWorkflowId(appId));
    const histories = [...remediationRuns, ...retryRuns];
    const firstRunId = (await handle.describe()).raw.workflowExecutionInfo!.firstRunId!;
    for (let n = 1; ; n++) {
      const checkpoint = await fetchHistoryInPages(client, checkpointWorkflowId(appId, firstRunId, n)).catch(() => undefined);
      if (!checkpoint) break;
      histories.push(checkpoint);
    }
    // And each batch of removals and one-by-one re-pushes, a child of its own.
    let userBatches = 0;
    for (; ; userBatches++) {
      const batch = await fetchHistoryInPages(client, userBatchWorkflowId(appId, userBatches + 1)).catch(() => undefined);
      if (!batch) break;
      histories.push(batch);
    }
    // The fewest requests the retry needs is one per user, at the worker's share of the bucket.
    const boundMs = Math.round((o.users / (o.oktaRate * DEFAULT_OKTA_PACING.share)) * 60_000);
    const figures = {
      users: o.users,
      concurrency: o.concurrency,
      oktaRate: o.oktaRate,
      succeeded: countResults(report, 'push').succeeded,
      stillFailing: countResults(report, 'push').still_failing,
      leavers: o.leavers,
      leaversReported: o.leavers - countResults(report, 'deprovision').pending,
      diagnoseMs,
      elapsedMs,
      boundMs,
      boundRatio: Math.round((boundMs / elapsedMs) * 1000) / 1000,
      oktaRequests,
      requestsPerUser: Math.round((oktaRequests / o.users) * 100) / 100,
      okta429: sim.throttledCount,
      remediationRuns: remediationRuns.length,
      retryRuns: retryRuns.length,
      userBatches,
      remediationHistoryEvents: Math.max(...remediationRuns.map((h) => h.events?.length ?? 0)),
      maxHistoryEvents: Math.max(...histories.map((h) => h.events?.length ?? 0)),
      maxHistoryBytes: Math.max(...histories.map(historyBytes)),
      maxPayloadBytes: Math.max(...histories.map(largestPayloadBytes)),
      peakWorkerRssMb: peakRssMb(),
    };
    printFigures(figures);
  } finally {
    await stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
