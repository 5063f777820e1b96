/**
 * An org where a POST of an unchanged profile starts no push (Okta starts one for a change): the
 * re-push is confirmed only by Okta's evidence, so users Okta made no new attempt for end
 * `needs_manual_retry`, the admin is told exactly whom to retry in Dashboard > Tasks, and
 * `recheck` records the outcome after their Retry Selected. On the real dev server.
 */
import { startRemediation } from '../../client/remediations';
import { EXIT } from '../../client/errors';
import { parseAppConfig } from '../../config/app-config';
import { confirmReauthUpdate, remediationWorkflowId } from '../../domain/messages';
import { countResults } from '../../domain/report';
import type { RemediationStatus } from '../../domain/types';
import { seedDemo } from '../../sim/seed';
import { recordHistory, recording } from '../replay/record';
import { cli } from '../support/cli';
import { eventually, startHarness, type Harness } from '../support/harness';

const ALICE = 'alice.admin@example.com';
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

it("an ignored re-push waits for the admin's Retry Selected; the canary and `recheck` settle the users by Okta's sync", async () => {
  h = await startHarness({ deps: { appConfig: parseAppConfig({ defaults: { wait: { autoDetect: false } } }), sync: { timeoutMs: 1_000, pollMs: 25 } } });
  const { github } = seedDemo(h.sim);
  const { appId } = github;
  const handle = h.client.workflow.getHandle(remediationWorkflowId(appId));
  h.sim.setPushBehaviour(appId, { unchangedPost: 'ignored' });
  await startRemediation(h.client, h.taskQueue, { appId });
  const waiting = await h.waitForPhase(appId, 'awaiting_reauth');
  const pushes = waiting.affected.filter((u) => u.kind === 'push');
  expect(pushes.length).toBeGreaterThan(1);

  // Re-authenticated, but Okta makes no new attempt for the canary: the push proves nothing, so the
  // claim is not taken (no vendor credential here to vouch for it) and the admin is told what to do.
  h.sim.reauthenticate(appId, { login: ALICE });
  const first = await handle.executeUpdate(confirmReauthUpdate, { args: [{ by: ALICE }] });
  expect(first.verified).toBe(false);
  expect(first.verdict).toMatch(/no new push attempt for canary (\S+)/);
  expect(first.verdict).toContain('Dashboard > Tasks > Retry Selected');
  const canary = pushes.find((u) => first.verdict.includes(`canary ${u.login} `))!;
  expect(canary).toBeDefined();

  // The admin retries the canary in Okta, and confirms again: Okta's sync since then proves the credential.
  h.sim.retryTasks(appId, [canary.userId]);
  await eventually(() => h!.sim.appUser(appId, canary.userId)?.syncState === 'SYNCHRONIZED', "the canary's retried push");
  const second = await handle.executeUpdate(confirmReauthUpdate, { args: [{ by: ALICE }] });
  expect(second).toMatchObject({ verified: true });

  // The retry's POSTs start nothing either: everyone else waits for Retry Selected, by name.
  const stuck = await h.waitForPhase(appId, 'awaiting_manual_retry');
  const others = pushes.filter((u) => u.userId !== canary.userId);
  expect(countResults(stuck, 'push')).toMatchObject({ succeeded: 1, still_failing: 0, needs_manual_retry: others.length });
  const notice = await eventually(() => h!.notices.find((n) => n.includes(`Action needed: retry ${others.length} users of GitHub`)), 'the notice');
  for (const u of others) expect(notice).toContain(u.login);
  expect(notice).toContain(`npx okta-remediate recheck --app ${appId}`);

  // Before the admin clicks, a recheck finds nothing new; after, it records Okta's outcome and the remediation ends.
  const env = { TEMPORAL_ADDRESS: h.address, OKTA_REMEDIATION_TASK_QUEUE: h.taskQueue };
  const early = await cli(['recheck', '--app', appId], env);
  expect(early).toMatchObject({ code: EXIT.ok });
  expect(early.stdout).toContain(`Re-read ${others.length} users of app ${appId}: 0 now have Okta's outcome; ${others.length} still show no new attempt`);
  h.sim.retryTasks(
    appId,
    others.map((u) => u.userId),
  );
  await eventually(() => others.every((u) => h!.sim.appUser(appId, u.userId)?.syncState === 'SYNCHRONIZED'), 'the retried pushes');
  const done = await cli(['recheck', '--app', appId], env);
  expect(done.stdout).toContain(`${others.length} now have Okta's outcome; none is left`);

  const report: RemediationStatus = await handle.result();
  expect(report.phase).toBe('completed');
  expect(countResults(report, 'push')).toMatchObject({ succeeded: pushes.length, needs_manual_retry: 0, still_failing: 0 });
  expect(report.manualRetry).toMatchObject({ rechecks: 2 });
  const refused = await cli(['recheck', '--app', appId], env);
  expect(refused.code).toBe(EXIT.noRemediation);
  if (recording) await recordHistory(h.client, remediationWorkflowId(appId), 'manual-retry');
});
