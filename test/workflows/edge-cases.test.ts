/**
 * Where an admin would stop trusting a remediation: a real person's access taken by the test-user
 * round trip, a user dropped while the last notices go out, a cancellation that leaves the test
 * user assigned or calls a finished removal "skipped". Each on the real dev server.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { cancelRemediation, confirmReauth, reportReauth, startRemediation } from '../../client/remediations';
import type { RemediationStatus } from '../../domain/types';
import { seedDemo } from '../../sim/seed';
import { parseAppConfig } from '../../config/app-config';
import { addFailedUsersSignal, remediationWorkflowId } from '../../domain/messages';
import { startReceiver, type Receiver } from '../notifications/support';
import { recordHistory, recording } from '../replay/record';
import { eventually, startHarness, type Harness } from '../support/harness';
import { startWorldHarness, type WorldHarness } from '../support/world-harness';

let h: Harness | WorldHarness | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await h?.close();
  await receiver?.close();
  h = receiver = undefined;
  delete process.env.EDGE_HOOK_URL;
});

const handleOf = (appId: string) => h!.client.workflow.getHandle(remediationWorkflowId(appId));
/** The record of a remediation that was cancelled: its result is the cancellation, its report the query. */
async function afterCancel(appId: string): Promise<RemediationStatus> {
  await expect(handleOf(appId).result()).rejects.toBeInstanceOf(WorkflowFailedError);
  return h!.status(appId);
}

describe('the test-user round trip never touches a real person', () => {
  it('refuses a test user already assigned, even on a retry after a 429, and leaves their access alone', async () => {
    const w = await startWorldHarness({ breakWith: (world) => world.breakGitHub('token_revoked'), apps: (s) => ({ [s.github.appId]: { testUser: 'grace.kim@example.com' } }) });
    h = w;
    const { github, users } = w.seeded;
    const grace = users['grace.kim@example.com']!;
    expect(w.world.okta.appUser(github.appId, grace)).toBeDefined(); // a real person, assigned and provisioned
    expect(w.world.vendorAccess(github.appId, 'grace.kim@example.com')).toBe('active');
    // The round trip's first Okta call is rate limited: the assign activity runs a second attempt.
    w.world.okta.injectFault({ path: /^\/api\/v1\/users\/grace\.kim(%40|@)example\.com$/, method: 'GET', status: 429, count: 1 });

    await startRemediation(w.client, w.taskQueue, { appId: github.appId });
    await w.waitForPhase(github.appId, 'awaiting_reauth');
    w.world.reauthenticate(github.appId);
    await reportReauth(w.client, github.appId, { by: 'admin@example.com' });
    const report: RemediationStatus = await handleOf(github.appId).result();

    expect(report.confirmation).toMatchObject({ ok: false, skipped: expect.stringMatching(/grace\.kim@example\.com is already assigned to the app/) });
    expect(w.world.okta.appUser(github.appId, grace)).toBeDefined();
    expect(w.world.vendorAccess(github.appId, 'grace.kim@example.com')).toBe('active');
  });
});

describe('nobody is dropped at the end', () => {
  it('handles a user who joins while the final notices go out', async () => {
    receiver = await startReceiver();
    process.env.EDGE_HOOK_URL = receiver.url('/hook');
    const appConfig = parseAppConfig({
      channels: { hook: { type: 'webhook', urlEnv: 'EDGE_HOOK_URL' } },
      defaults: { notify: { primary: ['hook'] }, wait: { autoDetect: false } },
    });
    h = await startHarness({ deps: { appConfig } });
    const { docusign, users } = seedDemo(h.sim);
    await startRemediation(h.client, h.taskQueue, { appId: docusign.appId });
    const waiting = await h.waitForPhase(docusign.appId, 'awaiting_reauth');
    // Someone new fails after the diagnosis; the scanner has not sent them yet.
    const newcomer = Object.values(users).find((id) => !waiting.affected.some((a) => a.userId === id) && !h!.sim.appUser(docusign.appId, id))!;
    h.sim.assignUser(docusign.appId, newcomer);

    receiver.reply = { status: 503, body: 'busy' }; // the completed notice is retried for a while
    h.sim.reauthenticate(docusign.appId, { login: 'admin@example.com' });
    await reportReauth(h.client, docusign.appId, { by: 'admin@example.com' });
    await eventually(() => (receiver!.requests.some((r) => r.body.includes('"kind":"completed"')) ? true : undefined), 'the completed notice to be tried');
    expect((await h.status(docusign.appId)).phase).toBe('completed');
    const failedAt = new Date().toISOString();
    await handleOf(docusign.appId).signal(addFailedUsersSignal, {
      users: [
        {
          userId: newcomer,
          login: h.sim.appUser(docusign.appId, newcomer)!.credentials?.userName ?? newcomer,
          displayName: 'Newcomer',
          kind: 'push',
          failedAt,
          reason: 'The credentials used to connect to the API were invalid',
        },
      ],
    });
    receiver.reply = { status: 200, body: 'ok' };

    const report: RemediationStatus = await handleOf(docusign.appId).result();
    expect(report.affected.map((u) => u.userId)).toContain(newcomer);
    expect(report.results.find((r) => r.userId === newcomer)).toMatchObject({ outcome: 'succeeded' });
    expect(report.results).toHaveLength(report.affected.length);
    if (recording) await recordHistory(h.client, remediationWorkflowId(docusign.appId), 'docusign-join-during-finish');
  });
});

describe('cancellation cleans up and reports what was in flight', () => {
  it('unassigns the test user when cancelled mid round trip (the assign landed, its activity had not finished)', async () => {
    const w = await startWorldHarness({ breakWith: (world) => world.breakGitHub('token_revoked'), apps: (s) => ({ [s.github.appId]: { testUser: s.testUser } }) });
    h = w;
    const { github, testUser } = w.seeded;
    const testUserId = w.seeded.users[testUser]!;
    await startRemediation(w.client, w.taskQueue, { appId: github.appId });
    await w.waitForPhase(github.appId, 'awaiting_reauth');
    // Okta answers the assign, then keeps failing the reads of the new app user (the first read,
    // before the assign, passes): the assign activity is retrying when the cancellation comes.
    w.world.okta.injectFault({ path: new RegExp(`/api/v1/apps/${github.appId}/users/${testUserId}$`), method: 'GET', status: 503, count: 10_000, skip: 1 });
    w.world.reauthenticate(github.appId);
    await reportReauth(w.client, github.appId, { by: 'admin@example.com' });
    await eventually(() => (w.world.okta.appUser(github.appId, testUserId) ? true : undefined), 'the test user to be assigned');

    await cancelRemediation(w.client, github.appId, 'change freeze', 'ops@example.com');
    const report = await afterCancel(github.appId);

    expect(report.phase).toBe('cancelled');
    expect(w.world.okta.appUser(github.appId, testUserId)).toBeUndefined();
    expect(report.confirmation?.steps.at(-1)).toMatchObject({ step: 'unassign', ok: true, detail: expect.stringMatching(/after the cancellation/) });
  });

  it('lets a removal at the vendor that was in flight finish, and records that it did', async () => {
    const w = await startWorldHarness({ defaults: { deprovisionPolicy: 'auto' }, breakWith: (world) => world.breakGitHub('token_revoked') });
    h = w;
    const { github } = w.seeded;
    const leaverId = github.deprovisionFailed[0]!;
    const leaver = Object.entries(w.seeded.users).find(([, id]) => id === leaverId)![0];
    const deletes = /\/scim\/v2\/organizations\/[^/]+\/Users\/[^/]+$/;
    // GitHub fails the first removals: the activity is retrying when the cancellation comes.
    w.world.github.injectFault({ path: deletes, method: 'DELETE', status: 503, count: 2 });
    await startRemediation(w.client, w.taskQueue, { appId: github.appId });
    await eventually(() => (w.world.github.requestCount({ method: 'DELETE', path: deletes }) > 0 ? true : undefined), 'the first removal attempt');

    await cancelRemediation(w.client, github.appId, 'wrong app', 'ops@example.com');
    const report = await afterCancel(github.appId);

    expect(report.results.find((r) => r.userId === leaverId && r.kind === 'deprovision')).toMatchObject({ outcome: 'succeeded', detail: expect.stringMatching(/^Removed in /) });
    expect(w.world.vendorAccess(github.appId, leaver)).not.toBe('active');
  });
});

describe('the audit is not drowned by a busy app', () => {
  it('credits a real re-auth behind thousands of sign-ins: no false "no change" mismatch', async () => {
    h = await startHarness();
    const { docusign, users } = seedDemo(h.sim);
    await startRemediation(h.client, h.taskQueue, { appId: docusign.appId });
    await h.waitForPhase(docusign.appId, 'awaiting_reauth');
    h.sim.logSignIns(docusign.appId, Object.values(users)[0]!, 5_200); // a morning of sign-ins to a big app
    h.sim.reauthenticate(docusign.appId, { login: 'admin@example.com' });
    const verdict = await confirmReauth(h.client, docusign.appId, { by: 'admin@example.com' });
    expect(verdict).toMatchObject({ verified: true });
    expect(verdict.mismatch).toBeUndefined();
    const claim = (await h.status(docusign.appId)).reauthClaims[0]!;
    expect(claim.oktaChanges?.map((c) => c.actor)).toContain('admin@example.com');
  });
});

describe('a vendor that cannot be checked is not a failed re-auth', () => {
  it('lets the canary push decide, and says the vendor was not checked', async () => {
    const w = await startWorldHarness({ breakWith: (world) => world.breakGitHub('token_revoked') });
    h = w;
    const { github } = w.seeded;
    await startRemediation(w.client, w.taskQueue, { appId: github.appId });
    await w.waitForPhase(github.appId, 'awaiting_reauth');
    // GitHub refuses the pipeline's own token on the org's reads (revoked meanwhile): the probe cannot run.
    w.world.github.injectFault({ path: /^\/orgs\/[^/]+\/memberships\//, status: 401, count: 100 });
    w.world.reauthenticate(github.appId);
    const verdict = await confirmReauth(w.client, github.appId, { by: 'admin@example.com' });
    expect(verdict).toMatchObject({ verified: true, verdict: expect.stringMatching(/^Vendor not checked \(.*GitHub refused the pipeline's credential.*\)\. Canary \S+ synchronized\.$/) });
  });
});
