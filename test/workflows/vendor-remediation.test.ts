/**
 * Verification against the vendor, deprovisioning by policy, and the test-user round trip, in the
 * simulated world where Okta, DocuSign and GitHub agree on who has access.
 */
import { approveDeprovision, reportReauth, startRemediation } from '../../client/remediations';
import type { RemediationStatus } from '../../domain/types';
import { remediationWorkflowId, userBatchWorkflowId } from '../../domain/messages';
import { capturedLogs } from '../support/log-capture';
import { recordHistory, recording } from '../replay/record';
import { eventually, historyText } from '../support/harness';
import type { SimWorld } from '../../sim/world';
import { loginOf as personLogin, PEOPLE } from '../../sim/people';
import { githubLoginOf } from '../../sim/shared-world/github';
import { startWorldHarness, type WorldHarness } from '../support/world-harness';

let h: WorldHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const result = (appId: string): Promise<RemediationStatus> => h!.client.workflow.getHandle(remediationWorkflowId(appId)).result();
const loginOf = (userId: string) => Object.entries(h!.seeded.users).find(([, id]) => id === userId)![0];

describe('verification with the vendor', () => {
  it('catches a re-auth with the wrong API Account ID and says exactly that', async () => {
    h = await startWorldHarness({ breakWith: (w) => w.breakDocuSign('grant_revoked') });
    const { docusign } = h.seeded;
    await startRemediation(h.client, h.taskQueue, { appId: docusign.appId });
    await h.waitForPhase(docusign.appId, 'awaiting_reauth');

    h.world.reauthenticate(docusign.appId, { apiAccountId: docusign.foreignAccountId });
    await reportReauth(h.client, docusign.appId, { by: docusign.adminEmail });
    const back = await eventually(async () => {
      const s = await h!.status(docusign.appId);
      return s.phase === 'awaiting_reauth' && s.reauthClaims[0]?.verified === false ? s : undefined;
    }, 'the failed verification');
    expect(back.reauthClaims[0]!.verdict).toContain(`The API Account ID in Okta (${docusign.foreignAccountId}) is not one of ${docusign.adminEmail}'s DocuSign accounts`);
    expect(back.diagnosis!.causes[0]!.id).toBe('docusign-account-id-mismatch');

    h.world.reauthenticate(docusign.appId, { apiAccountId: docusign.apiAccountId });
    await reportReauth(h.client, docusign.appId, { by: docusign.adminEmail });
    const report = await result(docusign.appId);
    expect(report.phase).toBe('completed');
    expect(report.reauthClaims.map((c) => c.verified)).toEqual([false, true]);
    expect(report.results.filter((r) => r.kind === 'push').every((r) => r.outcome === 'succeeded')).toBe(true);
  });
});

describe('deprovisioning policy', () => {
  it('auto, while GitHub is down: the removal pauses until GitHub answers, then removes the leaver', async () => {
    h = await startWorldHarness({ defaults: { deprovisionPolicy: 'auto' }, breakWith: (w) => w.breakGitHub('token_revoked') });
    const { github } = h.seeded;
    const leaver = loginOf(github.deprovisionFailed[0]!);
    // GitHub's SCIM API and its rate-limit endpoint (the check) answer 503 for a while: the
    // removal's own attempts, then about ten checks.
    h.world.github.injectFault({ path: /^\/(scim|rate_limit)/, status: 503, count: 14 });
    await startRemediation(h.client, h.taskQueue, { appId: github.appId, outageCheckSeconds: 0.1 });
    const waiting = await h.waitForPhase(github.appId, 'awaiting_reauth', 60_000);
    expect(waiting.results.find((r) => r.kind === 'deprovision')).toMatchObject({ login: leaver, outcome: 'succeeded' });
    expect(h.world.vendorAccess(github.appId, leaver)).not.toBe('active');
    const paused = waiting.notifications.find((n) => n.kind === 'service_unavailable');
    expect(paused).toBeDefined();
    // The removal and the checks ran in its batch, a child workflow of the remediation.
    expect(await historyText(h.client, userBatchWorkflowId(github.appId, 1))).toContain('Outage: does GitHub answer? (check');
  });

  it("auto, while GitHub rate-limits the pipeline for longer than a call's attempts: the removal waits, is made again, and removes the leaver", async () => {
    h = await startWorldHarness({ defaults: { deprovisionPolicy: 'auto' }, breakWith: (w) => w.breakGitHub('token_revoked') });
    const { github } = h.seeded;
    const leaver = loginOf(github.deprovisionFailed[0]!);
    // GitHub's secondary limit (429, Retry-After 1 s) on every SCIM call: more than one call's 3 attempts.
    h.world.github.injectFault({ path: /^\/scim/, status: 429, count: 5 });
    await startRemediation(h.client, h.taskQueue, { appId: github.appId });
    const waiting = await h.waitForPhase(github.appId, 'awaiting_reauth', 60_000);
    expect(waiting.results.find((r) => r.kind === 'deprovision')).toMatchObject({ login: leaver, outcome: 'succeeded' });
    expect(h.world.vendorAccess(github.appId, leaver)).not.toBe('active');
    expect(h.world.github.requests().filter((r) => r.status === 429)).toHaveLength(5);
    if (recording) {
      await recordHistory(h.client, remediationWorkflowId(github.appId), 'github-rate-limited-removal');
      await recordHistory(h.client, userBatchWorkflowId(github.appId, 1), 'github-rate-limited-removal-batch');
    }
  });

  it('auto: removes people at the vendor at once, confirms it, and records how long they kept access', async () => {
    h = await startWorldHarness({ defaults: { deprovisionPolicy: 'auto' }, breakWith: (w) => w.breakGitHub('token_revoked') });
    const { github } = h.seeded;
    const leaver = loginOf(github.deprovisionFailed[0]!);
    expect(h.world.vendorAccess(github.appId, leaver)).toBe('active');
    await startRemediation(h.client, h.taskQueue, { appId: github.appId });
    // Removal does not wait for Okta's credential: it is done while the admin is still away.
    const waiting = await h.waitForPhase(github.appId, 'awaiting_reauth');
    const removed = waiting.results.find((r) => r.kind === 'deprovision')!;
    expect(removed).toMatchObject({ login: leaver, outcome: 'succeeded' });
    expect(removed.exposureMs).toBeGreaterThan(0);
    expect(removed.detail).toMatch(/kept access for/);
    expect(h.world.vendorAccess(github.appId, leaver)).not.toBe('active');
  });

  it('auto: a leaver GitHub knows by neither their Okta user id nor their username is skipped with the check to make, never reported removed', async () => {
    h = await startWorldHarness({ defaults: { deprovisionPolicy: 'auto' }, breakWith: (w) => w.breakGitHub('token_revoked') });
    const { github } = h.seeded;
    const leaver = loginOf(github.deprovisionFailed[0]!);
    const person = Object.values(PEOPLE).find((p) => personLogin(p) === leaver)!;
    // Their SCIM identity was re-created by hand under another userName, without the Okta user id; their account stays in the org.
    h.world.github.scimDeprovision(github.org, leaver);
    h.world.github.setMembership(github.org, githubLoginOf(person), 'member', 'active');
    h.world.github.scimProvision(github.org, { userName: `legacy-${leaver}`, email: leaver, givenName: person.firstName, familyName: person.lastName });
    expect(h.world.vendorAccess(github.appId, leaver)).toBe('active');

    await startRemediation(h.client, h.taskQueue, { appId: github.appId });
    const waiting = await h.waitForPhase(github.appId, 'awaiting_reauth');
    const removal = waiting.results.find((r) => r.kind === 'deprovision' && r.login === leaver)!;
    expect(removal).toMatchObject({ outcome: 'skipped', detail: expect.stringMatching(/^Not removed in GitHub.*: .*was not found at GitHub by Okta user id .* nor by userName/) });
    expect(removal.detail).toMatch(/check by hand whether/);
    expect(removal.exposureMs).toBeUndefined();
    expect(h.world.github.requestCount({ method: 'DELETE' })).toBe(0);
    expect(h.world.vendorAccess(github.appId, leaver)).toBe('active');
  });

  it('ask: lists removals for approval, removes nobody, then removes exactly who was approved', async () => {
    h = await startWorldHarness({ breakWith: (w) => w.breakDocuSign('grant_revoked') });
    const { docusign } = h.seeded;
    const [first, second] = docusign.deprovisionFailed.map(loginOf);
    await startRemediation(h.client, h.taskQueue, { appId: docusign.appId });
    const waiting = await h.waitForPhase(docusign.appId, 'awaiting_reauth');
    expect(waiting.results.filter((r) => r.kind === 'deprovision').map((r) => r.outcome)).toEqual(['awaiting_approval', 'awaiting_approval']);
    expect(h.world.vendorAccess(docusign.appId, first!)).toBe('active');
    expect(h.world.vendorAccess(docusign.appId, second!)).toBe('active');

    await approveDeprovision(h.client, docusign.appId, { by: 'ciso@example.com' }, [first!]);
    // The approved removal does not wait for the re-auth.
    await eventually(() => (h!.world.vendorAccess(docusign.appId, first!) === 'closed' ? true : undefined), 'the approved removal');
    expect((await h.status(docusign.appId)).phase).toBe('awaiting_reauth');
    h.world.reauthenticate(docusign.appId);
    await reportReauth(h.client, docusign.appId, { by: docusign.adminEmail });
    const report = await result(docusign.appId);
    expect(report.results.find((r) => r.login === first)).toMatchObject({ outcome: 'succeeded' });
    expect(report.results.find((r) => r.login === second)).toMatchObject({ outcome: 'awaiting_approval' });
    expect(h.world.vendorAccess(docusign.appId, first!)).toBe('closed');
    expect(h.world.vendorAccess(docusign.appId, second!)).toBe('active');
  });

  it('off: reports only, and removes nobody', async () => {
    h = await startWorldHarness({ defaults: { deprovisionPolicy: 'off' }, breakWith: (w) => w.breakGitHub('not_owner') });
    const { github } = h.seeded;
    const leaver = loginOf(github.deprovisionFailed[0]!);
    await startRemediation(h.client, h.taskQueue, { appId: github.appId });
    const waiting = await h.waitForPhase(github.appId, 'awaiting_reauth');
    expect(waiting.results.find((r) => r.kind === 'deprovision')).toMatchObject({ outcome: 'skipped' });
    expect(h.world.vendorAccess(github.appId, leaver)).toBe('active');
    expect(h.world.github.requestCount({ method: 'DELETE' })).toBe(0);
  });
});

describe('test-user confirmation', () => {
  // The vendors' own articles end with this round trip: assigned, seen at the vendor, unassigned, seen gone.
  it.each([
    ['docusign', (w: SimWorld) => w.breakDocuSign('grant_revoked')],
    ['github', (w: SimWorld) => w.breakGitHub('token_revoked')],
  ] as const)('%s: assigns the test user, sees them at the vendor, unassigns, sees them gone', async (vendor, breakWith) => {
    h = await startWorldHarness({ breakWith, apps: (seeded) => ({ [seeded[vendor].appId]: { testUser: seeded.testUser } }) });
    const { appId } = h.seeded[vendor];
    const { testUser } = h.seeded;
    expect(h.world.vendorAccess(appId, testUser)).not.toBe('active');
    await startRemediation(h.client, h.taskQueue, { appId });
    await h.waitForPhase(appId, 'awaiting_reauth');
    h.world.reauthenticate(appId);
    await reportReauth(h.client, appId, { by: 'okta-admin@example.com' });
    const report = await result(appId);
    expect(report.confirmation).toMatchObject({ testUser, ok: true });
    expect(report.confirmation!.steps.map((s) => [s.step, s.ok])).toEqual([
      ['assign', true],
      ['vendor_present', true],
      ['unassign', true],
      ['vendor_removed', true],
    ]);
    expect(report.confirmation!.steps.at(-1)!.detail).not.toMatch(/check by hand/); // seen gone, not lost track of
    expect(h.world.vendorAccess(appId, testUser)).not.toBe('active');
  });
});

describe('secrets', () => {
  it("keeps vendor credentials and the worker's Okta credentials (private key, client assertions, DPoP proofs, access tokens) out of workflow history and logs", async () => {
    h = await startWorldHarness({ defaults: { deprovisionPolicy: 'auto' }, breakWith: (w) => w.breakDocuSign('admin_closed') });
    const { docusign } = h.seeded;
    await startRemediation(h.client, h.taskQueue, { appId: docusign.appId });
    await h.waitForPhase(docusign.appId, 'awaiting_reauth');
    const history = await historyText(h.client, remediationWorkflowId(docusign.appId));
    const logs = JSON.stringify(capturedLogs.map((l) => [l.message, l.meta]));
    const { github, docusign: ds } = h.world.pipelineCredentials;
    const keyLine = ds.privateKeyPem.split('\n')[1]!;
    expect(history).toContain('docusign-admin-closed'); // the history is really there
    const oauth = h.world.okta.oauth;
    expect(oauth.issued.map((t) => t.tokenType)).toContain('DPoP'); // the worker really ran as a DPoP-bound service app
    const oktaSecrets = [h.serviceApp!.privateKey.split('\n')[1]!, ...oauth.issued.map((t) => t.accessToken), ...oauth.credentialsSeen];
    for (const secret of [github.token, keyLine, h.world.okta.apiToken, ...oktaSecrets]) {
      expect(history).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
  });
});
