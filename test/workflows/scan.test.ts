/**
 * The scanner on the real dev server: scans run through the Temporal Schedule exactly as
 * `okta-remediate scan` runs them, against the simulated org's System Log.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { reportReauth } from '../../client/remediations';
import { DEFAULT_SCHEDULE_SETTINGS, runScanNow, scanScheduleId, upsertScanSchedule, type ScheduleSettings } from '../../cli/scan-client';
import { DEFAULT_SCAN_SETTINGS, OKTA_LOG_RETENTION_MS, type ScanResult, type ScanSettings, type ScanState } from '../../domain/scan';
import type { RemediationStatus } from '../../domain/types';
import { seedDemo, type SeededApp } from '../../sim/seed';
import { remediationWorkflowId } from '../../domain/messages';
import { recordHistory, recording } from '../replay/record';
import { eventually, startHarness, type Harness } from '../support/harness';

const CREDENTIAL = 'Automatic provisioning of user to app DocuSign failed: The credentials used to connect to the API were invalid; please check your configuration';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

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

/**
 * One scan whose previous state is `state`, handed over as the Schedule hands it (the last
 * completion result): how a test lets days pass.
 */
async function scanAfter(state: ScanState, settings: Partial<ScanSettings> = {}): Promise<{ result: ScanResult; details: string }> {
  const workflowId = `${scanScheduleId(h.taskQueue)}-${randomUUID()}`;
  const { runId } = await h.client.workflowService.startWorkflowExecution({
    namespace: h.client.options.namespace,
    workflowId,
    workflowType: { name: 'scanOktaLog' },
    taskQueue: { name: h.taskQueue },
    input: { payloads: [defaultPayloadConverter.toPayload({ ...DEFAULT_SCAN_SETTINGS, ...settings })] },
    lastCompletionResult: { payloads: [defaultPayloadConverter.toPayload({ state })] },
    identity: 'scan.test',
    requestId: randomUUID(),
  });
  const handle = h.client.workflow.getHandle(workflowId, runId);
  const result: ScanResult = await handle.result();
  const { currentDetails } = await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata');
  return { result, details: currentDetails };
}

/** The Okta user ids of people with no failure in the app yet. */
const newcomers = (app: SeededApp, users: Record<string, string>) => Object.values(users).filter((id) => !userIds(app).includes(id) && !h.sim.appUser(app.appId, id));

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
      h.sim.assignUser(
        docusign.appId,
        Object.values(users).find((id) => !userIds(docusign).includes(id) && !h.sim.appUser(docusign.appId, id))!,
      );
      const run = await runScanNow(h.client, h.taskQueue, 30_000);
      await recordHistory(h.client, run.workflowId, 'scan', run.runId);
    });

    // ... and a scan whose read fails (the worker's Okta token revoked).
    it('records a scan whose read fails', async () => {
      let token = `00${randomUUID().replace(/-/g, '')}`;
      h = await startHarness({ sim: { apiToken: token }, oktaToken: () => token });
      seedDemo(h.sim);
      await schedule();
      await scan();
      token = 'revoked';
      await h.restartWorker();
      const run = await runScanNow(h.client, h.taskQueue, 30_000);
      await recordHistory(h.client, run.workflowId, 'scan-failed-read', run.runId);
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
    expect(zoomFindings.other.map((o) => [o.category, o.count])).toEqual([
      ['rate_limit', 1],
      ['user_not_found', 1],
    ]);
    await expect(h.client.workflow.getHandle(remediationWorkflowId(zoom)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    // DocuSign's rate-limited user is counted, not added to its remediation; so is the failure of
    // the connection itself (application.integration.authentication_failure), which names no user.
    const docusignFindings = result.apps.find((a) => a.appId === docusign.appId)!;
    expect(docusignFindings.other).toEqual([expect.objectContaining({ category: 'credential_not_user', count: 1 }), expect.objectContaining({ category: 'rate_limit', count: 1 })]);
    await h.waitForPhase(docusign.appId, 'awaiting_reauth');
    expect(await affectedIds(docusign.appId)).toEqual(userIds(docusign));
  });

  it('processes each event once, through a retried read, and sends new failures to the running remediation', async () => {
    h = await startHarness();
    const { docusign, users } = seedDemo(h.sim);
    await schedule();
    const first = await scan();
    const started = first.apps.find((a) => a.appId === docusign.appId)!.remediation!;
    const waiting = await h.waitForPhase(docusign.appId, 'awaiting_reauth');

    h.sim.injectFault({ path: /\/api\/v1\/logs/, status: 503, count: 1 }); // the read is retried
    const again = await scan();
    expect(again).toMatchObject({ start: { after: first.state.cursor }, eventsRead: 0, newEvents: 0, apps: [] });
    expect(await batchesReceived(docusign.appId)).toBe(1);

    const newcomer = Object.values(users).find((id) => !waiting.affected.some((a) => a.userId === id))!;
    h.sim.assignUser(docusign.appId, newcomer); // fails: the credential is still bad
    const third = await scan();
    expect(third).toMatchObject({ eventsRead: 1, newEvents: 1, duplicates: 0 });
    expect(third.apps).toEqual([expect.objectContaining({ appId: docusign.appId, pushes: 1, remediation: { ...started, action: 'joined' } })]);
    await eventually(async () => ((await affectedIds(docusign.appId)).includes(newcomer) ? true : undefined), 'the newcomer to join');
    expect(await affectedIds(docusign.appId)).toEqual([...userIds(docusign), newcomer].sort());
    expect(await remediationRuns(docusign.appId)).toEqual([started.runId]);

    // The joined user is remediated with the others.
    h.sim.reauthenticate(docusign.appId, { login: 'admin@example.com' });
    await reportReauth(h.client, docusign.appId, { by: 'admin@example.com' });
    const report: RemediationStatus = await h.client.workflow.getHandle(remediationWorkflowId(docusign.appId)).result();
    expect(report.results.find((r) => r.userId === newcomer)).toMatchObject({ outcome: 'succeeded' });
  });

  it('continues from its cursor after the worker restarts', async () => {
    h = await startHarness();
    const { github, users } = seedDemo(h.sim);
    await schedule();
    const first = await scan();
    expect(first.newEvents).toBeGreaterThan(0);

    await h.restartWorker();
    const newcomer = Object.values(users).find((id) => !userIds(github).includes(id) && !h.sim.appUser(github.appId, id))!;
    h.sim.assignUser(github.appId, newcomer);
    const second = await scan();

    expect(second.start).toEqual({ after: first.state.cursor });
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
    await reportReauth(h.client, docusign.appId, { by: 'admin@example.com' });
    const report: RemediationStatus = await h.client.workflow.getHandle(remediationWorkflowId(docusign.appId)).result();
    expect(report.phase).toBe('completed');

    // The schedule is deleted and made again: its cursor is gone, and the lookback re-reads every old failure.
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

  it('remembers every user a big completed remediation handled, not only those its result names', async () => {
    h = await startHarness();
    const appId = h.sim.addApp({ name: 'docusign', label: 'DocuSign' });
    h.sim.breakCredential(appId);
    const ids = Array.from({ length: 150 }, (_, i) => h.sim.addUser({ login: `big${i}@example.com`, firstName: 'Big', lastName: String(i) }));
    for (const id of ids) h.sim.assignUser(appId, id);
    await schedule();
    const first = (await scan()).apps.find((a) => a.appId === appId)!.remediation!;
    await h.waitForPhase(appId, 'awaiting_reauth');
    h.sim.reauthenticate(appId, { login: 'admin@example.com' });
    await reportReauth(h.client, appId, { by: 'admin@example.com' });
    const report: RemediationStatus = await h.client.workflow.getHandle(remediationWorkflowId(appId)).result();
    expect(report.tally?.outcomes.push.succeeded).toBe(150);
    expect(report.results.length).toBeLessThan(150); // a bounded result: the full report pages

    await h.client.schedule.getHandle(scanScheduleId(h.taskQueue)).delete();
    await schedule();
    const reread = (await scan()).apps.find((a) => a.appId === appId)!;
    expect(reread.pushes).toBe(150);
    expect(reread.remediation).toEqual({ workflowId: first.workflowId, runId: first.runId, action: 'handled' });
    expect(await remediationRuns(appId)).toEqual([first.runId]);
  });

  it('never skips a gap longer than the lookback: a scan after days away reads on from where the last one stopped', async () => {
    h = await startHarness();
    const { docusign, users } = seedDemo(h.sim);
    // Two days ago, while no scan ran, someone's push failed.
    const [missed] = newcomers(docusign, users);
    h.sim.logProvisioningFailure(docusign.appId, missed!, CREDENTIAL, 'application.provision.user.push', new Date(Date.now() - 2 * DAY));
    // The last scan read the log three days ago (a state from before the cursor); the lookback is an hour.
    const watermark = new Date(Date.now() - 3 * DAY).toISOString();

    const { result } = await scanAfter({ watermark, seen: [] }, { lookbackSeconds: 3600 });

    expect(result.start).toEqual({ since: new Date(Date.parse(watermark) - DEFAULT_SCAN_SETTINGS.overlapSeconds * 1000).toISOString() });
    expect(result.state.cursor).toEqual(expect.any(String));
    expect(result.apps.find((a) => a.appId === docusign.appId)).toMatchObject({ pushes: docusign.pushFailed.length + 1, remediation: { action: 'started' } });
    await eventually(async () => ((await affectedIds(docusign.appId)).includes(missed!) ? true : undefined), 'the failure in the gap to reach the remediation');
  });

  it('reports the part of the log Okta no longer keeps as a gap, in the result and the Web UI details', async () => {
    h = await startHarness();
    seedDemo(h.sim);
    const lastRead = new Date(Date.now() - 100 * DAY).toISOString();

    const { result, details } = await scanAfter({ cursor: '1', readAt: lastRead, watermark: lastRead, seen: [] });

    expect(result.gap).toEqual({ from: lastRead, to: expect.any(String) });
    expect(result.start).toEqual({ since: result.gap!.to }); // from the oldest event Okta still holds
    expect(Date.now() - Date.parse(result.gap!.to)).toBeGreaterThanOrEqual(OKTA_LOG_RETENTION_MS);
    expect(result.eventsRead).toBeGreaterThan(0); // everything Okta still holds is read
    expect(details).toMatch(/^## Gap in the System Log\n/);
    expect(details).toContain(`the last read was at ${lastRead}, longer ago than Okta keeps its System Log`);
  });

  it('reads an event Okta writes late, even after a capped scan: the cursor follows persistence, not `published`', async () => {
    h = await startHarness();
    const { docusign, github, users } = seedDemo(h.sim);
    const seeded = userIds(docusign).length + userIds(github).length;
    await eventually(
      () => (h.sim.events().filter((e) => e.outcome?.result === 'FAILURE' && e.eventType.startsWith('application.provision.user.')).length === seeded ? true : undefined),
      'the seeded failures',
    );
    await schedule({ maxEvents: 4 });

    const scans = [await scan()];
    expect(scans[0]).toMatchObject({ truncated: true, eventsRead: 4 });
    // Published an hour ago, before every event read so far, and written to the log only now.
    const [late] = newcomers(docusign, users);
    h.sim.logProvisioningFailure(docusign.appId, late!, CREDENTIAL, 'application.provision.user.push', new Date(Date.now() - HOUR));
    while (scans.at(-1)!.truncated && scans.length < 10) scans.push(await scan());

    // Every failure once: the users', the late one, and each app's connection failure (no user).
    const connection = h.sim.events().filter((e) => e.outcome?.result === 'FAILURE' && e.eventType.startsWith('application.integration.')).length;
    const total = seeded + 1 + connection;
    expect(scans.map((r) => r.eventsRead)).toEqual([...Array<number>(Math.floor(total / 4)).fill(4), total % 4]); // the cap counts only unseen events, never re-read
    expect(scans.reduce((n, r) => n + r.newEvents, 0)).toBe(total);
    await eventually(async () => ((await affectedIds(docusign.appId)).includes(late!) ? true : undefined), 'the late failure to reach the remediation');
  });

  it("a failing scan (the worker's Okta token revoked) keeps its cursor, tells the default channels, and says when it recovers", async () => {
    const apiToken = () => `00${randomUUID().replace(/-/g, '')}`;
    const valid = apiToken();
    const revoked = apiToken();
    let token = valid;
    h = await startHarness({ sim: { apiToken: valid }, oktaToken: () => token });
    const { docusign, users } = seedDemo(h.sim);
    await schedule({ notifyAfterFailures: 2 });
    const good = await scan();
    const scannerNotices = () => h.notices.filter((n) => /Scanner failing|Recovered: the Okta System Log scanner/.test(n));

    token = revoked;
    await h.restartWorker();
    const [blind] = newcomers(docusign, users);
    h.sim.assignUser(docusign.appId, blind!); // fails while the scanner cannot read
    const once = await scan();
    expect(once).toMatchObject({ eventsRead: 0, failure: { error: expect.stringMatching(/HTTP 401 .*check OKTA_API_TOKEN/) }, state: { cursor: good.state.cursor, failedScans: 1 } });
    expect(once.notice).toBeUndefined(); // notifyAfterFailures: 2
    const twice = await scan();
    expect(twice.state).toMatchObject({ cursor: good.state.cursor, failedScans: 2, failingSince: once.failure!.at });
    expect(twice.notice).toMatchObject({ kind: 'scan_failed', delivered: ['console'], failed: [] });
    expect(scannerNotices()).toEqual([expect.stringContaining('Scanner failing: the Okta System Log scan failed (2 scans in a row)')]);
    expect(scannerNotices()[0]).toContain('check OKTA_API_TOKEN');
    expect(h.notices.join('\n')).not.toContain(revoked);

    token = valid; // an operator fixes OKTA_API_TOKEN and restarts the worker
    await h.restartWorker();
    const recovered = await scan();
    expect(recovered).toMatchObject({ start: { after: good.state.cursor }, newEvents: 1, notice: { kind: 'scan_recovered', delivered: ['console'] } });
    expect(recovered.state.failedScans).toBeUndefined();
    expect(scannerNotices()).toHaveLength(2);
    expect(scannerNotices()[1]).toContain('Recovered: the Okta System Log scanner reads the log again');
    await eventually(async () => ((await affectedIds(docusign.appId)).includes(blind!) ? true : undefined), 'the failure during the outage to reach the remediation');
  });

  it('a scan that cannot hand its failures to a remediation keeps its cursor and says so', async () => {
    h = await startHarness({ deps: { temporal: undefined } }); // a worker without a Temporal client for the scanner
    seedDemo(h.sim);
    await schedule();
    const failed = await scan();
    expect(failed).toMatchObject({ eventsRead: 0, failure: { error: expect.stringMatching(/no Temporal client for the scanner/) }, state: { failedScans: 1 } });
    expect(failed.state.cursor).toBeUndefined(); // the failures are read again next time
    expect(failed.notice).toMatchObject({ kind: 'scan_failed', delivered: ['console'] });
  });
});
