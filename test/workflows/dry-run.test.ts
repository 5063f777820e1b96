/**
 * The dry run (`okta-remediate diagnose`): the diagnosis and the plan of a remediation, read from
 * Okta and the vendor, with nothing written anywhere and nothing left running.
 */
import { dryRun } from '../../client/dry-run';
import { DRY_RUN_WORKFLOW_TYPE } from '../../domain/plan';
import { EXIT } from '../../client/errors';
import type { SeededAppBase } from '../../sim/shared-world/types';
import { recordHistory, recording } from '../replay/record';
import { cli } from '../support/cli';
import { eventually } from '../support/harness';
import { startWorldHarness, type WorldHarness } from '../support/world-harness';

let h: WorldHarness | undefined;
afterEach(() => h?.close());

it('diagnoses and plans the remediation of an app, writing nothing in Okta or at the vendor and leaving nothing running', async () => {
  let broken: SeededAppBase | undefined;
  h = await startWorldHarness({ defaults: { deprovisionPolicy: 'auto' }, breakWith: (w) => void (broken = w.breakDocuSign('admin_closed')) });
  const { appId } = h.seeded.docusign;
  const writes = () => ({
    // A token request writes nothing in the org.
    okta: ['POST', 'PUT', 'DELETE'].map((method) => h!.world.okta.requestCount({ method, path: /^\/api\// })).reduce((a, b) => a + b, 0),
    docusign: h!.world.docusign.requests().filter((r) => r.host !== 'oauth' && r.method !== 'GET').length,
  });
  const before = writes();

  const result = await dryRun(h.client, h.taskQueue, appId);
  expect(result.diagnosis.causes[0]!.id).toBe('docusign-admin-closed');
  expect(result.plan).toMatchObject({
    waitsForReauth: true,
    repush: { count: broken!.pushFailed.length },
    deprovision: { count: broken!.deprovisionFailed.length, policy: 'auto', action: expect.stringMatching(/^removed in DocuSign at once/) },
  });
  expect(result.plan.repush.count).toBeGreaterThan(0);
  expect(result.plan.deprovision.count).toBeGreaterThan(0);
  expect(result.plan.adminSteps.join('\n')).toContain('Provisioning > Integration > Edit');

  expect(writes()).toEqual(before);

  // The same from the CLI, as JSON and as text.
  const env = { TEMPORAL_ADDRESS: h.address, OKTA_REMEDIATION_TASK_QUEUE: h.taskQueue };
  const json = await cli(['diagnose', '--app', appId, '--json'], env);
  expect(json).toMatchObject({ code: 0, stderr: '' });
  expect(JSON.parse(json.stdout).plan).toEqual(result.plan);
  const text = await cli(['diagnose', '--app', appId], env);
  expect(text.code).toBe(0);
  expect(text.stdout).toContain('Likely cause: ');
  expect(text.stdout).toContain(`Plan (dry run: nothing was changed in Okta or at the vendor, and no remediation was started):`);
  expect(text.stdout).toContain(`${result.plan.deprovision.count} leavers, policy auto: removed in DocuSign at once`);
  expect(writes()).toEqual(before);
  const unknown = await cli(['diagnose', '--app', '0oaNOSUCHAPP000000000'], env);
  expect(unknown.code).toBe(EXIT.unknownApp);
  expect(unknown.stderr).toContain('Okta has no app with id 0oaNOSUCHAPP000000000');

  // On this worker's task queue: the four dry runs, each closed (the unknown app's failed), and no remediation.
  const runs = await eventually(async () => {
    const found = [];
    for await (const w of h!.client.workflow.list({ query: `TaskQueue = "${h!.taskQueue}"` })) found.push(w);
    return found.length === 4 && found.every((w) => w.status.name !== 'RUNNING') ? found : undefined;
  }, 'the dry runs closed');
  expect(runs.map((w) => w.type)).toEqual(Array(4).fill(DRY_RUN_WORKFLOW_TYPE));
  expect(runs.filter((w) => w.status.name === 'COMPLETED')).toHaveLength(3);
  const done = runs.find((w) => w.status.name === 'COMPLETED')!;
  if (recording) await recordHistory(h.client, done.workflowId, 'dry-run', done.runId);
});
