/**
 * Without anyone saying so: auto-detection notices the credential works again and proceeds to
 * verification. And when someone stops it: a cancellation in the middle of the retries leaves a
 * report that says, consistently, which users were done and which were not.
 */
import { cancelRemediation, remediationStatus, reportReauth, startRemediation } from '../../client/remediations';
import { renderWaitReport } from '../../cli/wait-report';
import { countResults } from '../../domain/report';
import type { RemediationStatus } from '../../domain/types';
import { seedDemo } from '../../sim/seed';
import { parseAppConfig } from '../../config/app-config';
import { reauthCompletedSignal, remediationWorkflowId } from '../../domain/messages';
import { recordHistory, recording } from '../replay/record';
import { eventually, startHarness, type Harness } from '../support/harness';
import { historyOf, messagesOf } from './human-loop.support';

const ALICE = 'alice.admin@example.com';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('auto-detection', () => {
  it('proceeds to verification when the credential works again, with no signal, and says why', async () => {
    const appConfig = parseAppConfig({ defaults: { wait: { autoDetect: true, autoDetectEvery: '300ms', remindEvery: '1h', giveUpAfter: '2h' } } });
    h = await startHarness({ deps: { appConfig } });
    const { github } = seedDemo(h.sim);
    await startRemediation(h.client, h.taskQueue, { appId: github.appId });

    // While the credential is still bad, the checks run and find nothing, and `status` counts them.
    const handle = h.client.workflow.getHandle(remediationWorkflowId(github.appId));
    const checksSeen = (n: number) =>
      eventually(async () => {
        const { status } = await remediationStatus(h!.client, github.appId);
        return status.phase === 'awaiting_reauth' && status.wait!.autoChecks >= n ? status : undefined;
      }, `${n} automatic checks`);
    const checking = await checksSeen(2);
    expect(checking.reauthClaims).toEqual([]);
    // A wait of weeks makes thousands of checks: they leave the history as it was.
    const eventsAfterTwo = (await historyOf(handle)).length;
    await checksSeen(6);
    expect((await historyOf(handle)).length).toBe(eventsAfterTwo);

    h.sim.reauthenticate(github.appId, { login: ALICE });
    const report: RemediationStatus = await handle.result();

    expect(report.phase).toBe('completed');
    expect(report.reauthClaims).toHaveLength(1);
    expect(report.wait!.autoChecks).toBeGreaterThanOrEqual(6);
    const claim = report.reauthClaims[0]!;
    expect(claim).toMatchObject({ by: 'auto-detection', via: 'auto-detection', verified: true });
    expect(claim.note).toMatch(new RegExp(`^Okta shows application\\.lifecycle\\.update by ${ALICE.replace(/\./g, '\\.')} at \\S+$`));
    expect(claim.oktaChanges).toEqual([expect.objectContaining({ actor: ALICE })]);
    expect(claim.mismatch).toBeUndefined(); // nobody claimed anything, so there is nothing to contradict
    expect(report.results.filter((r) => r.kind === 'push').every((r) => r.outcome === 'succeeded')).toBe(true);
    expect(messagesOf(await historyOf(handle))).toMatchObject({ signals: [], updatesAccepted: [] });
    expect(renderWaitReport(report)).toContain('auto-detection at');
    if (recording) await recordHistory(h.client, handle.workflowId, 'auto-detected-reauth');
  });

  it("keeps the count of the checks made before a person's re-auth stopped them", async () => {
    const appConfig = parseAppConfig({ defaults: { wait: { autoDetect: true, autoDetectEvery: '300ms', remindEvery: '1h', giveUpAfter: '2h' } } });
    h = await startHarness({ deps: { appConfig } });
    const { github } = seedDemo(h.sim);
    await startRemediation(h.client, h.taskQueue, { appId: github.appId });
    const seen = await eventually(async () => {
      const { status } = await remediationStatus(h!.client, github.appId);
      return status.phase === 'awaiting_reauth' && status.wait!.autoChecks >= 3 ? status.wait!.autoChecks : undefined;
    }, 'three automatic checks');

    h.sim.reauthenticate(github.appId, { login: ALICE });
    await reportReauth(h.client, github.appId, { by: ALICE });
    const report: RemediationStatus = await h.client.workflow.getHandle(remediationWorkflowId(github.appId)).result();
    expect(report.reauthClaims.at(-1)).toMatchObject({ by: ALICE, verified: true });
    expect(report.wait!.autoChecks).toBeGreaterThanOrEqual(seen);
  });
});

describe('cancellation', () => {
  it('cancelled in the middle of the retries, the report lists who was done and who was not', async () => {
    // Slow pushes, one at a time: the cancellation lands between two users.
    const appConfig = parseAppConfig({ defaults: { wait: { autoDetect: false } } });
    h = await startHarness({ sim: { syncDelayMs: 300 }, deps: { appConfig } });
    const { docusign } = seedDemo(h.sim);
    for (let i = 1; i <= 6; i++) {
      const id = h.sim.addUser({ login: `temp.hire${i}@example.com`, firstName: 'Temp', lastName: `Hire${i}` });
      h.sim.assignUser(docusign.appId, id); // fails at once: the credential is bad
    }
    const pushes = docusign.pushFailed.length + 6;
    await startRemediation(h.client, h.taskQueue, { appId: docusign.appId, retryConcurrency: 1, retryPageSize: 2 });
    await h.waitForPhase(docusign.appId, 'awaiting_reauth');
    h.sim.reauthenticate(docusign.appId, { login: ALICE });
    await h.client.workflow.getHandle(remediationWorkflowId(docusign.appId)).signal(reauthCompletedSignal, { by: ALICE });

    // The canary, then at least one user of the retry proper.
    await eventually(
      async () => {
        const s = await h!.status(docusign.appId);
        return s.phase === 'retrying' && s.results.filter((r) => r.kind === 'push' && r.outcome === 'succeeded').length >= 2 ? s : undefined;
      },
      'the retries to be under way',
      30_000,
    );
    await cancelRemediation(h.client, docusign.appId, 'change freeze', 'ops@example.com');

    const report = await eventually(async () => {
      const { status } = await remediationStatus(h!.client, docusign.appId);
      return status.phase === 'cancelled' ? status : undefined;
    }, 'the cancellation');
    expect(report.cancellation).toMatchObject({ reason: 'change freeze', by: 'ops@example.com' });
    expect(report.finishedAt).toBeDefined();

    // Every affected user is either done (one result) or pending, never both, never twice.
    const key = (u: { kind: string; userId: string }) => `${u.kind}:${u.userId}`;
    const affected = new Set(report.affected.map(key));
    expect(affected.size).toBe(report.affected.length);
    expect(report.affected.filter((u) => u.kind === 'push')).toHaveLength(pushes);
    expect(new Set(report.results.map(key)).size).toBe(report.results.length);
    expect(report.results.every((r) => affected.has(key(r)))).toBe(true);
    const done = report.results.filter((r) => r.kind === 'push');
    expect(done.length).toBeGreaterThanOrEqual(2);
    expect(done.length).toBeLessThan(pushes);
    const counts = countResults(report);
    expect(counts.pending).toBe(pushes - done.length);

    // What the report calls done is done in Okta; what it calls pending was not pushed, except the
    // one push in flight when the cancellation came (its outcome is not the workflow's to know).
    for (const r of done) {
      if (r.outcome === 'skipped') expect(r.detail).toMatch(/cancel/i);
      else {
        expect(r.outcome).toBe('succeeded');
        expect(h.sim.appUser(docusign.appId, r.userId)?.syncState).toBe('SYNCHRONIZED');
      }
    }
    const pending = report.affected.filter((u) => u.kind === 'push' && !report.results.some((r) => key(r) === key(u)));
    expect(pending.filter((u) => h!.sim.appUser(docusign.appId, u.userId)?.syncState !== 'ERROR').length).toBeLessThanOrEqual(1);

    // The cancellation notice says the same.
    const notice = await eventually(() => h!.notices.find((l) => l.startsWith('[okta-remediation] Cancelled')), 'the cancellation notice');
    expect(notice).toContain('was cancelled by ops@example.com');
    expect(notice).toContain(
      `${counts.succeeded} succeeded, ${counts.still_failing} still failing, ${counts.skipped} skipped, ${counts.awaiting_approval} awaiting approval, ${counts.pending} pending (of ${report.affected.length})`,
    );
    // The report says cancelled while the workflow still delivers that notice; then it closes as cancelled.
    const handle = h.client.workflow.getHandle(remediationWorkflowId(docusign.appId));
    await eventually(async () => ((await handle.describe()).status.name === 'CANCELLED' ? true : undefined), 'the workflow to close as cancelled');
  });
});
