/**
 * Determinism guard: histories recorded from real remediations must replay on today's workflow
 * code. A change that would break running workflows fails here; version it with patching.
 * `RECORD_REPLAY_HISTORIES=1 npx jest test/replay` records them anew (after an intended change).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { approveDeprovision, reportReauth, startRemediation } from '../../cli/remediation-client';
import { remediationWorkflowId } from '../../workflows/messages';
import { eventually } from '../support/harness';
import { startWorldHarness } from '../support/world-harness';

const DIR = path.join(__dirname, 'histories');

if (process.env.RECORD_REPLAY_HISTORIES) {
  it('records a full remediation of each seeded app', async () => {
    const h = await startWorldHarness({
      breakWith: (w) => {
        w.breakDocuSign('grant_revoked');
        w.breakGitHub('token_revoked');
      },
      apps: (s) => ({ [s.github.appId]: { deprovisionPolicy: 'ask', testUser: s.testUser }, [s.docusign.appId]: { deprovisionPolicy: 'auto' } }),
    });
    try {
      const { docusign, github } = h.seeded;
      for (const app of [docusign, github]) await startRemediation(h.client, h.taskQueue, { appId: app.appId });
      for (const app of [docusign, github]) await h.waitForPhase(app.appId, 'awaiting_reauth');
      await reportReauth(h.client, docusign.appId, docusign.adminEmail, 'too early'); // a failed verification too
      await eventually(async () => ((await h.status(docusign.appId)).reauthClaims[0]?.verified === false ? true : undefined), 'the failed verification');
      await approveDeprovision(h.client, github.appId, 'security@example.com', []);
      for (const app of [docusign, github]) {
        h.world.reauthenticate(app.appId);
        await reportReauth(h.client, app.appId, 'admin@example.com');
      }
      for (const [name, app] of [['docusign', docusign], ['github', github]] as const) {
        const handle = h.client.workflow.getHandle(remediationWorkflowId(app.appId));
        await handle.result();
        writeFileSync(path.join(DIR, `${name}-remediation.json`), historyToJSON(await handle.fetchHistory()));
      }
    } finally {
      await h.close();
    }
  });
}

describe('replay of recorded histories', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

  it('has histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s replays on the current workflow code', async (file) => {
    const history = JSON.parse(readFileSync(path.join(DIR, file), 'utf8'));
    await Worker.runReplayHistory({ workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE! } }, history, file);
  });
});
