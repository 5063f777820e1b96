/**
 * `--sign-in` as an operator uses it: the CLI shows Okta's code and link, the admin approves it in
 * a browser (here: the simulated org's verification page, in-process), and the workflow counts the
 * verified login. Without OKTA_CLI_CLIENT_ID the CLI says what to set.
 */
import { EXIT } from '../../client/errors';
import { startRemediation } from '../../client/remediations';
import { parseAppConfig } from '../../config/app-config';
import { remediationWorkflowId } from '../../domain/messages';
import type { RemediationStatus } from '../../domain/types';
import { seedDemo } from '../../sim/seed';
import { cli, startCli } from '../support/cli';
import { startHarness, type Harness } from '../support/harness';

const ALICE = 'alice.admin@example.com';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ deps: { appConfig: parseAppConfig({ defaults: { wait: { autoDetect: false }, confirmers: [ALICE] } }) } });
});
afterAll(() => h.close());

it('reauth-done --sign-in: prints the code to approve, then the workflow records the verified admin', async () => {
  const { github } = seedDemo(h.sim);
  const aliceId = h.sim.addUser({ login: ALICE, firstName: 'Alice', lastName: 'Admin' });
  const env = { TEMPORAL_ADDRESS: h.address, OKTA_REMEDIATION_TASK_QUEUE: h.taskQueue, OKTA_ORG_URL: h.sim.url, OKTA_CLI_CLIENT_ID: h.signInClientId };
  await startRemediation(h.client, h.taskQueue, { appId: github.appId });
  await h.waitForPhase(github.appId, 'awaiting_reauth');
  h.sim.reauthenticate(github.appId, { login: ALICE });

  const running = startCli(['reauth-done', '--app', github.appId, '--sign-in', '--note', 'new token'], env);
  const prompt = await running.output(/code ([A-Z]{4}-[A-Z]{4})/, 'stderr');
  expect(prompt).toContain(`open ${h.sim.url}/activate?user_code=`);
  h.sim.approveSignIn(/code ([A-Z]{4}-[A-Z]{4})/.exec(prompt)![1]!, ALICE);
  const done = await running.done;
  expect(done).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Recorded: alice\.admin@example\.com re-authenticated app /) });
  expect(done.stderr).toContain(`Signed in as ${ALICE}`);

  const report: RemediationStatus = await h.client.workflow.getHandle(remediationWorkflowId(github.appId)).result();
  expect(report.reauthClaims).toEqual([expect.objectContaining({ by: ALICE, subject: aliceId, via: 'signal', verified: true, note: 'new token' })]);
});

it('--sign-in without OKTA_CLI_CLIENT_ID names what to set; both --by and --sign-in, or neither, are refused', async () => {
  const base = { TEMPORAL_ADDRESS: h.address, OKTA_REMEDIATION_TASK_QUEUE: h.taskQueue, OKTA_ORG_URL: h.sim.url };
  const noClient = await cli(['approve-deprovision', '--app', '0oa1234567890abcdef', '--sign-in'], base);
  expect(noClient).toMatchObject({ code: EXIT.invalidInput, stdout: '' });
  expect(noClient.stderr).toMatch(/^--sign-in needs OKTA_CLI_CLIENT_ID: /);
  const both = await cli(['snooze', '--app', '0oa1234567890abcdef', '--for', '1h', '--by', ALICE, '--sign-in'], { ...base, OKTA_CLI_CLIENT_ID: h.signInClientId });
  expect(both).toMatchObject({ code: EXIT.invalidInput, stderr: 'Give --by or --sign-in, not both: with --sign-in, Okta says who you are.\n' });
  const nobody = await cli(['reauth-done', '--app', '0oa1234567890abcdef'], base);
  expect(nobody).toMatchObject({ code: EXIT.invalidInput, stderr: 'Say who acts: --by <email>, or --sign-in to prove it with Okta.\n' });
});
