/**
 * An Okta outage in the middle of the retry pauses the phase and fails nobody. The outage lasts
 * 30 checks of Okta: at the production default of one check a minute, 30 minutes.
 */
import { reportReauth, startRemediation } from '../../client/remediations';
import { remediationWorkflowId, repushPagesWorkflowId } from '../../domain/messages';
import { countResults, renderText } from '../../domain/report';
import type { RemediationStatus } from '../../domain/types';
import { seedDemo } from '../../sim/seed';
import { recordHistory, recording } from '../replay/record';
import { eventually, startHarness, type Harness } from '../support/harness';

let h: Harness;
afterEach(() => h?.close());

const CHECKS = 30;

it('pauses the retry while Okta answers 503 to everything, says so, and resumes with nobody failed', async () => {
  h = await startHarness({ sim: { syncDelayMs: 1_500 } }); // a page of pushes is still settling when Okta goes down
  const { docusign } = seedDemo(h.sim);
  await startRemediation(h.client, h.taskQueue, { appId: docusign.appId, outageCheckSeconds: 0.1 });
  await h.waitForPhase(docusign.appId, 'awaiting_reauth');
  h.sim.reauthenticate(docusign.appId, { login: 'admin@example.com' });
  await reportReauth(h.client, docusign.appId, { by: 'admin@example.com' });
  await h.waitForPhase(docusign.appId, 'retrying', 60_000);

  h.sim.injectFault({ path: /^\/api\/v1\//, status: 503, count: 1_000_000 });
  const paused = await eventually(
    async () => {
      const s = await h.status(docusign.appId);
      return (s.outage?.checks ?? 0) >= CHECKS ? s : undefined;
    },
    `${CHECKS} checks of Okta during the outage`,
    90_000,
  );
  expect(paused.phase).toBe('retrying');
  expect(countResults(paused).still_failing).toBe(0);
  expect(renderText(paused)).toMatch(/Paused: Okta unavailable since \S+ \(.*HTTP 503.*\); checked \d+ times/);
  expect(h.notices.some((n) => n.includes('Okta has not been answering since'))).toBe(true);

  h.sim.clearFaults();
  const done: RemediationStatus = await h.client.workflow.getHandle(remediationWorkflowId(docusign.appId)).result();
  expect(done.phase).toBe('completed');
  expect(done.outage).toBeUndefined();
  expect(countResults(done, 'push')).toMatchObject({ succeeded: docusign.pushFailed.length, still_failing: 0 });
  for (const userId of docusign.pushFailed) expect(h.sim.appUser(docusign.appId, userId)?.syncState).toBe('SYNCHRONIZED');
  if (recording) {
    await recordHistory(h.client, remediationWorkflowId(docusign.appId), 'okta-outage');
    await recordHistory(h.client, repushPagesWorkflowId(docusign.appId), 'okta-outage-retry-child');
  }
}, 180_000);
