/**
 * Determinism guard: histories recorded from real remediations, on every release, must replay on
 * today's workflow code. A change that would break running workflows fails here; version it with
 * patching. Each release adds histories (see record.ts) and never records over an earlier one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { approveDeprovision, cancelRemediation, confirmReauth, reportReauth, snoozeReminders, startRemediation } from '../../client/remediations';
import { addFailedUsersSignal, approveDeprovisionSignal, REMEDIATION_WORKFLOW_TYPE, remediationWorkflowId } from '../../domain/messages';
import { HISTORIES, recordHistory, recording } from './record';
import { eventually } from '../support/harness';
import { startWorldHarness } from '../support/world-harness';

const DIR = HISTORIES;

if (recording) {
  // This release's histories, through every message path: signal-with-start with users, approvals
  // (update and signal), snooze, a failed and a good confirmation, the test-user round trip, cancel.
  it('records a remediation through every message path, and a cancelled one', async () => {
    const h = await startWorldHarness({
      breakWith: (w) => {
        w.breakDocuSign('grant_revoked');
        w.breakGitHub('token_revoked');
      },
      apps: (s) => ({ [s.github.appId]: { deprovisionPolicy: 'ask', testUser: s.testUser, confirmers: ['admin@example.com', 'security@example.com'] } }),
    });
    try {
      const { docusign, github, users } = h.seeded;
      const loginOf = (id: string) => Object.entries(users).find(([, u]) => u === id)![0];
      const failedAt = new Date().toISOString();
      const reason = 'The credentials used to connect to the API were invalid; please check your configuration';
      const sent = [...github.pushFailed.map((id) => [id, 'push'] as const), ...github.deprovisionFailed.map((id) => [id, 'deprovision'] as const)];
      const workflowId = remediationWorkflowId(github.appId);
      await h.client.workflow.signalWithStart(REMEDIATION_WORKFLOW_TYPE, {
        workflowId,
        taskQueue: h.taskQueue,
        args: [{ appId: github.appId }],
        signal: addFailedUsersSignal,
        signalArgs: [{ users: sent.map(([userId, kind]) => ({ userId, login: loginOf(userId), displayName: loginOf(userId), kind, failedAt, reason })) }],
      });
      await h.waitForPhase(github.appId, 'awaiting_reauth');
      const [first, second] = github.deprovisionFailed.map(loginOf);
      await approveDeprovision(h.client, github.appId, { by: 'security@example.com' }, [first!]);
      if (second) await h.client.workflow.getHandle(workflowId).signal(approveDeprovisionSignal, { logins: [second], by: 'security@example.com' });
      await snoozeReminders(h.client, github.appId, 3_600_000, { by: 'admin@example.com' });
      await confirmReauth(h.client, github.appId, { by: 'admin@example.com' }, 'too early'); // not verified: the grant is still revoked
      h.world.reauthenticate(github.appId);
      await confirmReauth(h.client, github.appId, { by: 'admin@example.com' }, 'new grant');
      await h.client.workflow.getHandle(workflowId).result();
      await recordHistory(h.client, workflowId, 'github-every-message');

      await startRemediation(h.client, h.taskQueue, { appId: docusign.appId });
      await h.waitForPhase(docusign.appId, 'awaiting_reauth');
      await reportReauth(h.client, docusign.appId, { by: docusign.adminEmail }, 'too early');
      await eventually(async () => ((await h.status(docusign.appId)).reauthClaims[0]?.verified === false ? true : undefined), 'the failed verification');
      await cancelRemediation(h.client, docusign.appId, 'change freeze', 'ops@example.com');
      await h.client.workflow
        .getHandle(remediationWorkflowId(docusign.appId))
        .result()
        .catch(() => undefined);
      await recordHistory(h.client, remediationWorkflowId(docusign.appId), 'docusign-cancelled');
    } finally {
      await h.close();
    }
  });

  it('records a remediation that fails (an unknown app) and announces it', async () => {
    const h = await startWorldHarness();
    try {
      const unknown = '0oaNOSUCHAPP000000000';
      const { handle } = await startRemediation(h.client, h.taskQueue, { appId: unknown });
      await handle.result().catch(() => undefined);
      await recordHistory(h.client, remediationWorkflowId(unknown), 'failed-unknown-app');
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
