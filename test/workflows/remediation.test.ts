/** The remediation workflow end to end on the real dev server, against the simulated org. */
import { WorkflowFailedError } from '@temporalio/client';
import { CliError, EXIT } from '../../client/errors';
import { cancelRemediation, remediationStatus, reportReauth, startRemediation, waitForDiagnosis } from '../../client/remediations';
import type { RemediationStatus } from '../../domain/types';
import { seedDemo } from '../../sim/seed';
import { addFailedUsersSignal, remediationWorkflowId, statusQuery } from '../../domain/messages';
import { eventually, historyText, startHarness, type Harness } from '../support/harness';
import { capturedLogs } from '../support/log-capture';

let h: Harness;
afterEach(() => h?.close());

async function finish(appId: string): Promise<RemediationStatus> {
  return h.client.workflow.getHandle(remediationWorkflowId(appId)).result();
}

describe('remediateApp', () => {
  it('remediates both seeded apps: diagnose, wait, verify, retry every affected user', async () => {
    h = await startHarness();
    const seeded = seedDemo(h.sim);
    for (const app of [seeded.docusign, seeded.github]) {
      await startRemediation(h.client, h.taskQueue, { appId: app.appId });
      const waiting = await h.waitForPhase(app.appId, 'awaiting_reauth');
      expect(waiting.diagnosis?.causes[0]?.id).toBe('credential-invalid');
      expect(
        waiting.affected
          .filter((u) => u.kind === 'push')
          .map((u) => u.userId)
          .sort(),
      ).toEqual([...app.pushFailed].sort());
      expect(
        waiting.affected
          .filter((u) => u.kind === 'deprovision')
          .map((u) => u.userId)
          .sort(),
      ).toEqual([...app.deprovisionFailed].sort());
      expect(waiting.affected[0]?.kind).toBe('deprovision');

      h.sim.reauthenticate(app.appId, { login: 'admin@example.com' });
      await reportReauth(h.client, app.appId, { by: 'admin@example.com' }, 'fixed in console');
      const report = await finish(app.appId);

      expect(report.phase).toBe('completed');
      expect(report.reauthClaims).toEqual([expect.objectContaining({ by: 'admin@example.com', note: 'fixed in console', verified: true })]);
      for (const userId of app.pushFailed) {
        expect(report.results.find((r) => r.userId === userId)).toMatchObject({ outcome: 'succeeded' });
        expect(h.sim.appUser(app.appId, userId)?.syncState).toBe('SYNCHRONIZED');
      }
      for (const userId of app.deprovisionFailed) {
        // The default policy asks before removing anyone at the vendor.
        const r = report.results.find((x) => x.userId === userId);
        expect(r).toMatchObject({ kind: 'deprovision', outcome: 'awaiting_approval' });
        expect(r!.detail).toContain(`approve-deprovision --app ${app.appId}`);
      }
      expect(report.results).toHaveLength(report.affected.length);
    }
  });

  it('goes back to waiting when re-auth is reported but the credential still fails, then completes after a real one (the worker on an SSWS API token)', async () => {
    h = await startHarness({ oktaAuth: 'api-token' });
    const { docusign } = seedDemo(h.sim);
    await startRemediation(h.client, h.taskQueue, { appId: docusign.appId });
    await h.waitForPhase(docusign.appId, 'awaiting_reauth');

    await reportReauth(h.client, docusign.appId, { by: 'hasty@example.com' });
    const back = await eventually(async () => {
      const s = await h.status(docusign.appId);
      return s.phase === 'awaiting_reauth' && s.reauthClaims[0]?.verified === false ? s : undefined;
    }, 'the failed verification');
    expect(back.reauthClaims[0]!.verdict).toMatch(/still fails: .*credentials used to connect to the API were invalid/);
    expect(back.results.filter((r) => r.outcome === 'succeeded')).toEqual([]);

    h.sim.reauthenticate(docusign.appId, { login: 'admin@example.com' });
    await reportReauth(h.client, docusign.appId, { by: 'admin@example.com' });
    const report = await finish(docusign.appId);
    expect(report.phase).toBe('completed');
    expect(report.reauthClaims.map((c) => c.verified)).toEqual([false, true]);
    expect(report.results.filter((r) => r.kind === 'push').every((r) => r.outcome === 'succeeded')).toBe(true);
  });

  it('keeps a re-auth signal sent before the workflow waits for it', async () => {
    h = await startHarness();
    const { github } = seedDemo(h.sim);
    h.sim.reauthenticate(github.appId, { login: 'admin@example.com' });
    await startRemediation(h.client, h.taskQueue, { appId: github.appId });
    await reportReauth(h.client, github.appId, { by: 'early@example.com' }); // most likely still diagnosing
    const report = await finish(github.appId);
    expect(report.phase).toBe('completed');
    expect(report.reauthClaims).toEqual([expect.objectContaining({ by: 'early@example.com', verified: true })]);
  });

  it('returns the running remediation on a second start for the same app', async () => {
    h = await startHarness();
    const { docusign } = seedDemo(h.sim);
    const first = await startRemediation(h.client, h.taskQueue, { appId: docusign.appId });
    const second = await startRemediation(h.client, h.taskQueue, { appId: docusign.appId });
    expect(first.started).toBe(true);
    expect(second).toMatchObject({ started: false, runId: first.runId });
    const runs = [];
    for await (const wf of h.client.workflow.list({ query: `WorkflowId="${remediationWorkflowId(docusign.appId)}" AND TaskQueue="${h.taskQueue}"` })) runs.push(wf.runId);
    expect(runs).toEqual([first.runId]);
  });

  it('fails with a clear message for an unknown app', async () => {
    h = await startHarness();
    const appId = '0oaDOESNOTEXIST000000';
    await startRemediation(h.client, h.taskQueue, { appId });
    const err = await waitForDiagnosis(h.client, appId, 30_000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect(err).toMatchObject({ exitCode: EXIT.unknownApp });
    expect((err as Error).message).toMatch(/Okta has no app with id 0oaDOESNOTEXIST000000/);
    await expect(h.client.workflow.getHandle(remediationWorkflowId(appId)).result()).rejects.toBeInstanceOf(WorkflowFailedError);
    expect((await remediationStatus(h.client, appId)).status).toMatchObject({ phase: 'failed' });
  });

  it('refuses reauth-done when no remediation runs for the app', async () => {
    h = await startHarness();
    const err = await reportReauth(h.client, '0oaNOTRUNNING00000000', { by: 'admin@example.com' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: EXIT.noRemediation });
    expect((err as Error).message).toMatch(/No remediation is running for app 0oaNOTRUNNING00000000/);
  });

  it('absorbs Okta 429s and 5xx without failing any user', async () => {
    h = await startHarness();
    const { github } = seedDemo(h.sim);
    h.sim.reauthenticate(github.appId, { login: 'admin@example.com' });
    h.sim.injectFault({ path: /\/api\/v1\/logs/, status: 503, count: 2 });
    h.sim.injectFault({ path: /\/api\/v1\/apps\/[^/]+\/users/, status: 429, count: 3 });
    h.sim.injectFault({ method: 'POST', path: /\/api\/v1\/apps\/[^/]+\/users\//, status: 500, count: 2 });
    await startRemediation(h.client, h.taskQueue, { appId: github.appId });
    await reportReauth(h.client, github.appId, { by: 'admin@example.com' });
    const report = await finish(github.appId);
    expect(report.phase).toBe('completed');
    expect(report.results.filter((r) => r.kind === 'push').map((r) => r.outcome)).toEqual(github.pushFailed.map(() => 'succeeded'));
  });

  it('adds newly failed users to the running remediation', async () => {
    h = await startHarness();
    const { docusign, users } = seedDemo(h.sim);
    await startRemediation(h.client, h.taskQueue, { appId: docusign.appId });
    const waiting = await h.waitForPhase(docusign.appId, 'awaiting_reauth');
    const extra = Object.values(users).find((id) => !waiting.affected.some((a) => a.userId === id))!;
    h.sim.assignUser(docusign.appId, extra); // fails: the credential is still bad
    const handle = h.client.workflow.getHandle(remediationWorkflowId(docusign.appId));
    const newcomer = { userId: extra, login: extra, displayName: extra, kind: 'push' as const, failedAt: new Date().toISOString(), reason: 'new failure' };
    await handle.signal(addFailedUsersSignal, { users: [newcomer] });
    await handle.signal(addFailedUsersSignal, { users: [newcomer] }); // the same news twice joins once
    await eventually(async () => ((await handle.query(statusQuery)).affected.length === waiting.affected.length + 1 ? true : undefined), 'the new user to join');
    h.sim.reauthenticate(docusign.appId, { login: 'admin@example.com' });
    await reportReauth(h.client, docusign.appId, { by: 'admin@example.com' });
    const report = await finish(docusign.appId);
    expect(report.results.find((r) => r.userId === extra)).toMatchObject({ outcome: 'succeeded' });
    expect(report.results).toHaveLength(waiting.affected.length + 1);
  });

  it('cancels with a reason and keeps the report', async () => {
    h = await startHarness();
    const { docusign } = seedDemo(h.sim);
    await startRemediation(h.client, h.taskQueue, { appId: docusign.appId });
    await h.waitForPhase(docusign.appId, 'awaiting_reauth');
    await cancelRemediation(h.client, docusign.appId, 'vendor contract ended', 'ops@example.com');
    const status = await eventually(async () => {
      const s = (await remediationStatus(h.client, docusign.appId)).status;
      return s.phase === 'cancelled' ? s : undefined;
    }, 'the cancellation');
    expect(status.cancellation).toMatchObject({ reason: 'vendor contract ended', by: 'ops@example.com' });
    const handle = h.client.workflow.getHandle(remediationWorkflowId(docusign.appId));
    await expect(handle.result()).rejects.toThrow();
    expect((await handle.describe()).status.name).toBe('CANCELLED');
  });

  it('never writes the Okta API token into workflow history or logs', async () => {
    h = await startHarness();
    const { docusign } = seedDemo(h.sim);
    await startRemediation(h.client, h.taskQueue, { appId: docusign.appId });
    await h.waitForPhase(docusign.appId, 'awaiting_reauth');
    await reportReauth(h.client, docusign.appId, { by: 'hasty@example.com' }); // a failed verification too
    await eventually(async () => ((await h.status(docusign.appId)).reauthClaims[0]?.verified === false ? true : undefined), 'the failed verification');
    h.sim.reauthenticate(docusign.appId, { login: 'admin@example.com' });
    await reportReauth(h.client, docusign.appId, { by: 'admin@example.com' });
    await finish(docusign.appId);
    const history = await historyText(h.client, remediationWorkflowId(docusign.appId));
    expect(history).toContain('Canary'); // decoded payloads are really searched (a verdict)
    expect(history).not.toContain(h.sim.apiToken);
    const logs = JSON.stringify(capturedLogs.map((l) => [l.message, l.meta]));
    expect(logs).toContain('Diagnosed app'); // the activity logs are really captured
    expect(logs).not.toContain(h.sim.apiToken);
  });

  it('logs each phase change and each re-auth verdict from the workflow', async () => {
    const from = capturedLogs.length; // this test's lines only: other tests remediate the same seeded app
    h = await startHarness();
    const { docusign } = seedDemo(h.sim);
    await startRemediation(h.client, h.taskQueue, { appId: docusign.appId });
    await h.waitForPhase(docusign.appId, 'awaiting_reauth');
    await reportReauth(h.client, docusign.appId, { by: 'hasty@example.com' });
    await eventually(async () => ((await h.status(docusign.appId)).reauthClaims[0]?.verified === false ? true : undefined), 'the failed verification');
    h.sim.reauthenticate(docusign.appId, { login: 'admin@example.com' });
    await reportReauth(h.client, docusign.appId, { by: 'admin@example.com' });
    await finish(docusign.appId);
    const lines = capturedLogs
      .slice(from)
      .map((l) => l.message)
      .filter((m) => m.startsWith(`Remediation of app ${docusign.appId}: phase`) || m.startsWith(`Re-auth of app ${docusign.appId}`));
    expect(lines).toEqual([
      `Remediation of app ${docusign.appId}: phase awaiting_reauth`,
      `Remediation of app ${docusign.appId}: phase verifying`,
      expect.stringMatching(new RegExp(`^Re-auth of app ${docusign.appId} reported by hasty@example.com not verified: `)),
      `Remediation of app ${docusign.appId}: phase awaiting_reauth`,
      `Remediation of app ${docusign.appId}: phase verifying`,
      expect.stringMatching(new RegExp(`^Re-auth of app ${docusign.appId} reported by admin@example.com verified: `)),
      `Remediation of app ${docusign.appId}: phase retrying`,
      `Remediation of app ${docusign.appId}: phase completed`,
    ]);
  });
});

describe('remediateApp under bad input and changing state', () => {
  it('refuses malformed signals naming the field, changes nothing, and still completes after a real re-auth', async () => {
    h = await startHarness();
    const { docusign } = seedDemo(h.sim);
    await startRemediation(h.client, h.taskQueue, { appId: docusign.appId });
    const before = await h.waitForPhase(docusign.appId, 'awaiting_reauth');
    const handle = h.client.workflow.getHandle(remediationWorkflowId(docusign.appId));
    await handle.signal('reauthCompleted', {}); // e.g. `temporal workflow signal --input '{}'`
    await handle.signal('approveDeprovision', { logins: [123], by: 7 });
    const refused = await eventually(async () => {
      const s = await h.status(docusign.appId);
      return (s.refusedMessages ?? []).length === 2 ? s : undefined;
    }, 'both refusals');
    expect(refused.refusedMessages!.map((r) => [r.message, r.problem])).toEqual([
      ['reauthCompleted', '"by" is required: who acts (an email or username), or an idToken from `--sign-in`'],
      ['approveDeprovision', '"logins[0]" must be a string: an Okta login'],
    ]);
    expect(refused.reauthClaims).toEqual([]);
    expect(refused.results).toEqual(before.results);
    h.sim.reauthenticate(docusign.appId, { login: 'admin@example.com' });
    await reportReauth(h.client, docusign.appId, { by: 'admin@example.com' });
    const report = await finish(docusign.appId);
    expect(report.phase).toBe('completed');
    expect(report.reauthClaims.map((c) => c.verified)).toEqual([true]);
  });

  it('tries the next canary when the first is no longer assigned in Okta', async () => {
    h = await startHarness();
    const { github } = seedDemo(h.sim);
    await startRemediation(h.client, h.taskQueue, { appId: github.appId });
    const waiting = await h.waitForPhase(github.appId, 'awaiting_reauth');
    const first = waiting.affected.find((u) => u.kind === 'push')!;
    h.sim.reauthenticate(github.appId, { login: 'admin@example.com' });
    h.sim.unassignUser(github.appId, first.userId); // gone before the canary is pushed
    await reportReauth(h.client, github.appId, { by: 'admin@example.com' });
    const report = await finish(github.appId);
    expect(report.reauthClaims[0]).toMatchObject({ verified: true });
    expect(report.results.find((r) => r.userId === first.userId && r.kind === 'push')).toMatchObject({ outcome: 'skipped' });
  });
});
