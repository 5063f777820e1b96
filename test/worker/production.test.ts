/**
 * The worker as it runs in production: a real process, its metrics for Prometheus, and a graceful
 * shutdown on SIGTERM that lets an activity in flight finish instead of cutting it off.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { reportReauth, startRemediation } from '../../client/remediations';
import { freePort } from '../../scripts/dev-server';
import { OktaSim } from '../../sim/okta';
import { seedDemo } from '../../sim/seed';
import { remediationWorkflowId, statusQuery } from '../../domain/messages';
import { startWorkerProcess, type RunningCli } from '../support/cli';
import { clearTaskQueue, eventually, temporalAddress } from '../support/harness';

let sim: OktaSim | undefined;
let client: Client | undefined;
let worker: RunningCli | undefined;
const taskQueue = `production-${randomUUID()}`;
afterAll(async () => {
  worker?.stop();
  await worker?.done;
  if (client) await clearTaskQueue(client, taskQueue);
  await client?.connection.close();
  await sim?.stop();
});

it('serves SDK metrics, and on SIGTERM lets the re-push in flight finish before it exits', async () => {
  sim = new OktaSim({ syncDelayMs: 1_500 }); // each push stays SYNCING a while: the canary is in flight
  await sim.start();
  const { docusign } = seedDemo(sim);
  client = new Client({ connection: await Connection.connect({ address: temporalAddress() }) });
  const metricsPort = await freePort();
  worker = startWorkerProcess({
    OKTA_ORG_URL: sim.url,
    OKTA_API_TOKEN: sim.apiToken,
    TEMPORAL_ADDRESS: temporalAddress(),
    OKTA_REMEDIATION_TASK_QUEUE: taskQueue,
    OKTA_REMEDIATION_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
    OKTA_REMEDIATION_SHUTDOWN_GRACE_SECONDS: '30',
    OKTA_REMEDIATION_SYNC_POLL_SECONDS: '0.2',
  });
  await worker.output(/Worker polling task queue .* metrics on http:\/\/127\.0\.0\.1:\d+\/metrics/);

  await startRemediation(client, taskQueue, { appId: docusign.appId });
  const handle = client.workflow.getHandle(remediationWorkflowId(docusign.appId));
  await eventually(async () => ((await handle.query(statusQuery)).phase === 'awaiting_reauth' ? true : undefined), 'the wait for a re-auth', 60_000);
  const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  expect(metrics).toMatch(/^temporal_worker_task_slots_available\{/m);
  expect(metrics).toMatch(/^temporal_activity_execution_latency/m); // the diagnosis ran on this worker

  sim.reauthenticate(docusign.appId, { login: 'admin@example.com' });
  await reportReauth(client, docusign.appId, 'admin@example.com');
  await eventually(() => (sim!.requestCount({ method: 'POST', path: new RegExp(`/api/v1/apps/${docusign.appId}/users/[^/]+$`) }) > 0 ? true : undefined), 'the canary push');
  worker.stop(); // SIGTERM, as an orchestrator sends it
  const run = await worker.done;
  worker = undefined;

  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/Worker stopped: task queue \S+ drained\./);
  // The canary's re-push finished on the stopping worker: completed, not timed out or cancelled.
  const events = (await handle.fetchHistory()).events ?? [];
  const canary = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'repushUser')!;
  const outcome = events.find((e) => [e.activityTaskCompletedEventAttributes, e.activityTaskFailedEventAttributes, e.activityTaskTimedOutEventAttributes, e.activityTaskCanceledEventAttributes].some((a) => a && String(a.scheduledEventId) === String(canary.eventId)));
  expect(outcome?.activityTaskCompletedEventAttributes).toBeTruthy();
}, 120_000);
