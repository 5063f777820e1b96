/**
 * The DocuSign simulator, driven only through the official docusign-esign client, as the pipeline
 * will drive real DocuSign. Needs the simulator CA trusted from process start:
 *   NODE_EXTRA_CA_CERTS=$(npx tsx sim/tls/ca.ts) npx jest test/sim/docusign
 */
import { AccountsApi, ApiClient, UsersApi } from 'docusign-esign';
import { DocuSignSim, type DocuSignSimStarted, type Endpoints } from '../../sim/docusign';
import { ensureSimCertificates } from '../../sim/tls/ca';
import { simCaTrustProblem } from '../../sim/tls/trust';

const trustProblem = simCaTrustProblem(ensureSimCertificates().caPath);
if (trustProblem) throw new Error(`test/sim/docusign cannot reach the simulator over TLS: ${trustProblem}`);

const SCOPES = ['signature', 'impersonation'];

interface HttpFailure {
  status: number;
  data: unknown;
  headers: Record<string, string | undefined>;
}

/** What a docusign-esign call rejected with: an axios error carrying DocuSign's HTTP answer. */
async function failure(call: Promise<unknown>): Promise<HttpFailure> {
  try {
    await call;
  } catch (err) {
    const response = (err as { response?: { status: number; data: unknown; headers: Record<string, string | undefined> } }).response;
    if (!response) throw err;
    return { status: response.status, data: response.data, headers: response.headers };
  }
  throw new Error('expected the call to fail');
}

/** setBasePath first: it resets the OAuth host to account.docusign.com as a side effect. */
function clientFor(e: Endpoints): ApiClient {
  const client = new ApiClient();
  client.setBasePath(e.restBaseUrl);
  client.setOAuthBasePath(e.oauthHost);
  return client;
}

interface World {
  sim: DocuSignSim;
  ep: DocuSignSimStarted;
  integrationKey: string;
  privateKey: Buffer;
  prodAccount: string;
  demoAccount: string;
  /** The Okta admin's production login, and the same person's separate demo login. */
  admin: string;
  adminDemo: string;
  /** The pipeline's own read-only service user (an admin) that probes DocuSign. */
  probe: string;
  ann: string;
}

async function seed(opts: ConstructorParameters<typeof DocuSignSim>[0] = {}): Promise<World> {
  const sim = new DocuSignSim({ environment: 'production', ...opts });
  const prodAccount = sim.addAccount({ name: 'Acme Corp', environment: 'production' });
  const demoAccount = sim.addAccount({ name: 'Acme Sandbox', environment: 'demo' });
  const admin = sim.addUser(prodAccount, { email: 'admin@acme.example', userName: 'Ada Admin', isAdmin: true });
  const adminDemo = sim.addUser(demoAccount, { email: 'admin@acme.example', userName: 'Ada Admin', isAdmin: true });
  const probe = sim.addUser(prodAccount, { email: 'okta-remediation@acme.example', userName: 'Remediation Probe', isAdmin: true });
  const ann = sim.addUser(prodAccount, { email: 'ann@acme.example', userName: 'Ann Lee' });
  const { integrationKey, privateKeyPem } = sim.registerIntegrationKey();
  for (const user of [admin, adminDemo, probe]) sim.grantConsent(integrationKey, user);
  const ep = await sim.start();
  return { sim, ep, integrationKey, privateKey: Buffer.from(privateKeyPem), prodAccount, demoAccount, admin, adminDemo, probe, ann };
}

async function jwtToken(w: World, userId: string, e: Endpoints = w.ep): Promise<string> {
  const res = (await clientFor(e).requestJWTUserToken(w.integrationKey, userId, SCOPES, w.privateKey, 3600)) as { body: { access_token: string } };
  return res.body.access_token;
}

/** A REST client authenticated as `userId` through the JWT grant, the way the pipeline's probe is. */
async function restAs(w: World, userId: string, e: Endpoints = w.ep): Promise<{ accounts: AccountsApi; users: UsersApi; client: ApiClient }> {
  const client = clientFor(e);
  client.addDefaultHeader('Authorization', `Bearer ${await jwtToken(w, userId, e)}`);
  return { accounts: new AccountsApi(client), users: new UsersApi(client), client };
}

interface UserInfoAccount {
  accountId: string;
  isDefault: string;
  accountName: string;
  baseUri: string;
}

async function userInfo(w: World, userId: string, e: Endpoints = w.ep): Promise<{ sub: string; email: string; accounts: UserInfoAccount[] }> {
  return (await clientFor(e).getUserInfo(await jwtToken(w, userId, e))) as { sub: string; email: string; accounts: UserInfoAccount[] };
}

describe('DocuSign simulator through docusign-esign', () => {
  let w: World;

  beforeEach(async () => {
    w = await seed();
  });

  afterEach(async () => {
    await w.sim.stop();
  });

  describe('JWT grant', () => {
    it('issues a bearer token for a consented user', async () => {
      const res = (await clientFor(w.ep).requestJWTUserToken(w.integrationKey, w.probe, SCOPES, w.privateKey, 3600)) as { status: number; body: Record<string, unknown> };
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
    });

    it('answers consent_required until the user consents, and again after consent is revoked', async () => {
      const before = await failure(jwtToken(w, w.ann));
      expect(before).toMatchObject({ status: 400, data: { error: 'consent_required' } });

      w.sim.grantConsent(w.integrationKey, w.ann);
      await expect(jwtToken(w, w.ann)).resolves.toEqual(expect.any(String));

      w.sim.revokeConsent(w.integrationKey, w.ann);
      expect(await failure(jwtToken(w, w.ann))).toMatchObject({ status: 400, data: { error: 'consent_required' } });
    });

    it('rejects an assertion signed with another key, an unknown integration key and a login of the other environment', async () => {
      const other = w.sim.registerIntegrationKey();
      const wrongKey = clientFor(w.ep).requestJWTUserToken(w.integrationKey, w.probe, SCOPES, Buffer.from(other.privateKeyPem), 3600);
      expect(await failure(wrongKey)).toMatchObject({ status: 400, data: { error: 'invalid_grant', error_description: 'no_valid_keys_or_signatures' } });

      const unknownKey = clientFor(w.ep).requestJWTUserToken('00000000-0000-4000-8000-000000000000', w.probe, SCOPES, w.privateKey, 3600);
      expect(await failure(unknownKey)).toMatchObject({ status: 400, data: { error: 'invalid_grant', error_description: 'issuer_not_found' } });

      // The demo login does not exist on the production account server.
      expect(await failure(jwtToken(w, w.adminDemo, w.ep.production))).toMatchObject({ status: 400, data: { error: 'invalid_grant', error_description: 'user_not_found' } });
    });

    it('requires the signature and impersonation scopes', async () => {
      const call = clientFor(w.ep).requestJWTUserToken(w.integrationKey, w.probe, ['signature'], w.privateKey, 3600);
      expect(await failure(call)).toMatchObject({ status: 400, data: { error: 'invalid_scope' } });
    });
  });

  describe('userinfo', () => {
    it("lists only the user's active accounts of the server's environment, with their base_uri", async () => {
      const prod = await userInfo(w, w.admin, w.ep.production);
      expect(prod).toMatchObject({ sub: w.admin, email: 'admin@acme.example' });
      expect(prod.accounts).toEqual([{ accountId: w.prodAccount, isDefault: 'true', accountName: 'Acme Corp', baseUri: w.ep.production.baseUri }]);

      const demo = await userInfo(w, w.adminDemo, w.ep.demo);
      expect(demo.sub).not.toBe(w.admin); // one person, two logins: the environments share nothing
      expect(demo.accounts).toEqual([{ accountId: w.demoAccount, isDefault: 'true', accountName: 'Acme Sandbox', baseUri: w.ep.demo.baseUri }]);
    });

    it('drops an account once the membership is closed', async () => {
      w.sim.closeUser(w.admin);
      expect((await userInfo(w, w.admin)).accounts).toEqual([]);
    });

    it('rejects a token from the other environment', async () => {
      const demoToken = await jwtToken(w, w.adminDemo, w.ep.demo);
      expect(await failure(clientFor(w.ep.production).getUserInfo(demoToken))).toMatchObject({ status: 401 });
    });
  });

  describe('REST API', () => {
    it('returns account information to a member, using the base_uri from userinfo', async () => {
      const [account] = (await userInfo(w, w.probe)).accounts;
      expect(account?.baseUri).toBe(w.ep.production.baseUri);
      const client = new ApiClient();
      client.setBasePath(`${account?.baseUri}/restapi`);
      client.addDefaultHeader('Authorization', `Bearer ${await jwtToken(w, w.probe)}`);
      const info = (await new AccountsApi(client).getAccountInformation(w.prodAccount)) as { accountIdGuid: string; accountName: string };
      expect(info).toMatchObject({ accountIdGuid: w.prodAccount, accountName: 'Acme Corp' });
    });

    it('answers USER_LACKS_MEMBERSHIP for an account the user is not in, including one of the other environment', async () => {
      const { accounts } = await restAs(w, w.probe);
      const stranger = w.sim.addAccount({ name: 'Other Corp', environment: 'production' });
      for (const accountId of [stranger, w.demoAccount]) {
        expect(await failure(accounts.getAccountInformation(accountId))).toMatchObject({
          status: 400,
          data: { errorCode: 'USER_LACKS_MEMBERSHIP', message: expect.any(String) },
        });
      }
    });

    it('answers AUTHORIZATION_INVALID_TOKEN for a token of the other environment and for an expired one', async () => {
      const demoClient = clientFor(w.ep.production);
      demoClient.addDefaultHeader('Authorization', `Bearer ${await jwtToken(w, w.adminDemo, w.ep.demo)}`);
      expect(await failure(new AccountsApi(demoClient).getAccountInformation(w.prodAccount))).toMatchObject({
        status: 401,
        data: { errorCode: 'AUTHORIZATION_INVALID_TOKEN' },
      });

      const { accounts } = await restAs(w, w.probe);
      w.sim.expireAccessTokens();
      expect(await failure(accounts.getAccountInformation(w.prodAccount))).toMatchObject({ status: 401, data: { errorCode: 'AUTHORIZATION_INVALID_TOKEN' } });
    });

    it('lists a user by email with isAdmin and userStatus as DocuSign spells them', async () => {
      const { users } = await restAs(w, w.probe);
      const list = (await users.list(w.prodAccount, { email: 'ADMIN@acme.example' })) as {
        users: Array<{ userId: string; email: string; isAdmin: string; userStatus: string }>;
        resultSetSize: string;
        totalSetSize: string;
        startPosition: string;
        endPosition: string;
      };
      expect(list).toMatchObject({ resultSetSize: '1', totalSetSize: '1', startPosition: '0', endPosition: '0' });
      expect(list.users).toEqual([expect.objectContaining({ userId: w.admin, email: 'admin@acme.example', isAdmin: 'True', userStatus: 'Active' })]);

      const ann = (await users.list(w.prodAccount, { email: 'ann@acme.example' })) as { users: Array<{ isAdmin: string }> };
      expect(ann.users[0]?.isAdmin).toBe('False');
    });

    it('answers an email that matches no member with USER_LACKS_MEMBERSHIP, not an empty list', async () => {
      const { users } = await restAs(w, w.probe);
      expect(await failure(users.list(w.prodAccount, { email: 'nobody@acme.example' }))).toMatchObject({ status: 400, data: { errorCode: 'USER_LACKS_MEMBERSHIP' } });
    });

    it('pages the users list', async () => {
      const { users } = await restAs(w, w.probe);
      const page = (await users.list(w.prodAccount, { count: '2' })) as { users: unknown[]; totalSetSize: string; nextUri?: string };
      expect(page.users).toHaveLength(2);
      expect(page.totalSetSize).toBe('3');
      expect(page.nextUri).toContain('start_position=2');
      // DocuSign documents count as 1 to 100: 0 is refused, not answered with a page pointing at itself.
      expect(await failure(users.list(w.prodAccount, { count: '0' }))).toMatchObject({ status: 400, data: { errorCode: 'INVALID_REQUEST_PARAMETER' } });
    });

    it('refuses user administration to a member who is not an admin', async () => {
      w.sim.grantConsent(w.integrationKey, w.ann);
      const { users } = await restAs(w, w.ann);
      expect(await failure(users.list(w.prodAccount, { email: 'admin@acme.example' }))).toMatchObject({ status: 401, data: { errorCode: 'USER_LACKS_PERMISSIONS' } });
    });

    it('closes a user (UsersApi._delete) and then lists them as closed', async () => {
      const { users } = await restAs(w, w.probe);
      const closed = (await users._delete(w.prodAccount, { userInfoList: { users: [{ userId: w.ann }] } })) as { users: Array<{ userId: string; userStatus: string }> };
      expect(closed.users).toEqual([expect.objectContaining({ userId: w.ann, userStatus: 'Closed' })]);

      const list = (await users.list(w.prodAccount, { email: 'ann@acme.example' })) as { users: Array<{ userStatus: string }> };
      expect(list.users[0]?.userStatus).toBe('Closed');
      expect(w.sim.userByEmail(w.prodAccount, 'ann@acme.example')?.status).toBe('closed');
    });

    it('reports per-user failures inline when closing users', async () => {
      const { users } = await restAs(w, w.probe);
      const result = (await users._delete(w.prodAccount, { userInfoList: { users: [{ userId: w.adminDemo }] } })) as { users: Array<{ errorDetails?: { errorCode: string } }> };
      expect(result.users[0]?.errorDetails?.errorCode).toBe('INVALID_USERID');
    });

    it('serves OAuth and REST as two hosts, like account.docusign.com and www.docusign.net', async () => {
      const client = new ApiClient();
      client.setBasePath(`https://${w.ep.oauthHost}/restapi`);
      client.addDefaultHeader('Authorization', `Bearer ${await jwtToken(w, w.probe)}`);
      const wrongHost = await failure(new AccountsApi(client).getAccountInformation(w.prodAccount));
      expect(wrongHost.status).toBe(404);
      expect(JSON.stringify(wrongHost.data)).toContain(w.ep.restBaseUrl);
    });
  });

  describe('Okta integration health, and what the probe sees for each cause', () => {
    beforeEach(() => {
      w.sim.configureOktaIntegration({ apiAccountId: w.prodAccount, adminUserId: w.admin, environment: 'production' });
    });

    it('is healthy when the API Account ID is one of the admin’s accounts and the admin is an active admin', async () => {
      expect(w.sim.oktaIntegrationHealth()).toEqual({ ok: true });
      expect((await userInfo(w, w.admin)).accounts.map((a) => a.accountId)).toContain(w.prodAccount);
    });

    it('wrong API Account ID: not among the admin’s accounts', async () => {
      const other = w.sim.addAccount({ name: 'Other Corp', environment: 'production' });
      w.sim.configureOktaIntegration({ apiAccountId: other, adminUserId: w.admin, environment: 'production' });
      expect(w.sim.oktaIntegrationHealth()).toMatchObject({ ok: false, code: 'account_not_among_admin_accounts' });
      expect((await userInfo(w, w.admin)).accounts.map((a) => a.accountId)).not.toContain(other);

      w.sim.configureOktaIntegration({ apiAccountId: '6f1c2d3e-0000-4000-8000-00000000beef', adminUserId: w.admin, environment: 'production' });
      expect(w.sim.oktaIntegrationHealth()).toMatchObject({ ok: false, code: 'account_not_among_admin_accounts' });
    });

    it('demo vs production: a demo API Account ID while Okta authenticates against production', async () => {
      w.sim.configureOktaIntegration({ apiAccountId: w.demoAccount, adminUserId: w.admin, environment: 'production' });
      expect(w.sim.oktaIntegrationHealth()).toMatchObject({ ok: false, code: 'environment_mismatch', reason: expect.stringContaining('demo') });
      // Production userinfo does not know the account; demo userinfo does.
      expect((await userInfo(w, w.admin, w.ep.production)).accounts.map((a) => a.accountId)).not.toContain(w.demoAccount);
      expect((await userInfo(w, w.adminDemo, w.ep.demo)).accounts.map((a) => a.accountId)).toContain(w.demoAccount);
    });

    it('the admin lost admin rights', async () => {
      w.sim.setAdmin(w.admin, false);
      expect(w.sim.oktaIntegrationHealth()).toMatchObject({ ok: false, code: 'admin_not_admin' });
      const { users } = await restAs(w, w.probe);
      const list = (await users.list(w.prodAccount, { email: 'admin@acme.example' })) as { users: Array<{ isAdmin: string; userStatus: string }> };
      expect(list.users[0]).toMatchObject({ isAdmin: 'False', userStatus: 'Active' });
    });

    it('the admin was closed', async () => {
      w.sim.closeUser(w.admin);
      expect(w.sim.oktaIntegrationHealth()).toMatchObject({ ok: false, code: 'admin_closed' });
      const { users } = await restAs(w, w.probe);
      const list = (await users.list(w.prodAccount, { email: 'admin@acme.example' })) as { users: Array<{ userStatus: string }> };
      expect(list.users[0]?.userStatus).toBe('Closed');
    });

    it('the grant was revoked: invisible to the probe, fixed by re-authenticating in Okta', async () => {
      w.sim.revokeOktaGrant();
      expect(w.sim.oktaIntegrationHealth()).toMatchObject({ ok: false, code: 'grant_revoked' });
      const { users } = await restAs(w, w.probe);
      const list = (await users.list(w.prodAccount, { email: 'admin@acme.example' })) as { users: Array<{ isAdmin: string; userStatus: string }> };
      expect(list.users[0]).toMatchObject({ isAdmin: 'True', userStatus: 'Active' });

      w.sim.configureOktaIntegration({ apiAccountId: w.prodAccount, adminUserId: w.admin, environment: 'production' });
      expect(w.sim.oktaIntegrationHealth()).toEqual({ ok: true });
    });

    it('provisioning effects show up through the API', async () => {
      w.sim.provision(w.prodAccount, { email: 'bob@acme.example', firstName: 'Bob', lastName: 'Stone' });
      const { users } = await restAs(w, w.probe);
      const list = (await users.list(w.prodAccount, { email: 'bob@acme.example' })) as { users: Array<{ userName: string; userStatus: string }> };
      expect(list.users[0]).toMatchObject({ userName: 'Bob Stone', userStatus: 'Active' });
      expect(w.sim.deprovision(w.prodAccount, 'bob@acme.example')).toBe(true);
      expect(w.sim.userByEmail(w.prodAccount, 'bob@acme.example')?.status).toBe('closed');
    });
  });

  describe('faults and rate limits reach the client as errors with a status', () => {
    it('injected 401, 429, 500 and 503, each used up after its count', async () => {
      const { accounts } = await restAs(w, w.probe);
      const path = /\/accounts\/[^/]+$/;

      w.sim.injectFault({ path, status: 401, count: 1 });
      expect(await failure(accounts.getAccountInformation(w.prodAccount))).toMatchObject({ status: 401, data: { errorCode: 'AUTHORIZATION_INVALID_TOKEN' } });

      w.sim.injectFault({ path, status: 429, count: 1 });
      const limited = await failure(accounts.getAccountInformation(w.prodAccount));
      expect(limited).toMatchObject({ status: 429, data: { errorCode: 'HOURLY_APIINVOCATION_LIMIT_EXCEEDED' } });
      expect(limited.headers['x-ratelimit-remaining']).toBe('0');
      expect(Number(limited.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
      expect(Number(limited.headers['x-ratelimit-reset']) % 3600).toBe(0);

      // A limit hit just before the hour ends: the budget starts again in a second or two.
      w.sim.injectFault({ path, status: 429, count: 1, resetInMs: 1000 });
      const brief = await failure(accounts.getAccountInformation(w.prodAccount));
      expect(Number(brief.headers['x-ratelimit-reset']) * 1000 - Date.now()).toBeLessThanOrEqual(2000);

      w.sim.injectFault({ path, status: 500, count: 2 });
      expect(await failure(accounts.getAccountInformation(w.prodAccount))).toMatchObject({ status: 500, data: { errorCode: 'UNSPECIFIED_ERROR' } });
      expect(await failure(accounts.getAccountInformation(w.prodAccount))).toMatchObject({ status: 500 });

      // JSON in DocuSign's error shape, like every other DocuSign error (no HTML page).
      w.sim.injectFault({ path, status: 503, count: 1 });
      const outage = await failure(accounts.getAccountInformation(w.prodAccount));
      expect(outage).toMatchObject({ status: 503, data: { errorCode: 'SERVICE_UNAVAILABLE', message: expect.any(String) } });

      await expect(accounts.getAccountInformation(w.prodAccount)).resolves.toMatchObject({ accountIdGuid: w.prodAccount });
    });

    it('a 5xx from the account server fails the JWT grant', async () => {
      w.sim.injectFault({ path: /^\/oauth\/token$/, status: 503, count: 1 });
      expect((await failure(jwtToken(w, w.probe))).status).toBe(503);
      await expect(jwtToken(w, w.probe)).resolves.toEqual(expect.any(String));
    });
  });

  it('counts requests per account per hour, with X-RateLimit headers, and answers 429 past the limit', async () => {
    await w.sim.stop();
    w = await seed({ hourlyRateLimit: 2 });
    const { users } = await restAs(w, w.probe);
    // The promise form resolves to the body only; the callback form also hands over the response.
    const listWithHeaders = () =>
      new Promise<Record<string, string | undefined>>((resolve, reject) => {
        void users.list(w.prodAccount, { email: 'ann@acme.example' }, (err: unknown, _data: unknown, response: { headers: Record<string, string | undefined> }) =>
          err ? reject(err) : resolve(response.headers),
        );
      });
    expect((await listWithHeaders())['x-ratelimit-remaining']).toBe('1');
    expect((await listWithHeaders())['x-ratelimit-remaining']).toBe('0');
    const limited = await failure(listWithHeaders());
    expect(limited).toMatchObject({ status: 429, data: { errorCode: 'HOURLY_APIINVOCATION_LIMIT_EXCEEDED' } });
    expect(limited.headers['x-ratelimit-limit']).toBe('2');
  });
});
