/**
 * The human in the loop from the terminal: `reauth-done --wait` (the update, its verdict, its
 * audit, its refusals and exit codes), `snooze`, `approve-deprovision`, and what `status` shows
 * of the wait, the claims and the notifications.
 */
import { EXIT } from '../../client/errors';
import { startRemediation } from '../../client/remediations';
import type { RemediationStatus } from '../../domain/types';
import { AFTERMATH, ASSIGNED, DOCUSIGN_APP, GENERIC_APP, PEOPLE } from '../../sim/people';
import { applyAftermath, seedDemo, type SeededDemo } from '../../sim/seed';
import { parseAppConfig } from '../../config/app-config';
import { remediationWorkflowId } from '../../domain/messages';
import { cli } from '../support/cli';
import { eventually, startHarness, type Harness } from '../support/harness';

const ALICE = 'alice.admin@example.com';
const BOB = 'bob.admin@example.com';
const MALLORY = 'mallory@example.com';
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('okta-remediate reauth-done --wait, snooze, approve-deprovision and status', () => {
  let h: Harness;
  let env: Record<string, string>;
  let seeded: SeededDemo;
  beforeAll(async () => {
    const appConfig = parseAppConfig({
      defaults: { wait: { remindEvery: '1h', giveUpAfter: '2h', autoDetect: false }, confirmers: [ALICE, BOB], requireVerifiedIdentity: false },
      // DocuSign reminds fast and escalates after one, so status has something to show.
      apps: {
        [DOCUSIGN_APP.id]: { wait: { remindEvery: '500ms', escalateAfterReminders: 1 } },
        // The generic app gives up almost at once.
        [GENERIC_APP.id]: { wait: { giveUpAfter: '1500ms' } },
      },
    });
    h = await startHarness({ deps: { appConfig } });
    env = { TEMPORAL_ADDRESS: h.address, OKTA_REMEDIATION_TASK_QUEUE: h.taskQueue };
    seeded = seedDemo(h.sim);
  });
  afterAll(() => h.close());

  it('snoozes, refuses an off-list confirmation, reports a failed and then a verified re-auth with the audit, and shows it all in status', async () => {
    const app = seeded.docusign.appId;
    await startRemediation(h.client, h.taskQueue, { appId: app });
    await eventually(async () => ((await h.status(app)).wait?.escalatedAt ? true : undefined), 'the escalation');

    const badDuration = await cli(['snooze', '--app', app, '--for', 'often'], env);
    expect(badDuration.code).toBe(EXIT.invalidInput);
    expect(badDuration.stderr).toMatch(/invalid --for: expected a number and a unit, e\.g\. 30m, 2h, 1d/);
    expect((await cli(['snooze', '--app', app, '--for', '30'], env)).code).toBe(EXIT.invalidInput); // 30 what?

    const snoozed = await cli(['snooze', '--app', app, '--for', '1h', '--by', 'ops@example.com'], env);
    expect(snoozed).toMatchObject({ code: 0, stderr: '' });
    const [, until, deadline] = snoozed.stdout.match(/^Reminders for app \S+ snoozed for 1 h 0 min: none before (\S+)\. The deadline stays (\S+)\.\n$/)!;
    const wait = (await h.status(app)).wait!;
    expect({ until, deadline }).toEqual({ until: wait.snoozedUntil, deadline: wait.deadline });

    const offList = await cli(['reauth-done', '--app', app, '--by', MALLORY, '--wait'], env);
    expect(offList).toMatchObject({ code: EXIT.refusedByWorkflow, stdout: '' });
    expect(offList.stderr).toBe(`Refused: ${MALLORY} is not on the confirmers allow-list of app ${app} (${ALICE}, ${BOB}).\n`);

    // Nobody re-authenticated yet: the canary still fails, and Okta shows no change.
    const notYet = await cli(['reauth-done', '--app', app, '--by', BOB, '--wait'], env);
    expect(notYet.code).toBe(EXIT.reauthNotVerified);
    expect(notYet.stdout).toMatch(/^Not verified: Canary \S+ still fails: .*credentials used to connect to the API were invalid/);
    expect(notYet.stdout).toMatch(/\nAudit mismatch: Okta's System Log shows no change of the app since the failures began \(\S+\)\.\n$/);
    expect(notYet.stderr).toBe(`The re-auth of app ${app} did not work; the remediation waits for another (do the steps in \`npx okta-remediate status --app ${app}\` again).\n`);

    // Alice re-authenticates; Bob reports it: verified, and the audit says who Okta saw.
    h.sim.reauthenticate(app, { login: ALICE });
    const verified = await cli(['reauth-done', '--app', app, '--by', BOB, '--note', 'rotated grant', '--wait'], env);
    expect(verified).toMatchObject({ code: 0, stderr: '' });
    expect(verified.stdout).toMatch(/^Verified: Canary \S+ synchronized\.\n/);
    expect(verified.stdout).toContain(`\nAudit mismatch: Okta's System Log shows the app changed by ${ALICE}, not ${BOB}.\n`);
    expect(verified.stdout).toMatch(/now retries every affected user/);
    await h.client.workflow.getHandle(remediationWorkflowId(app)).result();

    const status = await cli(['status', '--app', app], env);
    expect(status.code).toBe(0);
    const out = status.stdout;
    const s = (await h.client.workflow.getHandle(remediationWorkflowId(app)).result()) as RemediationStatus;
    expect(out).toContain(`Wait for the re-auth (since ${s.wait!.since}):`);
    expect(out).toContain(`  reminders sent: ${s.wait!.reminders} (every 500 ms; escalation after 1 reminder)`);
    expect(out).toContain(`  escalated: at ${s.wait!.escalatedAt}`);
    expect(out).toContain(`  snoozed until ${until} by ops@example.com`);
    expect(out).toContain(`  deadline: ${deadline} (the wait is over)`);
    expect(out).toContain('  auto-detection: off');
    expect(out).toMatch(new RegExp(`  1\\. ${esc(BOB)} via reauth-done --wait \\(update\\) at \\S+: not verified: Canary .* still fails`));
    expect(out).toMatch(/ {5}Okta System Log: no change of the app since the failures began\n {5}MISMATCH: Okta's System Log shows no change/);
    expect(out).toMatch(
      new RegExp(
        `  2\\. ${esc(BOB)} via reauth-done --wait \\(update\\) at \\S+: verified: Canary \\S+ synchronized\\.\\n {5}note: rotated grant\\n {5}Okta System Log: application\\.lifecycle\\.update by ${esc(ALICE)} at \\S+\\n {5}MISMATCH: Okta's System Log shows the app changed by ${esc(ALICE)}, not ${esc(BOB)}\\.`,
      ),
    );
    expect(out).toMatch(new RegExp(`Notifications \\(${s.notifications.length}\\):`));
    expect(out).toMatch(/ diagnosed: delivered to console\n/);
    expect(out).toMatch(/ escalation: delivered to console\n/);
    expect(out).toMatch(/ verification_failed: delivered to console\n/);
  });

  it('refuses reauth-done --wait and snooze while verifying (exit 11); approves deprovisions; says when nothing runs (exit 4)', async () => {
    const app = seeded.github.appId;
    await startRemediation(h.client, h.taskQueue, { appId: app });
    await h.waitForPhase(app, 'awaiting_reauth');
    h.sim.reauthenticate(app, { login: ALICE });
    // Okta's System Log answers 503 three times: the verification retries for several seconds.
    h.sim.injectFault({ path: /\/api\/v1\/logs/, status: 503, count: 3 });
    const signalled = await cli(['reauth-done', '--app', app, '--by', ALICE], env);
    expect(signalled.code).toBe(0);
    expect(signalled.stdout).toMatch(/^Recorded: alice\.admin@example\.com re-authenticated app/);
    await h.waitForPhase(app, 'verifying');

    const [confirm, snooze, approve] = await Promise.all([
      cli(['reauth-done', '--app', app, '--by', ALICE, '--wait'], env),
      cli(['snooze', '--app', app, '--for', '1h'], env),
      cli(['approve-deprovision', '--app', app, '--by', BOB], env),
    ]);
    expect(confirm).toMatchObject({ code: EXIT.refusedByWorkflow, stderr: `Refused: The remediation of app ${app} is not awaiting a re-auth (phase: verifying).\n` });
    expect(snooze).toMatchObject({ code: EXIT.refusedByWorkflow, stderr: `Refused: The remediation of app ${app} is not awaiting a re-auth (phase: verifying).\n` });
    expect(approve.code).toBe(0);
    expect(approve.stdout).toMatch(new RegExp(`^Approved by ${BOB.replace('.', '\\.')}: removing \\S+@example\\.com at the vendor for app ${app}\\.\n$`));
    const offList = await cli(['approve-deprovision', '--app', app, '--by', 'mallory@example.com'], env);
    expect(offList).toMatchObject({ code: EXIT.refusedByWorkflow });
    expect(offList.stderr).toMatch(/^Refused: mallory@example\.com is not on the confirmers allow-list/);

    const report: RemediationStatus = await h.client.workflow.getHandle(remediationWorkflowId(app)).result();
    expect(report.reauthClaims).toEqual([expect.objectContaining({ by: ALICE, via: 'signal', verified: true })]);
    expect(report.reauthClaims[0]!.mismatch).toBeUndefined();
    // The approval reached the workflow: nobody is left waiting for one.
    expect(report.results.filter((r) => r.kind === 'deprovision').map((r) => r.outcome)).not.toContain('awaiting_approval');

    for (const args of [
      ['reauth-done', '--by', ALICE, '--wait'],
      ['snooze', '--for', '1h'],
    ]) {
      const r = await cli([args[0]!, '--app', app, ...args.slice(1)], env);
      expect(r.code).toBe(EXIT.noRemediation);
      expect(r.stderr).toMatch(/No remediation is running for app/);
    }
  });

  it('watch exits 12 when the remediation gave up waiting, and status says the deadline passed', async () => {
    const app = h.sim.addApp({ ...GENERIC_APP });
    for (const name of ASSIGNED.generic) h.sim.assignUser(app, PEOPLE[name].id);
    h.sim.breakCredential(app);
    applyAftermath(h.sim, app, AFTERMATH.generic);
    await startRemediation(h.client, h.taskQueue, { appId: app });

    const watched = await cli(['watch', '--app', app, '--poll', '200'], env);
    expect(watched.code).toBe(EXIT.reauthTimedOut);
    expect(watched.stderr).toMatch(
      new RegExp(`^The remediation of app ${app} gave up waiting for the re-auth \\(deadline \\S+\\); start a new one after re-authenticating: \`npx okta-remediate start --app ${app}\`\\.\\n$`),
    );

    const status = await cli(['status', '--app', app], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/: Gave up waiting for the re-auth \(deadline passed\) since /);
    expect(status.stdout).toMatch(/\n {2}deadline: passed at \S+: gave up\n/);
    expect(status.stdout).toMatch(/ timed_out: delivered to console\n/);
  });
});
