/**
 * Provisioning turned off in Okta, or never set up: no re-auth can help, so the remediation says
 * so with the steps to turn it on, handles the leavers under its policy, and ends without waiting
 * or retrying anyone (`watch` exits 13).
 */
import { approveDeprovision, remediationStatus, startRemediation } from '../../client/remediations';
import { EXIT } from '../../client/errors';
import { dryRun } from '../../client/dry-run';
import { remediationWorkflowId } from '../../domain/messages';
import { countResults } from '../../domain/report';
import type { RemediationStatus } from '../../domain/types';
import type { SeededAppBase } from '../../sim/shared-world/types';
import { recordHistory, recording } from '../replay/record';
import { cli } from '../support/cli';
import { eventually } from '../support/harness';
import { startWorldHarness, type WorldHarness } from '../support/world-harness';

let h: WorldHarness | undefined;
afterEach(() => h?.close());

const REPUSH = /^\/api\/v1\/apps\/[^/]+\/users\/[^/]+$/;

it.each(['disabled', 'not_set_up'] as const)('provisioning %s: says how to turn it on, removes the leavers, and ends without a retry', async (state) => {
  let broken: SeededAppBase | undefined;
  h = await startWorldHarness({
    defaults: { deprovisionPolicy: 'auto' },
    breakWith: (w) => {
      broken = w.breakDocuSign('grant_revoked');
      w.okta.setProvisioning(w.seeded.docusign.appId, state);
    },
  });
  const { appId } = h.seeded.docusign;
  // The dry run says the same beforehand.
  const { plan } = await dryRun(h.client, h.taskQueue, appId);
  expect(plan).toMatchObject({ waitsForReauth: false, repush: { notRetried: expect.stringContaining('provisioning is off') } });
  expect(plan.adminSteps.join('\n')).toContain('Enable API integration');
  await startRemediation(h.client, h.taskQueue, { appId });
  const report = (await h.client.workflow.getHandle(remediationWorkflowId(appId)).result()) as RemediationStatus;

  expect(report).toMatchObject({ phase: 'completed', endedBecause: 'provisioning_off' });
  expect(report.wait).toBeUndefined(); // it never waited for a re-auth
  const top = report.diagnosis!.causes[0]!;
  expect(top.id).toBe('provisioning-disabled');
  expect(top.title).toBe(state === 'disabled' ? 'Provisioning is turned off for DocuSign' : 'Provisioning was never set up for DocuSign');
  expect(top.steps.join('\n')).toContain('Enable API integration');
  expect(top.steps.join('\n')).toContain(`npx okta-remediate start --app ${appId}`);
  // Nobody re-pushed; each leaver removed at the vendor, as the policy says.
  expect(h.world.okta.requestCount({ method: 'POST', path: REPUSH })).toBe(0);
  expect(countResults(report, 'push')).toMatchObject({ succeeded: 0, pending: broken!.pushFailed.length });
  expect(countResults(report, 'deprovision')).toMatchObject({ succeeded: broken!.deprovisionFailed.length });
  await eventually(() => h!.notices.find((n) => n.includes('Provisioning is off for DocuSign: nothing was retried')), 'the notice');

  const env = { TEMPORAL_ADDRESS: h.address, OKTA_REMEDIATION_TASK_QUEUE: h.taskQueue };
  const watched = await cli(['watch', '--app', appId], env);
  expect(watched.code).toBe(EXIT.provisioningOff);
  expect(watched.stderr).toContain("Okta's provisioning of the app is off");
  if (recording && state === 'disabled') await recordHistory(h.client, remediationWorkflowId(appId), 'provisioning-off');
});

it('provisioning off under the ask policy: asks for approval, removes the leavers as approved, then ends', async () => {
  let broken: SeededAppBase | undefined;
  h = await startWorldHarness({
    defaults: { deprovisionPolicy: 'ask' },
    breakWith: (w) => {
      broken = w.breakDocuSign('grant_revoked');
      w.okta.setProvisioning(w.seeded.docusign.appId, 'disabled');
    },
  });
  const { appId } = h.seeded.docusign;
  const leavers = broken!.deprovisionFailed.length;
  await startRemediation(h.client, h.taskQueue, { appId });
  await eventually(async () => {
    const { status } = await remediationStatus(h!.client, appId);
    return countResults(status, 'deprovision').awaiting_approval === leavers ? status : undefined;
  }, 'the leavers awaiting approval');
  await eventually(() => h!.notices.find((n) => n.includes('Approval needed')), 'the approval notice');

  expect(await approveDeprovision(h.client, appId, { by: 'security@example.com' }, [])).toHaveLength(leavers);
  const report = (await h.client.workflow.getHandle(remediationWorkflowId(appId)).result()) as RemediationStatus;
  expect(report).toMatchObject({ phase: 'completed', endedBecause: 'provisioning_off' });
  expect(countResults(report, 'deprovision')).toMatchObject({ succeeded: leavers, awaiting_approval: 0 });
  expect(h.world.okta.requestCount({ method: 'POST', path: REPUSH })).toBe(0);
});
