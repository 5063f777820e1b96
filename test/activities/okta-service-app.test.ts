/**
 * The worker as an Okta service app: OAuth 2.0 client credentials with a private key JWT and,
 * where the app requires it, DPoP-bound tokens, against the simulated org's authorization server,
 * through the real Okta SDK and the pipeline's own activities.
 */
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { createOktaClient } from '../../activities/okta/client';
import { parseAppConfig } from '../../config/app-config';
import { OktaSim } from '../../sim/okta';
import type { ServiceAppSeed } from '../../sim/okta/oauth/authorization-server';
import { recommendedRoles, serviceAppKeyPair } from '../../sim/okta/oauth/pipeline-app';
import { testLogger } from '../support/log-capture';

const SCOPES = 'okta.apps.manage okta.logs.read okta.users.read';

const ours = serviceAppKeyPair('worker-1');
const someoneElses = serviceAppKeyPair('worker-1');

let sim: OktaSim;
let appId: string;

beforeEach(async () => {
  sim = new OktaSim({ syncDelayMs: 20 });
  await sim.start();
  appId = sim.addApp({ name: 'docusign', label: 'DocuSign' });
  sim.assignUser(appId, sim.addUser({ login: 'ann@example.com', firstName: 'Ann', lastName: 'Lee' }));
});
afterEach(() => sim.stop());

/** The worker's app as the README has an admin create it, unless a test changes part of it. */
const serviceApp = (opts: Partial<ServiceAppSeed> = {}) => sim.addServiceApp({ publicKeys: [ours.publicJwk], scopes: SCOPES.split(' '), requireDpop: true, roles: recommendedRoles([appId]), ...opts });

function activitiesAs(clientId: string, opts: { privateKey?: string; scopes?: string } = {}) {
  const okta = createOktaClient({
    orgUrl: sim.url,
    auth: { mode: 'PrivateKey', clientId, privateKey: opts.privateKey ?? ours.privateKey, keyId: 'worker-1', scopes: opts.scopes ?? SCOPES },
    requestTimeoutMs: 5_000,
  });
  return createActivities({ okta, orgUrl: sim.url, appConfig: parseAppConfig({}), vendors: {}, lookbackHours: 24, sync: { timeoutMs: 5_000, pollMs: 20 } });
}
const run = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> => new MockActivityEnvironment(undefined, { logger: testLogger }).run(fn, ...args) as Promise<R>;
const failureOf = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as ApplicationFailure,
  );
const tokenRequests = () => sim.requestCount({ method: 'POST', path: /^\/oauth2\/v1\/token$/ });

describe('a service app that requires DPoP (the default for new API Services apps)', () => {
  it('gets one DPoP-bound token after the nonce handshake, shared by calls made at once, and diagnoses the app with it', async () => {
    const clientId = serviceApp();
    const activities = activitiesAs(clientId);
    const [d] = await Promise.all([run(activities.diagnoseApp, { appId }), run(activities.diagnoseApp, { appId })]);
    expect(d.app).toMatchObject({ id: appId, label: 'DocuSign' });
    expect(sim.oauth.issued.map((t) => [t.clientId, t.tokenType])).toEqual([[clientId, 'DPoP']]);
    expect(tokenRequests()).toBe(2); // the first gets use_dpop_nonce, the second the token
  });

  it('sends a request again after a 429 with a new proof: Okta takes a proof once', async () => {
    const clientId = serviceApp();
    sim.injectFault({ path: /^\/api\/v1\/apps\/[^/]+$/, status: 429, count: 1 });
    const d = await run(activitiesAs(clientId).diagnoseApp, { appId });
    expect(d.app.id).toBe(appId);
    expect(sim.requestCount({ method: 'GET', path: new RegExp(`^/api/v1/apps/${appId}$`) })).toBeGreaterThanOrEqual(2);
  });

  it('renews an expired token mid-run and goes on', async () => {
    const clientId = serviceApp();
    const activities = activitiesAs(clientId);
    await run(activities.diagnoseApp, { appId });
    sim.oauth.expireTokens();
    sim.oauth.rotateDpopNonce();
    const again = await run(activities.diagnoseApp, { appId });
    expect(again.app.id).toBe(appId);
    expect(sim.oauth.issued.map((t) => t.tokenType)).toEqual(['DPoP', 'DPoP']);
  });
});

it('a service app without DPoP gets a Bearer token in one request: Okta ignores the proof the SDK always sends', async () => {
  const clientId = serviceApp({ requireDpop: false });
  await run(activitiesAs(clientId).diagnoseApp, { appId });
  expect(sim.oauth.issued.map((t) => [t.clientId, t.tokenType])).toEqual([[clientId, 'Bearer']]);
  expect(tokenRequests()).toBe(1);
});

describe('refusals name what to fix, as configuration problems, never with a secret', () => {
  it('a key that is not the one registered on the app', async () => {
    const clientId = serviceApp();
    const failure = await failureOf(run(activitiesAs(clientId, { privateKey: someoneElses.privateKey }).diagnoseApp, { appId }));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'OktaAccessDenied', nonRetryable: true });
    expect(failure!.message).toContain(`Okta refused a token for the worker's service app ${clientId} (OKTA_CLIENT_ID): invalid_client: The client_assertion signature is invalid.`);
    expect(failure!.message).toMatch(/OKTA_PRIVATE_KEY matches a public key/);
    expect(failure!.message).not.toMatch(/BEGIN|eyJ/);
  });

  it('an unknown client id', async () => {
    const failure = await failureOf(run(activitiesAs('0oaNOSUCHCLIENT').diagnoseApp, { appId }));
    expect(failure!.message).toMatch(/invalid_client: The issuer claim for client_assertion is not a valid client_id\./);
  });

  it('a scope the app was not granted: Okta issues the others, and the first call that needs it names it', async () => {
    const clientId = serviceApp({ scopes: ['okta.apps.manage', 'okta.users.read'] });
    const failure = await failureOf(run(activitiesAs(clientId).diagnoseApp, { appId }));
    expect(failure).toMatchObject({ type: 'OktaAccessDenied', nonRetryable: true });
    expect(failure!.message).toMatch(
      /HTTP 403 \(insufficient_scope: The access token provided does not contain the required scopes\. It needs the scope okta\.logs\.read: grant it on the service app's Okta API Scopes tab and add it to OKTA_SCOPES\.\)/,
    );
  });

  it('an admin role that does not cover the app: the call is refused with what to assign', async () => {
    const clientId = serviceApp({ roles: [...recommendedRoles(['0oaSOMEOTHERAPP']).slice(0, 1), 'REPORT_ADMIN'] });
    const failure = await failureOf(run(activitiesAs(clientId).diagnoseApp, { appId }));
    expect(failure).toMatchObject({ type: 'OktaAccessDenied', nonRetryable: true });
    expect(failure!.message).toMatch(/HTTP 403 E0000006 You do not have permission to perform the requested action\. Okta's admin roles do not allow the pipeline this call: .*Admin roles tab/);
  });

  it('no requested scope granted to the app', async () => {
    const clientId = serviceApp({ scopes: ['okta.groups.read'] });
    const failure = await failureOf(run(activitiesAs(clientId).diagnoseApp, { appId }));
    expect(failure).toMatchObject({ type: 'OktaAccessDenied', nonRetryable: true });
    expect(failure!.message).toMatch(/consent_required: You are not allowed any of the requested scopes\./);
  });
});
