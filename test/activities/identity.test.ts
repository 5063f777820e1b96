/**
 * Who acts, proven: the simulated org's device sign-in as the CLI uses it, and the activity that
 * checks the ID token it gives (signature against the org's keys, issuer, audience, expiry, age,
 * single use, and the user in Okta).
 */
import { generateKeyPairSync } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import jwt from 'jsonwebtoken';
import { createOktaClient } from '../../activities/okta/client';
import { createIdentityActivities, type IdentityVerdict } from '../../activities/okta/identity';
import { signIn } from '../../client/sign-in';
import { OktaSim } from '../../sim/okta';
import { signInAs } from '../support/sign-in';

const ALICE = 'alice.admin@example.com';

let sim: OktaSim;
let cliApp: string;
let aliceId: string;
beforeAll(async () => {
  sim = new OktaSim({ signInPollSeconds: 1 });
  await sim.start();
  cliApp = sim.addSignInApp();
  aliceId = sim.addUser({ login: ALICE, firstName: 'Alice', lastName: 'Admin' });
});
afterAll(() => sim.stop());

const form = (path: string, body: Record<string, string>) =>
  fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString() }).then(async (r) => ({
    status: r.status,
    body: (await r.json()) as Record<string, unknown>,
  }));
const poll = (deviceCode: string, clientId = cliApp) => form('/oauth2/v1/token', { client_id: clientId, grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: deviceCode });

describe("the simulated org's device sign-in", () => {
  it('is pending until the person approves, asks a client that polls too fast to slow down, then gives the ID token once', async () => {
    const started = await form('/oauth2/v1/device/authorize', { client_id: cliApp, scope: 'openid profile' });
    expect(started).toMatchObject({ status: 200, body: { user_code: expect.stringMatching(/^[A-Z]{4}-[A-Z]{4}$/), verification_uri: `${sim.url}/activate`, expires_in: 600, interval: 1 } });
    const deviceCode = String(started.body.device_code);
    expect(await poll(deviceCode)).toEqual({ status: 400, body: { error: 'authorization_pending', error_description: expect.any(String) } });
    expect((await poll(deviceCode)).body.error).toBe('slow_down'); // within the interval
    sim.approveSignIn(String(started.body.user_code), ALICE);
    await new Promise((r) => setTimeout(r, 1000)); // the interval Okta asked for, as a client must wait it
    const tokens = await poll(deviceCode);
    expect(tokens).toMatchObject({ status: 200, body: { token_type: 'Bearer', scope: 'openid profile', id_token: expect.any(String) } });
    expect(tokens.body.refresh_token).toBeUndefined(); // none without offline_access
    expect(jwt.decode(String(tokens.body.id_token))).toMatchObject({ iss: sim.url, aud: cliApp, sub: aliceId, preferred_username: ALICE });
    expect((await poll(deviceCode)).body.error).toBe('invalid_grant'); // a device code gives its tokens once
  });

  it("answers a denied sign-in, an unknown client and a missing 'openid' as Okta does", async () => {
    const started = await form('/oauth2/v1/device/authorize', { client_id: cliApp, scope: 'openid profile' });
    sim.approveSignIn(String(started.body.user_code), ALICE, { deny: true });
    expect((await poll(String(started.body.device_code))).body.error).toBe('access_denied');
    expect(await form('/oauth2/v1/device/authorize', { client_id: '0oaNotAnApp', scope: 'openid' })).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(await form('/oauth2/v1/device/authorize', { client_id: cliApp, scope: 'profile' })).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
  });
});

describe('verifyIdentity', () => {
  const verifier = (o: { clientId?: string; now?: () => Date } = {}) =>
    createIdentityActivities({
      okta: createOktaClient({ orgUrl: sim.url, auth: { mode: 'SSWS', token: sim.apiToken }, requestTimeoutMs: 10_000 }),
      orgUrl: sim.url,
      signInClientId: o.clientId ?? cliApp,
      now: o.now,
    });
  /** One action of one workflow: a retry of it has the same activity id. */
  const as = (activityId: string) => new MockActivityEnvironment({ activityId, workflowExecution: { workflowId: 'okta-remediation-0oa1', runId: 'run-1' } });
  const verify = (v: ReturnType<typeof verifier>, idToken: string, activityId = `a-${Math.random()}`): Promise<IdentityVerdict> => as(activityId).run(v.verifyIdentity, { idToken });

  it('names the login Okta vouches for, and takes the sign-in again only for the same action (a retry)', async () => {
    const v = verifier();
    const idToken = await signInAs(sim, cliApp, ALICE);
    expect(await verify(v, idToken, 'confirm-1')).toEqual({ verified: true, login: ALICE, subject: aliceId });
    expect(await verify(v, idToken, 'confirm-1')).toEqual({ verified: true, login: ALICE, subject: aliceId });
    expect(await verify(v, idToken, 'approve-2')).toEqual({ verified: false, reason: 'this sign-in was already used for another action: sign in again' });
  });

  it('lets one of two actions checking the same sign-in at once have it, not both', async () => {
    const v = verifier();
    const idToken = await signInAs(sim, cliApp, ALICE);
    const both = await Promise.all([verify(v, idToken, 'approve-1'), verify(v, idToken, 'confirm-2')]);
    expect(both.filter((x) => x.verified)).toHaveLength(1);
    expect(both.filter((x) => !x.verified)).toEqual([{ verified: false, reason: 'this sign-in was already used for another action: sign in again' }]);
  });

  it('refuses a token of another org', async () => {
    const other = new OktaSim({ signInPollSeconds: 1 });
    await other.start();
    try {
      const app = other.addSignInApp();
      other.addUser({ login: ALICE, firstName: 'Alice', lastName: 'Admin' });
      expect(await verify(verifier({ clientId: app }), await signInAs(other, app, ALICE))).toEqual({
        verified: false,
        reason: "the ID token is not signed by a key of this Okta org (its key id is not among the org's published keys)",
      });
    } finally {
      await other.stop();
    }
  });

  it('refuses a token from another app, a forged one, an expired or stale one, and one the worker cannot check', async () => {
    const idToken = await signInAs(sim, cliApp, ALICE);
    const otherApp = sim.addSignInApp();
    expect(await verify(verifier({ clientId: otherApp }), idToken)).toMatchObject({ verified: false, reason: expect.stringMatching(/issued to another app than the CLI's \(OKTA_CLI_CLIENT_ID\)/) });

    // Same claims and key id, signed by a key that is not the org's.
    const { header, payload } = jwt.decode(idToken, { complete: true }) as jwt.Jwt;
    const forged = jwt.sign({ ...(payload as jwt.JwtPayload), preferred_username: 'mallory@example.com' }, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, {
      algorithm: 'RS256',
      keyid: header.kid,
    });
    expect(await verify(verifier(), forged)).toEqual({ verified: false, reason: "the ID token's signature does not match the org's keys" });
    expect(await verify(verifier(), 'not.a.token')).toEqual({ verified: false, reason: 'what was sent as an ID token is not one' });

    const later = (minutes: number) => () => new Date(Date.now() + minutes * 60_000);
    expect(await verify(verifier({ now: later(20) }), idToken)).toMatchObject({ verified: false, reason: expect.stringMatching(/^the sign-in is 20 minutes old; one counts for 15: sign in again$/) });
    expect(await verify(verifier({ now: later(120) }), idToken)).toMatchObject({ verified: false, reason: expect.stringMatching(/^the sign-in expired at .*: sign in again$/) });

    const noClient = createIdentityActivities({ okta: createOktaClient({ orgUrl: sim.url, auth: { mode: 'SSWS', token: sim.apiToken }, requestTimeoutMs: 10_000 }), orgUrl: sim.url });
    expect(await verify(noClient, idToken)).toMatchObject({ verified: false, reason: expect.stringMatching(/set OKTA_CLI_CLIENT_ID/) });
  });

  it("the CLI's sign-in answers only the ID token and the login it names", async () => {
    const result = await signIn({ orgUrl: sim.url, clientId: cliApp }, (p) => sim.approveSignIn(p.userCode, ALICE));
    expect(Object.keys(result).sort()).toEqual(['idToken', 'login']);
    expect(result.login).toBe(ALICE);
  });
});
