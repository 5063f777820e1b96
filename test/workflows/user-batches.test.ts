/**
 * Leavers in numbers (a layoff while the credential was bad): their removals run in child
 * workflows of a batch each, so the remediation's own history does not grow per leaver, and
 * every leaver still has their line in the report.
 */
import { reportReauth, startRemediation } from '../../client/remediations';
import { parseAppConfig } from '../../config/app-config';
import { remediationWorkflowId, userBatchWorkflowId } from '../../domain/messages';
import type { RemediationStatus } from '../../domain/types';
import { fetchHistoryInPages } from '../../bench/payloads';
import { USER_BATCH_SIZE } from '../../workflows/remediation/work';
import { recordHistory, recording } from '../replay/record';
import { startHarness, type Harness } from '../support/harness';

let h: Harness;
afterEach(() => h?.close());

const LEAVERS = 250;
const scheduled = (events: { activityTaskScheduledEventAttributes?: { activityType?: { name?: string | null } | null } | null }[], name: string) =>
  events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === name).length;

it(`handles ${LEAVERS} failed deprovisions in batches: the remediation's history holds no removal, and each leaver is reported`, async () => {
  h = await startHarness({ deps: { appConfig: parseAppConfig({ defaults: { deprovisionPolicy: 'auto', wait: { autoDetect: false } } }) } });
  // An app with no vendor module: each removal is a real call that says to remove the person by hand.
  const appId = h.sim.addApp({ name: 'salesforce', label: 'Salesforce.com' });
  const ids = Array.from({ length: LEAVERS }, (_, i) => h.sim.addUser({ login: `leaver${i}@example.com`, firstName: 'Leaver', lastName: String(i) }));
  for (const id of ids) h.sim.assignUser(appId, id);
  h.sim.breakCredential(appId);
  for (const id of ids) h.sim.unassignUser(appId, id);

  await startRemediation(h.client, h.taskQueue, { appId });
  await h.waitForPhase(appId, 'awaiting_reauth', 60_000);
  h.sim.reauthenticate(appId, { login: 'admin@example.com' });
  await reportReauth(h.client, appId, { by: 'admin@example.com' });
  const report = (await h.client.workflow.getHandle(remediationWorkflowId(appId)).result()) as RemediationStatus;

  expect(report.phase).toBe('completed');
  expect(report.tally?.outcomes.deprovision).toMatchObject({ still_failing: LEAVERS, succeeded: 0 });
  const listed = report.results.filter((x) => x.kind === 'deprovision');
  expect(listed.length).toBeGreaterThan(0);
  for (const x of listed) expect(x.detail).toMatch(/^Could not remove at the vendor: .*remove the person in Salesforce\.com by hand/);

  // The removals ran in the batches' histories, none in the remediation's.
  const own = (await fetchHistoryInPages(h.client, remediationWorkflowId(appId))).events ?? [];
  expect(scheduled(own, 'removeVendorAccess')).toBe(0);
  expect(own.length).toBeLessThan(LEAVERS); // a few events a batch; it was about five a leaver
  const batches = Math.ceil(LEAVERS / USER_BATCH_SIZE);
  let removals = 0;
  for (let n = 1; n <= batches; n++) removals += scheduled((await fetchHistoryInPages(h.client, userBatchWorkflowId(appId, n))).events ?? [], 'removeVendorAccess');
  expect(removals).toBe(LEAVERS);
  if (recording) {
    await recordHistory(h.client, remediationWorkflowId(appId), 'leavers-in-batches');
    await recordHistory(h.client, userBatchWorkflowId(appId, 1), 'user-batch-child');
  }
}, 120_000);
