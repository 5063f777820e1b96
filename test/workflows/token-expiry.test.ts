/**
 * The worker's DPoP-bound access token expires, and Okta's DPoP nonce rotates, while the paged
 * retry is re-pushing: the worker fetches a new token and the retry goes on, with no user failed
 * by a 401. On the real dev server, the worker as the harness's service app.
 */
import { reportReauth, startRemediation } from '../../client/remediations';
import { remediationWorkflowId } from '../../domain/messages';
import { countResults } from '../../domain/report';
import type { RemediationStatus } from '../../domain/types';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../sim/support/wait';

let h: Harness;
afterEach(() => h?.close());

const USERS = 100;
const PAGE = 25;
const REPUSH = { method: 'POST', path: /^\/api\/v1\/apps\/[^/]+\/users\/[^/]+$/ };
const TOKEN = { method: 'POST', path: /^\/oauth2\/v1\/token$/ };

it('renews an expired token with a rotated DPoP nonce in the middle of the paged retry, and every user succeeds', async () => {
  h = await startHarness();
  const appId = h.sim.addApp({ name: 'docusign', label: 'DocuSign' });
  h.sim.breakCredential(appId);
  for (let i = 0; i < USERS; i++) h.sim.assignUser(appId, h.sim.addUser({ login: `user${i}@example.com`, firstName: 'User', lastName: String(i) }));
  await startRemediation(h.client, h.taskQueue, { appId, retryPageSize: PAGE });
  await h.waitForPhase(appId, 'awaiting_reauth');
  h.sim.reauthenticate(appId, { login: 'admin@example.com' });
  const pushesBefore = h.sim.requestCount(REPUSH);
  await reportReauth(h.client, appId, { by: 'admin@example.com' });

  // Into the second page of four (the worker, sim and test share one event loop, so nothing is
  // sent between the count and the expiry): every token dies and the nonce the worker knows is retired.
  const atExpiry = await waitFor(
    () => {
      const n = h.sim.requestCount(REPUSH) - pushesBefore;
      return n >= PAGE + 5 ? n : undefined;
    },
    'the retry to reach its second page',
    { timeoutMs: 30_000, intervalMs: 1 },
  );
  const issuedBefore = h.sim.oauth.issued.length;
  const tokenRequestsBefore = h.sim.requestCount(TOKEN);
  h.sim.oauth.expireTokens();
  h.sim.oauth.rotateDpopNonce();

  const report = (await h.client.workflow.getHandle(remediationWorkflowId(appId)).result()) as RemediationStatus;
  expect(report.phase).toBe('completed');
  expect(countResults(report, 'push')).toMatchObject({ succeeded: USERS, still_failing: 0, skipped: 0, needs_manual_retry: 0 });
  // The token expired in the middle of page 2's POSTs, so the 401 fell on one of them: that one
  // re-push was refused and sent again with a new token, and every user was pushed once.
  expect(atExpiry).toBeLessThan(2 * PAGE);
  expect(h.sim.requestCount(REPUSH) - pushesBefore).toBe(USERS + 1);
  // A new DPoP-bound token for the worker's service app, after the nonce handshake (use_dpop_nonce, then the token).
  const renewed = h.sim.oauth.issued.slice(issuedBefore);
  expect(renewed.length).toBeGreaterThanOrEqual(1);
  for (const t of renewed) expect(t).toMatchObject({ clientId: h.serviceApp!.clientId, tokenType: 'DPoP' });
  expect(h.sim.requestCount(TOKEN) - tokenRequestsBefore).toBeGreaterThanOrEqual(2);
  // The expired token's 401 was answered by renewal, never reported.
  for (const r of report.results) expect(r.detail).not.toMatch(/HTTP 401|invalid_token|expired/i);
});
