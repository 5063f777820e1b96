/**
 * The DocuSign simulator against DocuSign's own eSignature description
 * (contracts/docusign/esignature.rest.swagger-v2.1.json.gz) and, for the account server's OAuth
 * endpoints that description lacks, against a schema written from DocuSign's pages
 * (support/docusign-account-server.ts): every route it serves is an operation there, and every
 * answer below, success or error, has a declared status (or DocuSign's usual error shape), a
 * declared media type and a body valid against the schema. Needs the simulator CA trusted:
 *   NODE_EXTRA_CA_CERTS=$(npx tsx sim/tls/ca.ts) npx jest test/sim/docusign-contract
 */
import { sign } from 'node:crypto';
import { DocuSignSim, type DocuSignSimStarted } from '../../sim/docusign';
import { OAUTH_ROUTES } from '../../sim/docusign/oauth-routes';
import { REST_BASE_PATH, REST_ROUTES } from '../../sim/docusign/rest-routes';
import { ensureSimCertificates } from '../../sim/tls/ca';
import { simCaTrustProblem } from '../../sim/tls/trust';
import type { Answer, Contract } from './support/contract';
import { loadDocuSignContract, valuesListedIn, type DocuSignContract } from './support/docusign-contract';
import { call, type CallOptions } from './support/http';

const trustProblem = simCaTrustProblem(ensureSimCertificates().caPath);
if (trustProblem) throw new Error(`test/sim/docusign-contract cannot reach the simulator over TLS: ${trustProblem}`);

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

let contract: DocuSignContract;

beforeAll(async () => {
  contract = await loadDocuSignContract();
  contract.rest.precompile(REST_ROUTES.map((r) => [r.method, r.template]));
  contract.accountServer.precompile(OAUTH_ROUTES.map((r) => [r.method, r.path]));
}, 60_000);

/** A JWT-grant assertion signed RS256, as docusign-esign's requestJWTUserToken builds it. */
function assertion(claims: Record<string, unknown>, privateKeyPem: string): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iat: now, exp: now + 3600, scope: 'signature impersonation', ...claims })}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKeyPem).toString('base64url')}`;
}

describe("the DocuSign simulator honours DocuSign's descriptions", () => {
  let sim: DocuSignSim;
  let ep: DocuSignSimStarted;
  let key: { integrationKey: string; privateKeyPem: string };
  let account: string;
  let probe: string;
  let ann: string;

  beforeEach(async () => {
    sim = new DocuSignSim({ environment: 'production' });
    account = sim.addAccount({ name: 'Acme Corp', environment: 'production' });
    probe = sim.addUser(account, { email: 'okta-remediation@acme.example', userName: 'Remediation Probe', isAdmin: true });
    ann = sim.addUser(account, { email: 'ann@acme.example', userName: 'Ann Lee' });
    sim.addUser(account, { email: 'bob@acme.example', userName: 'Bob Stone' });
    key = sim.registerIntegrationKey();
    sim.grantConsent(key.integrationKey, probe);
    ep = await sim.start();
  });
  afterEach(async () => {
    await sim?.stop();
  });

  async function checked(c: Contract, base: string, method: string, path: string, opts: Partial<CallOptions>): Promise<Answer> {
    const answer = await call(base, method, path, { token: null, ...opts });
    c.expectValid(answer);
    return answer;
  }

  /** The account server (OAuth). */
  const oauth = (method: string, path: string, opts: Partial<CallOptions> = {}): Promise<Answer> => checked(contract.accountServer, `https://${ep.oauthHost}`, method, path, opts);
  /** The eSignature REST host, as `userId`'s bearer (a raw token string for the odd cases). */
  const rest = (method: string, path: string, bearer: string, body?: unknown): Promise<Answer> =>
    checked(contract.rest, ep.baseUri, method, path, { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { body }) });

  const grant = (userId: string, claims: Record<string, unknown> = {}): Promise<Answer> =>
    oauth('POST', '/oauth/token', {
      body: new URLSearchParams({ grant_type: JWT_BEARER, assertion: assertion({ iss: key.integrationKey, sub: userId, aud: ep.oauthHost, ...claims }, key.privateKeyPem) }).toString(),
      contentType: 'application/x-www-form-urlencoded',
    });
  async function tokenFor(userId: string): Promise<string> {
    const answer = await grant(userId);
    expect(answer.status).toBe(200);
    return (answer.body as { access_token: string }).access_token;
  }
  const accountPath = (suffix = ''): string => `/restapi/v2.1/accounts/${account}${suffix}`;

  it('serves only operations of the descriptions', () => {
    expect(REST_BASE_PATH).toBe(contract.restBasePath);
    for (const r of REST_ROUTES) expect(`${r.method} ${r.template}: ${contract.rest.hasOperation(r.method, r.template)}`).toBe(`${r.method} ${r.template}: true`);
    // Not in the eSignature description: checked against the pages of DocuSign's account server instead.
    for (const r of OAUTH_ROUTES) expect(`${r.method} ${r.path}: ${contract.accountServer.hasOperation(r.method, r.path)}`).toBe(`${r.method} ${r.path}: true`);
  });

  it('has a checker that rejects what the descriptions forbid (so passing means something)', async () => {
    const token = await tokenFor(probe);
    const users = await rest('GET', accountPath('/users'), token);
    const body = users.body as { users: Array<Record<string, unknown>> };
    const withStatus = (userStatus: string): Answer => ({ ...users, body: { ...body, users: [{ ...body.users[0], userStatus }] } });
    // The values DocuSign lists in userStatus's description are held as an enum.
    expect(valuesListedIn("Status of the user's account. One of:\n\n- `ActivationRequired`\n- `Active`\n- `Closed`\n")).toEqual(['ActivationRequired', 'Active', 'Closed']);
    expect(valuesListedIn('Identifies the type of plan. Examples include:\n\n- `business`\n- `free`')).toBeUndefined();
    expect(contract.rest.problems(withStatus('active')).join()).toMatch(/userStatus must be equal to one of the allowed values/);
    expect(contract.rest.problems(withStatus('ActivationSent'))).toEqual([]);
    expect(contract.rest.problems({ ...users, body: { ...body, totalSetSize: 3 } }).join()).toMatch(/totalSetSize must be string/);
    expect(contract.rest.problems({ ...users, status: 201 })).toEqual(['status 201 is not declared for GET /v2.1/accounts/{accountId}/users']);
    const html = new Headers({ 'content-type': 'text/html' });
    expect(contract.rest.problems({ ...users, status: 503, headers: html, body: '<html>503</html>' }).join()).toMatch(/content type text\/html is not declared for status 503/);
    expect(contract.rest.problems({ ...users, status: 503, body: { errorCode: 503 } }).join()).toMatch(/errorCode must be string/);

    const info = await oauth('GET', '/oauth/userinfo', { authorization: `Bearer ${token}` });
    const accounts = (info.body as { accounts: Array<Record<string, unknown>> }).accounts;
    expect(contract.accountServer.problems({ ...info, body: { ...(info.body as object), accounts: [{ ...accounts[0], is_default: 'true' }] } }).join()).toMatch(/is_default must be boolean/);
  });

  describe('the account server (not in the eSignature description)', () => {
    it('POST /oauth/token: a token for a consented user; OAuth errors otherwise', async () => {
      expect((await grant(probe)).body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
      expect((await grant(ann)).body).toEqual({ error: 'consent_required' });
      expect((await grant(probe, { iss: '00000000-0000-4000-8000-000000000000' })).body).toMatchObject({ error: 'invalid_grant', error_description: 'issuer_not_found' });
      expect((await grant(probe, { scope: 'signature' })).body).toMatchObject({ error: 'invalid_scope' });
      const wrongGrant = await oauth('POST', '/oauth/token', { body: 'grant_type=password', contentType: 'application/x-www-form-urlencoded' });
      expect(wrongGrant.status).toBe(400);
    });

    it('GET /oauth/userinfo: the accounts with base_uri; 401 for a bad token; 404 for other paths', async () => {
      const info = await oauth('GET', '/oauth/userinfo', { authorization: `Bearer ${await tokenFor(probe)}` });
      expect(info.body).toMatchObject({ sub: probe, accounts: [{ account_id: account, is_default: true, base_uri: ep.baseUri }] });
      expect((await oauth('GET', '/oauth/userinfo', { authorization: 'Bearer nope' })).status).toBe(401);
      expect((await oauth('GET', '/oauth/nothing')).status).toBe(404);
    });

    it('answers injected faults as OAuth errors in JSON, a 503 included', async () => {
      for (const status of [401, 429, 500, 503] as const) {
        sim.injectFault({ path: /^\/oauth\/token$/, status, count: 1 });
        const answer = await grant(probe);
        expect(answer.status).toBe(status);
        expect(answer.body).toMatchObject({ error: expect.any(String) });
      }
    });
  });

  describe('the eSignature REST API', () => {
    let token: string;
    beforeEach(async () => {
      token = await tokenFor(probe);
    });

    it('GET account information; USER_LACKS_MEMBERSHIP (400) for an account the user is not in; 401 for a bad token', async () => {
      expect((await rest('GET', accountPath(), token)).body).toMatchObject({ accountIdGuid: account, accountName: 'Acme Corp' });
      const stranger = sim.addAccount({ name: 'Other Corp', environment: 'production' });
      expect((await rest('GET', `/restapi/v2.1/accounts/${stranger}`, token)).body).toMatchObject({ errorCode: 'USER_LACKS_MEMBERSHIP' });
      expect((await rest('GET', accountPath(), 'nope')).body).toMatchObject({ errorCode: 'AUTHORIZATION_INVALID_TOKEN' });
      expect((await rest('GET', '/restapi/v2.1/nothing', token)).body).toMatchObject({ errorCode: 'RESOURCE_NOT_FOUND' });
    });

    it("lists users with userStatus in DocuSign's casing (Active, Closed)", async () => {
      sim.closeUser(ann);
      const list = await rest('GET', accountPath('/users'), token);
      const statuses = Object.fromEntries((list.body as { users: Array<{ email: string; userStatus: string }> }).users.map((u) => [u.email, u.userStatus]));
      expect(statuses).toEqual({ 'okta-remediation@acme.example': 'Active', 'ann@acme.example': 'Closed', 'bob@acme.example': 'Active' });
      expect((await rest('GET', accountPath('/users?status=Closed'), token)).body).toMatchObject({ users: [{ email: 'ann@acme.example' }] });
      expect((await rest('GET', accountPath('/users?email=nobody@acme.example'), token)).body).toMatchObject({ errorCode: 'USER_LACKS_MEMBERSHIP' });
    });

    it('pages with start_position and count: every nextUri moves forward, and the walk ends', async () => {
      const seen: string[] = [];
      let next: string | undefined = '/users?count=2';
      for (let pages = 0; next; pages++) {
        expect(pages).toBeLessThan(3);
        const page = await rest('GET', accountPath(next), token);
        const body = page.body as { users: Array<{ email: string }>; nextUri?: string };
        seen.push(...body.users.map((u) => u.email));
        expect(body.nextUri).not.toBe(next);
        next = body.nextUri;
      }
      expect(seen.sort()).toEqual(['ann@acme.example', 'bob@acme.example', 'okta-remediation@acme.example']);
    });

    it("answers a count outside DocuSign's documented 1 to 100 with a 400 error, never a page that points at itself", async () => {
      for (const count of ['0', '101', '-1', 'ten']) {
        const answer = await rest('GET', accountPath(`/users?count=${count}`), token);
        expect(answer.status).toBe(400);
        expect(answer.body).toMatchObject({ errorCode: 'INVALID_REQUEST_PARAMETER', message: expect.stringContaining(count) });
      }
      expect((await rest('GET', accountPath('/users?count=100'), token)).status).toBe(200);
    });

    it('closes users: DELETE /users answers each user as Closed, or its error inline; 400 for a bad body', async () => {
      const closed = await rest('DELETE', accountPath('/users'), token, { users: [{ userId: ann }, { userId: 'no-such-user' }] });
      expect(closed.body).toMatchObject({ users: [{ userId: ann, userStatus: 'Closed' }, { errorDetails: { errorCode: 'INVALID_USERID' } }] });
      expect((await rest('DELETE', accountPath('/users'), token, { users: [] })).body).toMatchObject({ errorCode: 'INVALID_REQUEST_BODY' });
    });

    it('refuses user administration to a member who is not an admin (401 USER_LACKS_PERMISSIONS)', async () => {
      sim.grantConsent(key.integrationKey, ann);
      expect((await rest('GET', accountPath('/users'), await tokenFor(ann))).body).toMatchObject({ errorCode: 'USER_LACKS_PERMISSIONS' });
    });

    it('answers injected faults as {errorCode, message} JSON, a 503 included', async () => {
      for (const status of [401, 429, 500, 503] as const) {
        sim.injectFault({ path: /\/users$/, status, count: 1 });
        const answer = await rest('GET', accountPath('/users'), token);
        expect(answer.status).toBe(status);
        expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
        expect(answer.body).toEqual({ errorCode: expect.any(String), message: expect.any(String) });
      }
      expect((await rest('GET', accountPath('/users'), token)).status).toBe(200);
    });
  });
});
