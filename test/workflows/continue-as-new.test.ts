/**
 * The paged retry runs as the remediation's child workflow and continues as new whenever its run's
 * history reaches a bound: each run takes up at the page the last one reached, nobody is pushed
 * twice or left out, and a message sent to the remediation meanwhile is acted on. The remediation
 * itself continues as new between phases: every user and result comes back through a checkpoint.
 */
import { remediationStatus, reportLines, reportReauth, startOrJoinRemediation, startRemediation } from '../../client/remediations';
import { parseAppConfig } from '../../config/app-config';
import { checkpointWorkflowId, remediationWorkflowId, repushPagesWorkflowId } from '../../domain/messages';
import { countResults } from '../../domain/report';
import type { RemediationStatus } from '../../domain/types';
import { fetchHistoryInPages } from '../../bench/payloads';
import { recordHistory, recording } from '../replay/record';
import { eventually, startHarness, type Harness } from '../support/harness';

let h: Harness;
afterEach(() => h?.close());

const USERS = 300;
const PAGE = 20;
const RUN_EVENTS = 40;

it('continues the paged retry as new within a bounded history, carries its place, and keeps a signal sent meanwhile', async () => {
  h = await startHarness({ sim: { syncDelayMs: 200 } });
  const appId = h.sim.addApp({ name: 'docusign', label: 'DocuSign' });
  h.sim.breakCredential(appId);
  for (let i = 0; i < USERS; i++) h.sim.assignUser(appId, h.sim.addUser({ login: `user${i}@example.com`, firstName: 'User', lastName: String(i) }));
  await startRemediation(h.client, h.taskQueue, { appId, retryPageSize: PAGE, retryRunEvents: RUN_EVENTS });
  await h.waitForPhase(appId, 'awaiting_reauth', 60_000);
  h.sim.reauthenticate(appId, { login: 'admin@example.com' });
  // Someone the diagnosis did not see: assigned after the re-auth, then reported failed by a scan.
  const lateId = h.sim.addUser({ login: 'late@example.com', firstName: 'Late', lastName: 'Joiner' });
  h.sim.assignUser(appId, lateId);
  const pushesBefore = h.sim.requestCount({ method: 'POST', path: /^\/api\/v1\/apps\/[^/]+\/users\/[^/]+$/ });
  await reportReauth(h.client, appId, { by: 'admin@example.com' });

  // Once the retry has continued as new at least once, and while it still runs, the signal goes in.
  const retry = h.client.workflow.getHandle(repushPagesWorkflowId(appId));
  await eventually(async () => {
    const d = await retry.describe().catch(() => undefined);
    return d && d.status.name === 'RUNNING' && d.raw.workflowExecutionInfo?.firstRunId !== d.runId ? true : undefined;
  }, 'the retry continued as new');
  const failedAt = new Date().toISOString();
  const joined = await startOrJoinRemediation(h.client, h.taskQueue, appId, [
    { userId: lateId, login: 'late@example.com', displayName: 'Late Joiner', kind: 'push', failedAt, reason: 'Found by a scan during the retry.' },
  ]);
  expect(joined.action).toBe('joined');

  const report = (await h.client.workflow.getHandle(remediationWorkflowId(appId)).result()) as RemediationStatus;
  expect(report.phase).toBe('completed');
  expect(countResults(report, 'push')).toMatchObject({ succeeded: USERS + 1, still_failing: 0 });
  // Each user once: a page no run did twice, the late one re-pushed one by one.
  expect(h.sim.requestCount({ method: 'POST', path: /^\/api\/v1\/apps\/[^/]+\/users\/[^/]+$/ }) - pushesBefore).toBe(USERS + 1);

  // Every run of the retry stayed near its bound (a run ends after the page that passes it).
  const runs = await eventually(async () => {
    const found = [];
    for await (const w of h.client.workflow.list({ query: `WorkflowId = "${repushPagesWorkflowId(appId)}"` })) found.push(w);
    return found.length > 1 && found.every((w) => w.status.name !== 'RUNNING') ? found : undefined;
  }, 'the retry runs in the visibility store');
  expect(runs.length).toBeGreaterThanOrEqual(3);
  for (const run of runs) {
    const history = await fetchHistoryInPages(h.client, run.workflowId, run.runId);
    expect(history.events?.length).toBeLessThanOrEqual(RUN_EVENTS + 30);
  }
  // The remediation's own history holds none of the pages' activities.
  const own = await fetchHistoryInPages(h.client, remediationWorkflowId(appId));
  expect(own.events?.some((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'repushPage')).toBe(false);
  if (recording) {
    await recordHistory(h.client, remediationWorkflowId(appId), 'retry-continued-as-new');
    const first = [...runs].sort((a, b) => a.startTime.getTime() - b.startTime.getTime())[0]!; // ends by continuing as new
    await recordHistory(h.client, first.workflowId, 'retry-child-first-run', first.runId);
  }
}, 180_000);

it('continues the remediation as new between phases: users, results and a user added meanwhile come through', async () => {
  h = await startHarness({ deps: { appConfig: parseAppConfig({ defaults: { deprovisionPolicy: 'auto', wait: { autoDetect: false } } }) } });
  const appId = h.sim.addApp({ name: 'salesforce', label: 'Salesforce.com' });
  const leavers = Array.from({ length: 5 }, (_, i) => h.sim.addUser({ login: `leaver${i}@example.com`, firstName: 'Leaver', lastName: String(i) }));
  for (const id of leavers) h.sim.assignUser(appId, id);
  h.sim.breakCredential(appId);
  for (const id of leavers) h.sim.unassignUser(appId, id);
  for (let i = 0; i < 40; i++) h.sim.assignUser(appId, h.sim.addUser({ login: `hire${i}@example.com`, firstName: 'Hire', lastName: String(i) }));

  // A bound of one event: the run continues as new at each phase it reaches.
  await startRemediation(h.client, h.taskQueue, { appId, runEvents: 1 });
  await h.waitForPhase(appId, 'awaiting_reauth', 60_000);
  const handle = h.client.workflow.getHandle(remediationWorkflowId(appId));
  const waiting = await handle.describe();
  expect(waiting.runId).not.toBe(waiting.raw.workflowExecutionInfo?.firstRunId);
  // The removals of the first run are in the second's report.
  const { status } = await remediationStatus(h.client, appId);
  expect(status.affected).toHaveLength(45);
  expect(countResults(status, 'deprovision')).toMatchObject({ still_failing: 5 });

  // Someone a scan found while the run that waits holds the users: carried into the retry's run.
  const lateId = h.sim.addUser({ login: 'late@example.com', firstName: 'Late', lastName: 'Joiner' });
  h.sim.assignUser(appId, lateId);
  const late = { userId: lateId, login: 'late@example.com', displayName: 'Late Joiner', kind: 'push' as const, failedAt: new Date().toISOString(), reason: 'Found by a scan during the wait.' };
  expect((await startOrJoinRemediation(h.client, h.taskQueue, appId, [late])).action).toBe('joined');
  h.sim.reauthenticate(appId, { login: 'admin@example.com' });
  await reportReauth(h.client, appId, { by: 'admin@example.com' });

  const report = (await handle.result()) as RemediationStatus;
  expect(report.phase).toBe('completed');
  expect(report.reauthClaims.at(-1)).toMatchObject({ by: 'admin@example.com', verified: true });
  expect(countResults(report, 'push')).toMatchObject({ succeeded: 41, still_failing: 0 });
  expect(countResults(report, 'deprovision')).toMatchObject({ still_failing: 5 });
  const lines = [];
  for await (const line of reportLines(h.client, appId)) lines.push(line);
  expect(lines).toHaveLength(46);
  expect(lines.filter((l) => !l.result)).toEqual([]);

  // Three runs (diagnosis, wait, retry), and each checkpoint handed its users on and ended.
  const runs = await eventually(async () => {
    const found = [];
    for await (const w of h.client.workflow.list({ query: `WorkflowId = "${remediationWorkflowId(appId)}"` })) found.push(w);
    return found.length >= 3 && found.every((w) => w.status.name !== 'RUNNING') ? found : undefined;
  }, 'the remediation runs in the visibility store');
  expect(runs.map((w) => w.status.name).sort()).toEqual(['COMPLETED', 'CONTINUED_AS_NEW', 'CONTINUED_AS_NEW']);
  const checkpoint = (n: number) => checkpointWorkflowId(appId, waiting.raw.workflowExecutionInfo!.firstRunId!, n);
  for (const n of [1, 2]) expect((await h.client.workflow.getHandle(checkpoint(n)).describe()).status.name).toBe('COMPLETED');
  if (recording) {
    const first = [...runs].sort((a, b) => a.startTime.getTime() - b.startTime.getTime())[0]!;
    await recordHistory(h.client, first.workflowId, 'remediation-first-run', first.runId);
    await recordHistory(h.client, remediationWorkflowId(appId), 'remediation-resumed-run');
    await recordHistory(h.client, checkpoint(1), 'remediation-checkpoint');
  }
}, 180_000);
