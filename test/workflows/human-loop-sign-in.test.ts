/**
 * Who acts is proven, not claimed, on the real dev server: an app with confirmers takes a
 * confirmation, a snooze or an approval only from an admin signed in with Okta (the CLI's device
 * sign-in), verified by an activity; a name given, a forged sign-in or a signed-in admin off the
 * allow-list is refused with the reason, and the ID token never reaches a log or a notice.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { approveDeprovision, confirmReauth, remediationStartOptions, remediationStatus, snoozeReminders, startRemediation } from '../../client/remediations';
import { CliError, EXIT } from '../../client/errors';
import { parseAppConfig } from '../../config/app-config';
import { confirmReauthUpdate, reauthCompletedSignal, REMEDIATION_WORKFLOW_TYPE, remediationWorkflowId } from '../../domain/messages';
import { countResults, renderText } from '../../domain/report';
import type { RemediationStatus } from '../../domain/types';
import { seedDemo } from '../../sim/seed';
import { recordHistory, recording } from '../replay/record';
import { eventually, startHarness, type Harness } from '../support/harness';
import { capturedLogs } from '../support/log-capture';
import { signInAs } from '../support/sign-in';
import { startWorldHarness, type WorldHarness } from '../support/world-harness';

const ALICE = 'alice.admin@example.com';
const MALLORY = 'mallory@example.com';

let h: Harness | WorldHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The validator's or the handler's words, from the error the client raises when an update is refused. */
async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => {
      throw new Error('expected the update to be refused');
    },
    (e: unknown) => e,
  );
  if (err instanceof CliError) {
    expect(err.exitCode).toBe(EXIT.refusedByWorkflow);
    return err.message;
  }
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return (err as WorkflowUpdateFailedError).cause?.message ?? '';
}

it('with confirmers set, takes a confirmation and a snooze only from a signed-in admin on the allow-list', async () => {
  h = await startHarness({ deps: { appConfig: parseAppConfig({ defaults: { wait: { autoDetect: false }, confirmers: [ALICE] } }) } });
  const { docusign } = seedDemo(h.sim);
  const aliceId = h.sim.addUser({ login: ALICE, firstName: 'Alice', lastName: 'Admin' });
  h.sim.addUser({ login: MALLORY, firstName: 'Mallory', lastName: 'Mole' });
  const signIn = (login: string) => signInAs(h!.sim, h!.signInClientId, login);
  const appId = docusign.appId;
  const handle = h.client.workflow.getHandle(remediationWorkflowId(appId));
  await startRemediation(h.client, h.taskQueue, { appId });
  await h.waitForPhase(appId, 'awaiting_reauth');
  h.sim.reauthenticate(appId, { login: ALICE });

  // A name is not proof: the update is refused at once, the signal is recorded and ignored.
  const needSignIn = `App ${appId} takes only signed-in admins: run the command with --sign-in (a name given with --by is not proof of who acts).`;
  expect(await refusal(handle.executeUpdate(confirmReauthUpdate, { args: [{ by: ALICE }] }))).toBe(needSignIn);
  await handle.signal(reauthCompletedSignal, { by: ALICE });
  await eventually(async () => ((await h!.status(appId)).refusedMessages?.length === 1 ? true : undefined), 'the unsigned signal to be recorded as refused');

  // A sign-in proves who acts, and the allow-list then holds for who that is.
  expect(await refusal(confirmReauth(h.client, appId, { idToken: await signIn(MALLORY) }))).toBe(`Refused: ${MALLORY} is not on the confirmers allow-list of app ${appId} (${ALICE}).`);
  // A token Okta did not sign (a real one with its signature swapped) proves nothing.
  const [head, body] = (await signIn(ALICE)).split('.');
  const forged = `${head}.${body}.${Buffer.from('not the org signature').toString('base64url')}`;
  expect(await refusal(confirmReauth(h.client, appId, { by: ALICE, idToken: forged }))).toBe("Refused: The sign-in could not be verified: the ID token's signature does not match the org's keys.");

  // Signed in, who snoozes is known, and reminders are the confirmers' to postpone.
  expect(await refusal(snoozeReminders(h.client, appId, 3_600_000, { idToken: await signIn(MALLORY) }))).toBe(`Refused: ${MALLORY} is not on the confirmers allow-list of app ${appId} (${ALICE}).`);
  const snoozed = await snoozeReminders(h.client, appId, 3_600_000, { idToken: await signIn(ALICE) });
  expect(snoozed.status.wait).toMatchObject({ snoozedBy: ALICE, snoozedUntil: snoozed.until });

  const aliceToken = await signIn(ALICE);
  // `by` says someone else: the verified login is what counts and what is recorded.
  expect(await confirmReauth(h.client, appId, { by: 'someone-else@example.com', idToken: aliceToken }, 'new grant')).toMatchObject({ verified: true });
  const report: RemediationStatus = await handle.result();
  expect(report.phase).toBe('completed');
  expect(report.reauthClaims).toEqual([expect.objectContaining({ by: ALICE, subject: aliceId, note: 'new grant', via: 'update', verified: true })]);
  expect(renderText(report)).toContain(`Re-auth reported by ${ALICE} (signed in with Okta) at`);
  if (recording) await recordHistory(h.client, remediationWorkflowId(appId), 'signed-in-confirmation');
  expect(report.refusedMessages?.map((m) => [m.message, m.problem])).toEqual([
    ['reauthCompleted', needSignIn],
    ['confirmReauth', `${MALLORY} is not on the confirmers allow-list of app ${appId} (${ALICE}).`],
    ['confirmReauth', "The sign-in could not be verified: the ID token's signature does not match the org's keys."],
    ['snooze', `${MALLORY} is not on the confirmers allow-list of app ${appId} (${ALICE}).`],
  ]);
  // The ID tokens travel in the messages only: no log line and no notice carries one.
  const logs = JSON.stringify(capturedLogs.map((l) => [l.message, l.meta]));
  const notices = h.notices.join('\n');
  for (const token of h.sim.oauth.deviceFlow.idTokensIssued) {
    expect(logs).not.toContain(token.split('.')[1]);
    expect(notices).not.toContain(token.split('.')[1]);
  }
});

it("ignores a name given before the app's settings were read (a signal with the start), once they say sign-ins only", async () => {
  h = await startHarness({ deps: { appConfig: parseAppConfig({ defaults: { wait: { autoDetect: false }, confirmers: [ALICE] } }) } });
  const { docusign } = seedDemo(h.sim);
  h.sim.reauthenticate(docusign.appId, { login: ALICE });
  // The signal is handled before the diagnosis has read the app's policy: the verification refuses it.
  await h.client.workflow.signalWithStart(REMEDIATION_WORKFLOW_TYPE, {
    ...remediationStartOptions(h.taskQueue, { appId: docusign.appId }),
    signal: reauthCompletedSignal,
    signalArgs: [{ by: ALICE }],
  });
  const status = await eventually(async () => {
    const s = await h!.status(docusign.appId);
    return s.reauthClaims[0]?.verified === false ? s : undefined;
  }, 'the early claim to be judged');
  expect(status.reauthClaims[0]).toMatchObject({
    by: ALICE,
    verdict: `Ignored: App ${docusign.appId} takes only signed-in admins: run the command with --sign-in (a name given with --by is not proof of who acts).`,
  });
  expect(status.reauthClaims[0]!.oktaChanges).toBeUndefined(); // never verified
  expect((await h.waitForPhase(docusign.appId, 'awaiting_reauth')).phase).toBe('awaiting_reauth');
});

it('approves removing leavers for a signed-in admin on the allow-list, and not for a name alone', async () => {
  h = await startWorldHarness({
    defaults: { deprovisionPolicy: 'ask', confirmers: [ALICE] },
    breakWith: (w) => {
      w.breakDocuSign('grant_revoked');
      w.okta.setProvisioning(w.seeded.docusign.appId, 'disabled');
    },
  });
  const world = h as WorldHarness;
  world.world.okta.addUser({ login: ALICE, firstName: 'Alice', lastName: 'Admin' });
  const { appId } = world.seeded.docusign;
  await startRemediation(h.client, h.taskQueue, { appId });
  const leavers = await eventually(async () => {
    const { status } = await remediationStatus(h!.client, appId);
    const n = countResults(status, 'deprovision').awaiting_approval ?? 0;
    return n > 0 ? n : undefined;
  }, 'the leavers awaiting approval');

  expect(await refusal(approveDeprovision(h.client, appId, { by: ALICE }, []))).toMatch(/takes only signed-in admins/);
  const approved = await approveDeprovision(h.client, appId, { idToken: await signInAs(world.world.okta, h.signInClientId, ALICE) }, []);
  expect(approved).toHaveLength(leavers);
  const report: RemediationStatus = await h.client.workflow.getHandle(remediationWorkflowId(appId)).result();
  expect(countResults(report, 'deprovision')).toMatchObject({ succeeded: leavers, awaiting_approval: 0 });
  if (recording) await recordHistory(h.client, remediationWorkflowId(appId), 'signed-in-approval');
});
