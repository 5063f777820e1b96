/**
 * Confirming a re-auth with authority, on the real dev server: the `confirmReauth` update's
 * validator (not awaiting; off the allow-list), the `reauthCompleted` signal path through the
 * official `temporal` CLI, and the audit of who Okta's System Log says changed the app.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { startRemediation } from '../../client/remediations';
import type { RemediationStatus } from '../../domain/types';
import { seedDemo } from '../../sim/seed';
import { parseAppConfig } from '../../config/app-config';
import { confirmReauthUpdate, reauthCompletedSignal, remediationWorkflowId, snoozeUpdate } from '../../domain/messages';
import { eventually, startHarness, type Harness } from '../support/harness';
import { historyOf, messagesOf, temporalCli } from './human-loop.support';

const ALICE = 'alice.admin@example.com';
const BOB = 'bob.admin@example.com';
const MALLORY = 'mallory@example.com';
const noAutoDetect = { wait: { autoDetect: false } };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const handleOf = (appId: string) => h!.client.workflow.getHandle(remediationWorkflowId(appId));

/** The validator's words, from the error the client raises when an update is refused. */
async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => {
      throw new Error('expected the update to be refused');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return (err as WorkflowUpdateFailedError).cause?.message ?? '';
}

describe('confirming a re-auth', () => {
  it('refuses a confirmation (and a snooze) while the workflow is not awaiting a re-auth', async () => {
    // A slow canary push keeps the workflow verifying long enough to knock on its door.
    h = await startHarness({ sim: { syncDelayMs: 3000 }, deps: { appConfig: parseAppConfig({ defaults: noAutoDetect }) } });
    const { github } = seedDemo(h.sim);
    await startRemediation(h.client, h.taskQueue, { appId: github.appId });
    await h.waitForPhase(github.appId, 'awaiting_reauth');
    h.sim.reauthenticate(github.appId, { login: ALICE });
    await handleOf(github.appId).signal(reauthCompletedSignal, { by: ALICE });
    await h.waitForPhase(github.appId, 'verifying');

    expect(await refusal(handleOf(github.appId).executeUpdate(confirmReauthUpdate, { args: [{ by: ALICE }] }))).toBe(
      `The remediation of app ${github.appId} is not awaiting a re-auth (phase: verifying).`,
    );
    expect(await refusal(handleOf(github.appId).executeUpdate(snoozeUpdate, { args: [{ forMs: 60_000 }] }))).toMatch(/is not awaiting a re-auth \(phase: verifying\)/);

    const report: RemediationStatus = await handleOf(github.appId).result();
    expect(report.phase).toBe('completed');
    expect(report.reauthClaims).toEqual([expect.objectContaining({ by: ALICE, via: 'signal', verified: true })]);
    expect(messagesOf(await historyOf(handleOf(github.appId))).updatesAccepted).toEqual([]);
  });

  it('refuses a confirmation from someone off the allow-list, changing nothing; takes one from someone on it', async () => {
    h = await startHarness({ deps: { appConfig: parseAppConfig({ defaults: { ...noAutoDetect, confirmers: [ALICE], requireVerifiedIdentity: false } }) } });
    const { docusign } = seedDemo(h.sim);
    await startRemediation(h.client, h.taskQueue, { appId: docusign.appId });
    const before = await h.waitForPhase(docusign.appId, 'awaiting_reauth');
    const handle = handleOf(docusign.appId);

    expect(await refusal(handle.executeUpdate(confirmReauthUpdate, { args: [{ by: MALLORY, note: 'trust me' }] }))).toBe(
      `${MALLORY} is not on the confirmers allow-list of app ${docusign.appId} (${ALICE}).`,
    );
    const after = await h.status(docusign.appId);
    expect(after.phase).toBe('awaiting_reauth');
    expect(after.reauthClaims).toEqual([]);
    expect(after.phaseChangedAt).toBe(before.phaseChangedAt);
    expect(messagesOf(await historyOf(handle)).updatesAccepted).toEqual([]); // a rejected update leaves no trace in history

    h.sim.reauthenticate(docusign.appId, { login: ALICE });
    // The allow-list compares emails without regard to case.
    const verdict = await handle.executeUpdate(confirmReauthUpdate, { args: [{ by: 'Alice.Admin@Example.com', note: 'new grant' }] });
    expect(verdict).toEqual({ verified: true, verdict: expect.stringMatching(/^Canary \S+ synchronized\.$/) });
    const report: RemediationStatus = await handle.result();
    expect(report.phase).toBe('completed');
    expect(report.reauthClaims).toEqual([expect.objectContaining({ by: 'Alice.Admin@Example.com', note: 'new grant', via: 'update', verified: true })]);
  });

  it('takes the re-auth by the signal path from the official temporal CLI; an off-list signal is recorded and ignored', async () => {
    h = await startHarness({ deps: { appConfig: parseAppConfig({ defaults: { ...noAutoDetect, confirmers: [ALICE], requireVerifiedIdentity: false } }) } });
    const { docusign } = seedDemo(h.sim);
    await startRemediation(h.client, h.taskQueue, { appId: docusign.appId });
    await h.waitForPhase(docusign.appId, 'awaiting_reauth');
    const workflowId = remediationWorkflowId(docusign.appId);
    h.sim.reauthenticate(docusign.appId, { login: ALICE });

    // The update through the official CLI meets the same validator.
    const update = await temporalCli(h.address, ['workflow', 'update', 'execute', '--workflow-id', workflowId, '--name', 'confirmReauth', '--input', JSON.stringify({ by: MALLORY })]);
    expect(update.code).not.toBe(0);
    expect(update.out).toContain(`${MALLORY} is not on the confirmers allow-list`);

    // A signal cannot be refused: it is kept on record, unverified, and does not start a verification.
    const offList = await temporalCli(h.address, ['workflow', 'signal', '--workflow-id', workflowId, '--name', 'reauthCompleted', '--input', JSON.stringify({ by: MALLORY })]);
    expect(offList).toMatchObject({ code: 0 });
    const ignored = await eventually(async () => {
      const s = await h!.status(docusign.appId);
      return s.reauthClaims.length === 1 ? s : undefined;
    }, 'the off-list signal to be recorded');
    expect(ignored.phase).toBe('awaiting_reauth');
    expect(ignored.reauthClaims[0]).toMatchObject({
      by: MALLORY,
      via: 'signal',
      verified: false,
      verdict: `Ignored: ${MALLORY} is not on the confirmers allow-list of app ${docusign.appId} (${ALICE}).`,
    });
    expect(ignored.reauthClaims[0]!.oktaChanges).toBeUndefined(); // never verified

    const onList = await temporalCli(h.address, ['workflow', 'signal', '--workflow-id', workflowId, '--name', 'reauthCompleted', '--input', JSON.stringify({ by: ALICE, note: 'via temporal CLI' })]);
    expect(onList).toMatchObject({ code: 0 });
    const report: RemediationStatus = await handleOf(docusign.appId).result();
    expect(report.phase).toBe('completed');
    expect(report.reauthClaims.map((c) => [c.by, c.via, c.verified])).toEqual([
      [MALLORY, 'signal', false],
      [ALICE, 'signal', true],
    ]);
    expect(report.reauthClaims[1]).toMatchObject({ note: 'via temporal CLI', oktaChanges: [expect.objectContaining({ actor: ALICE })] });
    expect(report.reauthClaims[1]!.mismatch).toBeUndefined();
    expect(report.results.filter((r) => r.kind === 'push').every((r) => r.outcome === 'succeeded')).toBe(true);
  });

  it('accepts snooze and confirmReauth updates from the official temporal CLI, and lists the workflow by its search attributes', async () => {
    h = await startHarness({ deps: { appConfig: parseAppConfig({ defaults: { ...noAutoDetect, confirmers: [ALICE], requireVerifiedIdentity: false } }) } });
    const { github } = seedDemo(h.sim);
    await startRemediation(h.client, h.taskQueue, { appId: github.appId });
    await h.waitForPhase(github.appId, 'awaiting_reauth');
    const workflowId = remediationWorkflowId(github.appId);
    const run = (args: string[]) => temporalCli(h!.address, args);

    const listed = await eventually(async () => {
      const r = await run(['workflow', 'list', '--query', `OktaAppId = "${github.appId}" AND OktaVendor = "github" AND RemediationPhase = "awaiting_reauth" AND AffectedUsers > 0`]);
      return r.out.includes(workflowId) ? r : undefined;
    }, 'the workflow to be listed by its search attributes');
    expect(listed.code).toBe(0);

    const snooze = await run(['workflow', 'update', 'execute', '--workflow-id', workflowId, '--name', 'snooze', '--input', JSON.stringify({ forMs: 3_600_000, by: ALICE })]);
    expect(snooze.code).toBe(0);
    const { wait } = await h.status(github.appId);
    expect(snooze.out).toContain(wait!.snoozedUntil!);

    h.sim.reauthenticate(github.appId, { login: ALICE });
    const confirm = await run(['workflow', 'update', 'execute', '--workflow-id', workflowId, '--name', 'confirmReauth', '--input', JSON.stringify({ by: ALICE, note: 'new grant' })]);
    expect(confirm.code).toBe(0);
    expect(confirm.out).toMatch(/verified:\s*true/); // the CLI prints the result as a map
    const report: RemediationStatus = await handleOf(github.appId).result();
    expect(report.reauthClaims).toEqual([expect.objectContaining({ by: ALICE, via: 'update', note: 'new grant', verified: true })]);
  });

  it('audits each confirmation against the System Log: who changed the app and when, and a mismatch when it was someone else', async () => {
    h = await startHarness({ deps: { appConfig: parseAppConfig({ defaults: noAutoDetect }) } });
    const { docusign, github } = seedDemo(h.sim);
    for (const appId of [docusign.appId, github.appId]) {
      await startRemediation(h.client, h.taskQueue, { appId });
      await h.waitForPhase(appId, 'awaiting_reauth');
      h.sim.reauthenticate(appId, { login: ALICE });
    }

    // Alice re-authenticated DocuSign, Bob says he did.
    const claimedByBob = await handleOf(docusign.appId).executeUpdate(confirmReauthUpdate, { args: [{ by: BOB }] });
    expect(claimedByBob.verified).toBe(true);
    expect(claimedByBob.mismatch).toBe(`Okta's System Log shows the app changed by ${ALICE}, not ${BOB}.`);
    // Alice re-authenticated GitHub and says so.
    const claimedByAlice = await handleOf(github.appId).executeUpdate(confirmReauthUpdate, { args: [{ by: ALICE }] });
    expect(claimedByAlice).toEqual({ verified: true, verdict: expect.any(String) });

    for (const [appId, by, mismatch] of [
      [docusign.appId, BOB, true],
      [github.appId, ALICE, false],
    ] as const) {
      const report: RemediationStatus = await handleOf(appId).result();
      const [claim, ...more] = report.reauthClaims;
      expect(more).toEqual([]);
      expect(claim).toMatchObject({ by, via: 'update', verified: true });
      // Who confirmed and when, next to what Okta recorded and when.
      expect(Date.parse(claim!.at)).toBeGreaterThanOrEqual(Date.parse(report.wait!.since));
      expect(claim!.oktaChanges).toEqual([{ eventType: 'application.lifecycle.update', actor: ALICE, at: expect.any(String) }]);
      const changedAt = Date.parse(claim!.oktaChanges![0]!.at);
      expect(changedAt).toBeGreaterThanOrEqual(Date.parse(report.wait!.since));
      expect(changedAt).toBeLessThanOrEqual(Date.parse(claim!.at));
      expect(claim!.mismatch !== undefined).toBe(mismatch);
    }
  });
});
