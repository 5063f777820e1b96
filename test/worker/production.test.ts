/**
 * The worker as it runs in production: a real process, its metrics for Prometheus, a graceful
 * shutdown on SIGTERM that lets an activity in flight finish instead of cutting it off, and a
 * kill -9 after which a new worker takes the lost work over at the heartbeat timeout.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { decodeTimeoutType } from '@temporalio/common';
import { countResults } from '../../domain/report';
import { reportReauth, startRemediation } from '../../client/remediations';
import { freePort } from '../../scripts/dev-server';
import { OktaSim } from '../../sim/okta';
import { seedDemo } from '../../sim/seed';
import { remediationWorkflowId, repushPagesWorkflowId, statusQuery } from '../../domain/messages';
import { startWorkerProcess, type RunningCli } from '../support/cli';
import { clearTaskQueue, eventually, temporalAddress } from '../support/harness';

let sim: OktaSim | undefined;
let client: Client | undefined;
let worker: RunningCli | undefined;
let taskQueue = '';
beforeEach(() => (taskQueue = `production-${randomUUID()}`));
afterEach(async () => {
  worker?.stop();
  await worker?.done;
  worker = undefined;
  if (client) await clearTaskQueue(client, taskQueue);
  await client?.connection.close();
  await sim?.stop();
});

const workerEnv = (extra: Record<string, string> = {}) => ({
  OKTA_ORG_URL: sim!.url,
  OKTA_API_TOKEN: sim!.apiToken,
  TEMPORAL_ADDRESS: temporalAddress(),
  OKTA_REMEDIATION_TASK_QUEUE: taskQueue,
  OKTA_REMEDIATION_SYNC_POLL_SECONDS: '0.2',
  ...extra,
});

it('serves SDK metrics, and on SIGTERM lets the re-push in flight finish before it exits', async () => {
  sim = new OktaSim({ syncDelayMs: 1_500 }); // each push stays SYNCING a while: the canary is in flight
  await sim.start();
  const { docusign } = seedDemo(sim);
  client = new Client({ connection: await Connection.connect({ address: temporalAddress() }) });
  const metricsPort = await freePort();
  worker = startWorkerProcess(workerEnv({ OKTA_REMEDIATION_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`, OKTA_REMEDIATION_SHUTDOWN_GRACE_SECONDS: '30' }));
  await worker.output(/Worker polling task queue .* metrics on http:\/\/127\.0\.0\.1:\d+\/metrics/);

  await startRemediation(client, taskQueue, { appId: docusign.appId });
  const handle = client.workflow.getHandle(remediationWorkflowId(docusign.appId));
  await eventually(async () => ((await handle.query(statusQuery)).phase === 'awaiting_reauth' ? true : undefined), 'the wait for a re-auth', 60_000);
  const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  expect(metrics).toMatch(/^temporal_worker_task_slots_available\{/m);
  expect(metrics).toMatch(/^temporal_activity_execution_latency/m); // the diagnosis ran on this worker

  sim.reauthenticate(docusign.appId, { login: 'admin@example.com' });
  await reportReauth(client, docusign.appId, { by: 'admin@example.com' });
  await eventually(() => (sim!.requestCount({ method: 'POST', path: new RegExp(`/api/v1/apps/${docusign.appId}/users/[^/]+$`) }) > 0 ? true : undefined), 'the canary push');
  worker.stop(); // SIGTERM, as an orchestrator sends it
  const run = await worker.done;
  worker = undefined;

  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/Worker stopped: task queue \S+ drained\./);
  // The canary's re-push finished on the stopping worker: completed, not timed out or cancelled.
  const events = (await handle.fetchHistory()).events ?? [];
  const canary = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'repushUser')!;
  const outcome = events.find((e) =>
    [e.activityTaskCompletedEventAttributes, e.activityTaskFailedEventAttributes, e.activityTaskTimedOutEventAttributes, e.activityTaskCanceledEventAttributes].some(
      (a) => a && String(a.scheduledEventId) === String(canary.eventId),
    ),
  );
  expect(outcome?.activityTaskCompletedEventAttributes).toBeTruthy();
}, 120_000);

/** The workflow whose history holds the activity: the remediation, or its paged retry's child. */
type KillCase = [phase: string, activity: string, runsIn: (appId: string) => string, sim: { syncDelayMs?: number; latencyMs?: number }];
it.each<KillCase>([
  ['the diagnosis', 'diagnoseApp', remediationWorkflowId, { latencyMs: 400 }], // each Okta read is slow: the diagnosis takes seconds
  ['the re-push of a page', 'repushPage', repushPagesWorkflowId, { syncDelayMs: 3_000 }], // pushes stay in flight for seconds
])(
  'after kill -9 during %s, a new worker takes it over at the heartbeat timeout and every user is re-pushed',
  async (...[, activity, runsIn, simOptions]: KillCase) => {
    sim = new OktaSim(simOptions);
    await sim.start();
    const { docusign } = seedDemo(sim);
    client = new Client({ connection: await Connection.connect({ address: temporalAddress() }) });
    worker = startWorkerProcess(workerEnv());
    await worker.output(/Worker polling task queue/);

    await startRemediation(client, taskQueue, { appId: docusign.appId });
    const handle = client.workflow.getHandle(remediationWorkflowId(docusign.appId));
    const runner = client.workflow.getHandle(runsIn(docusign.appId));
    const inFlight = async () => {
      const { raw } = await runner.describe().catch(() => ({ raw: { pendingActivities: [] } })); // the child starts with the retry
      return raw.pendingActivities?.some((a) => a.activityType?.name === activity && a.lastStartedTime && (a.attempt ?? 1) === 1) ? true : undefined;
    };
    const reauthenticated = (async () => {
      await eventually(async () => ((await handle.query(statusQuery)).phase === 'awaiting_reauth' ? true : undefined), 'the wait for a re-auth', 120_000);
      sim!.reauthenticate(docusign.appId, { login: 'admin@example.com' });
      await reportReauth(client!, docusign.appId, { by: 'admin@example.com' });
    })();
    await eventually(inFlight, `${activity} in flight`, 60_000);
    worker.kill();
    await worker.done;

    worker = startWorkerProcess(workerEnv());
    await reauthenticated;
    const result = await handle.result();
    expect(result.phase).toBe('completed');
    expect(countResults(result).still_failing).toBe(0);
    expect(countResults(result, 'push').succeeded).toBe(docusign.pushFailed.length);
    // The lost attempt ended by its heartbeat timeout (30 s), not its start-to-close (minutes).
    const events = (await runner.fetchHistory()).events ?? [];
    const scheduled = new Set(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activity).map((e) => String(e.eventId)));
    const started = events.find((e) => scheduled.has(String(e.activityTaskStartedEventAttributes?.scheduledEventId)));
    expect(started?.activityTaskStartedEventAttributes?.attempt).toBe(2);
    expect(decodeTimeoutType(started?.activityTaskStartedEventAttributes?.lastFailure?.timeoutFailureInfo?.timeoutType)).toBe('HEARTBEAT');
  },
  180_000,
);
