/**
 * The scanner on the real dev server: scans run through the Temporal Schedule exactly as
 * `okta-remediate scan` runs them, against the simulated org's System Log.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { reportReauth } from '../../cli/remediation-client';
import { DEFAULT_SCHEDULE_SETTINGS, runScanNow, scanScheduleId, upsertScanSchedule, type ScheduleSettings } from '../../cli/scan-client';
import type { ScanResult } from '../../domain/scan';
import type { RemediationStatus } from '../../domain/types';
import { seedDemo, type SeededApp } from '../../sim/seed';
import { remediationWorkflowId } from '../../workflows/messages';
import { recordHistory, recording } from '../replay/record';
import { eventually, startHarness, type Harness } from '../support/harness';

let h: Harness;
afterEach(() => h?.close());

/** An hourly schedule never fires during a test: every scan here is one we trigger. */
async function schedule(settings: Partial<ScheduleSettings> = {}): Promise<void> {
  await upsertScanSchedule(h.client, h.taskQueue, { ...DEFAULT_SCHEDULE_SETTINGS, everySeconds: 3600, lagSeconds: 0, ...settings });
}

async function scan(): Promise<ScanResult> {
  return (await runScanNow(h.client, h.taskQueue, 30_000)).result;
}

const userIds = (app: SeededApp) => [...app.pushFailed, ...app.deprovisionFailed].sort();

async function affectedIds(appId: string): Promise<string[]> {
  return (await h.status(appId)).affected.map((u) => u.userId).sort();
}

/** How many batches of failed users the remediation received (signals in its history). */
async function batchesReceived(appId: string): Promise<number> {
  const history = await h.client.workflow.getHandle(remediationWorkflowId(appId)).fetchHistory();
  return (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'addFailedUsers').length;
}

async function remediationRuns(appId: string): Promise<string[]> {
  const runs: string[] = [];
  for await (const wf of h.client.workflow.list({ query: `WorkflowId="${remediationWorkflowId(appId)}" AND TaskQueue="${h.taskQueue}"` })) runs.push(wf.runId);
  return runs;
}

describe('scanOktaLog', () => {
  if (recording) {
    // For test/replay: a scan that continues from the last one's state and joins a running remediation.
    it('records a scan history', async () => {
      h = await startHarness();
      const { docusign, users } = seedDemo(h.sim);
      await schedule();
      await scan();
      h.sim.assignUser(docusign.appId, Object.values(users).find((id) => !userIds(docusign).includes(id) && !h.sim.appUser(docusign.appId, id))!);
      const run = await runScanNow(h.client, h.taskQueue, 30_000);
      await recordHistory(h.client, run.workflowId, 'scan', run.runId);
    });
  }

  it('groups credential failures by app and starts one remediation per app with its failed users', async () => {
    h = await startHarness();
    const { docusign, github } = seedDemo(h.sim);
    await schedule();

    const result = await scan();

    expect(result.apps.map((a) => [a.appId, a.pushes, a.deprovisions, a.remediation?.action])).toEqual([
      [docusign.appId, docusign.pushFailed.length, docusign.deprovisionFailed.length, 'started'],
      [github.appId, github.pushFailed.length, github.deprovisionFailed.length, 'started'],
    ]);
    for (const app of [docusign, github]) {
      await h.waitForPhase(app.appId, 'awaiting_reauth');
      expect(await affectedIds(app.appId)).toEqual(userIds(app));
      expect(await batchesReceived(app.appId)).toBe(1);
    }
  });

  it('counts other provisioning errors and does not remediate them', async () => {
    h = await startHarness();
    const { docusign, users } = seedDemo(h.sim);
    const zoom = h.sim.addApp({ name: 'zoom', label: 'Zoom' });
    const [first, second] = Object.values(users);
    h.sim.assignUser(zoom, first!);
    h.sim.assignUser(zoom, second!);
    h.sim.logProvisioningFailure(zoom, first!, 'Automatic provisioning of user to app Zoom failed: Rate limit exceeded (429 Too Many Requests)');
    h.sim.logProvisioningFailure(zoom, second!, 'Automatic provisioning of user to app Zoom failed: User not found in Zoom');
    h.sim.logProvisioningFailure(docusign.appId, first!, 'Automatic provisioning of user to app DocuSign failed: Rate limit exceeded');
    await schedule();

    const result = await scan();

    const zoomFindings = result.apps.find((a) => a.appId === zoom)!;
    expect(zoomFindings.credentialEvents).toBe(0);
    expect(zoomFindings.remediation).toBeUndefined();
    expect(zoomFindings.other.map((o) => [o.category, o.count])).toEqual([['rate_limit', 1], ['user_not_found', 1]]);
    await expect(h.client.workflow.getHandle(remediationWorkflowId(zoom)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    // DocuSign's rate-limited user is counted, not added to its remediation.
    const docusignFindings = result.apps.find((a) => a.appId === docusign.appId)!;
    expect(docusignFindings.other).toEqual([expect.objectContaining({ category: 'rate_limit', count: 1 })]);
    await h.waitForPhase(docusign.appId, 'awaiting_reauth');
    expect(await affectedIds(docusign.appId)).toEqual(userIds(docusign));
  });

  it('processes each event once across overlapping windows and a retried read, and sends new failures to the running remediation', async () => {
    h = await startHarness();
    const { docusign, users } = seedDemo(h.sim);
    await schedule({ overlapSeconds: 3600 }); // every window re-reads everything before it
    const first = await scan();
    const started = first.apps.find((a) => a.appId === docusign.appId)!.remediation!;
    const waiting = await h.waitForPhase(docusign.appId, 'awaiting_reauth');

    h.sim.injectFault({ path: /\/api\/v1\/logs/, status: 503, count: 1 }); // the read is retried
    const again = await scan();
    expect(again).toMatchObject({ eventsRead: first.eventsRead, newEvents: 0, duplicates: first.eventsRead, apps: [] });
    expect(await batchesReceived(docusign.appId)).toBe(1);

    const newcomer = Object.values(users).find((id) => !waiting.affected.some((a) => a.userId === id))!;
    h.sim.assignUser(docusign.appId, newcomer); // fails: the credential is still bad
    const third = await scan();
    expect(third).toMatchObject({ newEvents: 1, duplicates: first.eventsRead });
    expect(third.apps).toEqual([expect.objectContaining({ appId: docusign.appId, pushes: 1, remediation: { ...started, action: 'joined' } })]);
    await eventually(async () => ((await affectedIds(docusign.appId)).includes(newcomer) ? true : undefined), 'the newcomer to join');
    expect(await affectedIds(docusign.appId)).toEqual([...userIds(docusign), newcomer].sort());
    expect(await remediationRuns(docusign.appId)).toEqual([started.runId]);

    // The joined user is remediated with the others.
    h.sim.reauthenticate(docusign.appId, { login: 'admin@example.com' });
    await reportReauth(h.client, docusign.appId, 'admin@example.com');
    const report: RemediationStatus = await h.client.workflow.getHandle(remediationWorkflowId(docusign.appId)).result();
    expect(report.results.find((r) => r.userId === newcomer)).toMatchObject({ outcome: 'succeeded' });
  });

  it('continues from its watermark after the worker restarts', async () => {
    h = await startHarness();
    const { github, users } = seedDemo(h.sim);
    await schedule({ overlapSeconds: 0 });
    const first = await scan();
    expect(first.newEvents).toBeGreaterThan(0);

    await h.restartWorker();
    const newcomer = Object.values(users).find((id) => !userIds(github).includes(id) && !h.sim.appUser(github.appId, id))!;
    h.sim.assignUser(github.appId, newcomer);
    const second = await scan();

    expect(second.window.since).toBe(first.state.watermark);
    expect(second).toMatchObject({ eventsRead: 1, newEvents: 1 });
    expect(second.apps).toEqual([expect.objectContaining({ appId: github.appId, pushes: 1, remediation: expect.objectContaining({ action: 'joined' }) })]);
  });

  it('remembers what a completed remediation handled: old failures re-read start nothing, a new failure after it starts a new one', async () => {
    h = await startHarness();
    const { docusign, users } = seedDemo(h.sim);
    await schedule();
    const first = (await scan()).apps.find((a) => a.appId === docusign.appId)!.remediation!;
    await h.waitForPhase(docusign.appId, 'awaiting_reauth');
    h.sim.reauthenticate(docusign.appId, { login: 'admin@example.com' });
    await reportReauth(h.client, docusign.appId, 'admin@example.com');
    const report: RemediationStatus = await h.client.workflow.getHandle(remediationWorkflowId(docusign.appId)).result();
    expect(report.phase).toBe('completed');

    // The schedule is deleted and made again: its watermark is gone, and the lookback re-reads every old failure.
    await h.client.schedule.getHandle(scanScheduleId(h.taskQueue)).delete();
    await schedule();
    const reread = (await scan()).apps.find((a) => a.appId === docusign.appId)!;
    expect(reread.pushes + reread.deprovisions).toBe(userIds(docusign).length);
    expect(reread.remediation).toEqual({ workflowId: first.workflowId, runId: first.runId, action: 'handled' });
    expect(await remediationRuns(docusign.appId)).toEqual([first.runId]);

    // The credential breaks again and someone new fails: that is new, and starts a new remediation for them alone.
    h.sim.breakCredential(docusign.appId);
    const newcomer = Object.values(users).find((id) => !userIds(docusign).includes(id) && !h.sim.appUser(docusign.appId, id))!;
    h.sim.assignUser(docusign.appId, newcomer);
    const next = (await scan()).apps.find((a) => a.appId === docusign.appId)!;
    expect(next).toMatchObject({ pushes: 1, deprovisions: 0, remediation: { action: 'started' } });
    expect(next.remediation!.runId).not.toBe(first.runId);
    const history = await h.client.workflow.getHandle(remediationWorkflowId(docusign.appId), next.remediation!.runId).fetchHistory();
    const signal = history.events!.find((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'addFailedUsers')!;
    const sent = JSON.parse(Buffer.from(signal.workflowExecutionSignaledEventAttributes!.input!.payloads![0]!.data!).toString('utf8')) as { users: Array<{ userId: string }> };
    expect(sent.users.map((u) => u.userId)).toEqual([newcomer]);
    await eventually(async () => ((await affectedIds(docusign.appId)).includes(newcomer) ? true : undefined), 'the newcomer in the new remediation');
  });
});
