/**
 * A big app on the real dev server, which refuses any payload over the project's bound (256 KB,
 * test/support/global-setup.ts): 20,000 affected users are diagnosed a page at a time, announced
 * by counts, and every one of them stays in the report, read a page at a time, also after the run
 * continued as new.
 */
import { cancelRemediation, fullRemediationStatus, reportLines, startRemediation } from '../../client/remediations';
import { printReport } from '../../cli/report-command';
import { checkpointWorkflowId, remediationWorkflowId } from '../../domain/messages';
import { fetchHistoryInPages, largestPayloadBytes } from '../../bench/payloads';
import { PAYLOAD_BOUND } from '../../scripts/dev-server';
import { eventually, startHarness, type Harness } from '../support/harness';

let h: Harness;
afterEach(() => h?.close());

const USERS = 20_000;

it('diagnoses 20,000 affected users within the payload bound, says how many, and reports every one', async () => {
  h = await startHarness();
  const appId = h.sim.addApp({ name: 'docusign', label: 'DocuSign' });
  h.sim.breakCredential(appId);
  for (let i = 0; i < USERS; i++) h.sim.assignUser(appId, h.sim.addUser({ login: `user${i}@example.com`, firstName: 'User', lastName: String(i) }));

  await startRemediation(h.client, h.taskQueue, { appId });
  const waiting = await h.waitForPhase(appId, 'awaiting_reauth', 300_000);
  expect(waiting.tally?.affected).toEqual({ push: USERS, deprovision: 0 });
  expect(waiting.affected.length).toBeLessThanOrEqual(100);
  // The admins hear how many, and see the first ones by name.
  const diagnosed = await eventually(() => h.notices.find((n) => n.includes(`${USERS} users could not be provisioned`)), 'the diagnosed notice');
  expect(diagnosed).toContain('user0@example.com');

  // A fresh worker answers from the run's history, replayed: every user is still there.
  await h.restartWorker();
  const csv: string[] = [];
  const rows = await printReport(reportLines(h.client, appId), 'csv', { out: (t) => csv.push(t), err: () => undefined });
  expect(rows).toBe(USERS);
  const ids = new Set(csv.slice(1).map((line) => line.split(',')[1]));
  expect(ids.size).toBe(USERS);
  const { status } = await fullRemediationStatus(h.client, appId);
  expect(status.affected).toHaveLength(USERS);

  await cancelRemediation(h.client, appId, 'test over', 'ops@example.com');
  await h.client.workflow
    .getHandle(remediationWorkflowId(appId))
    .result()
    .catch(() => undefined);
  // The diagnosis' history is long enough that the run continued as new before the wait; no run,
  // nor the checkpoint that carried the users between them, holds a payload over the bound.
  const runs = [];
  for await (const run of h.client.workflow.list({ query: `WorkflowId = "${remediationWorkflowId(appId)}"` })) runs.push(run);
  expect(runs.length).toBeGreaterThanOrEqual(2);
  const firstRunId = (await h.client.workflow.getHandle(remediationWorkflowId(appId)).describe()).raw.workflowExecutionInfo!.firstRunId!;
  const histories = [...runs.map((run) => [run.workflowId, run.runId] as const), [checkpointWorkflowId(appId, firstRunId, 1), undefined] as const];
  for (const [workflowId, runId] of histories) expect(largestPayloadBytes(await fetchHistoryInPages(h.client, workflowId, runId))).toBeLessThanOrEqual(PAYLOAD_BOUND['limit.blobSize.error']);
  // Guards against a hang, not a timing: bench/ measures how long a big app takes.
}, 480_000);
