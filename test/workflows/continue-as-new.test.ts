/**
 * The paged retry runs as the remediation's child workflow and continues as new whenever its run's
 * history reaches a bound: each run takes up at the page the last one reached, nobody is pushed
 * twice or left out, and a message sent to the remediation meanwhile is acted on.
 */
import { reportReauth, startOrJoinRemediation, startRemediation } from '../../client/remediations';
import { remediationWorkflowId, repushPagesWorkflowId } from '../../domain/messages';
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
  await reportReauth(h.client, appId, 'admin@example.com');

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
