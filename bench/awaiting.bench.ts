/**
 * `npm run bench:awaiting -- --remediations N`: N apps lose their credential at once, and N
 * remediations wait on one worker for their admins' re-auth, as on a bad day of a big org.
 * Measures the worker process's peak memory against 1 GB. The System Log's bucket is raised with
 * the others: at Okta's 120 a minute, a thousand diagnoses alone take over a quarter of an hour. Prints its figures, then one JSON line.
 */
import { Command } from 'commander';
import { remediationWorkflowId } from '../domain/messages';
import { startRemediation } from '../client/remediations';
import { positive, printFigures, startBenchWorld } from './setup';

const LIMIT_MB = 1024;
const USERS_PER_APP = 3;

async function main(): Promise<void> {
  const o = new Command('bench:awaiting')
    .option('--remediations <n>', 'apps with a broken credential, each with its remediation', positive('--remediations'), 1000)
    .parse(process.argv.slice(2), { from: 'user' })
    .opts<{ remediations: number }>();
  const { sim, client, taskQueue, peakRssMb, stop } = await startBenchWorld({ oktaRate: 60_000, oktaLogsRate: 60_000, latencyMs: 0 });
  try {
    const appIds = Array.from({ length: o.remediations }, (_, i) => {
      const appId = sim.addApp({ name: 'generic_app', label: `App ${i}` });
      sim.breakCredential(appId);
      for (let u = 0; u < USERS_PER_APP; u++) sim.assignUser(appId, sim.addUser({ login: `app${i}.user${u}@example.com`, firstName: 'User', lastName: `${i}-${u}` }));
      return appId;
    });
    const t0 = Date.now();
    for (const appId of appIds) await startRemediation(client, taskQueue, { appId });
    // Counted by the project's search attribute, as an operator would: `okta-remediate list`.
    const awaitingCount = async () => (await client.workflow.count(`TaskQueue = '${taskQueue}' AND RemediationPhase = 'awaiting_reauth'`)).count;
    let awaiting = 0;
    while ((awaiting = await awaitingCount()) < o.remediations) await new Promise((r) => setTimeout(r, 1_000));
    const elapsedMs = Date.now() - t0;
    const peak = peakRssMb();
    printFigures({ remediations: o.remediations, awaiting, elapsedMs, peakWorkerRssMb: peak, limitMb: LIMIT_MB, rssRatio: peak === undefined ? null : Math.round((peak / LIMIT_MB) * 1000) / 1000 });
    await Promise.all(appIds.map((appId) => client.workflow.getHandle(remediationWorkflowId(appId)).terminate('benchmark over')));
  } finally {
    await stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
