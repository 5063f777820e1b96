/**
 * The GitHub simulator against GitHub's own OpenAPI description (contracts/github/: the part of
 * @octokit/openapi's ghec.json it serves): every route it serves is an operation there, and every
 * answer below, success or error, has a declared status (or GitHub's usual error shape), a
 * declared media type, a body valid against the schema, and the x-ratelimit-* headers of a bucket
 * GitHub names.
 */
import { GitHubSim, seedGitHubScenario, type GitHubScenario, type GitHubSimOptions } from '../../sim/github';
import { allRoutes } from '../../sim/github/routes';
import type { Answer } from './support/contract';
import { GitHubContract } from './support/github-contract';
import { call, linkRel } from './support/http';

let contract: GitHubContract;

beforeAll(async () => {
  contract = await GitHubContract.load();
  contract.precompile(allRoutes().map((r) => [r.method, r.template]));
}, 60_000);

describe("the GitHub simulator honours GitHub's description (ghec.json)", () => {
  let sim: GitHubSim;
  let w: GitHubScenario;

  async function started(opts: GitHubSimOptions = {}): Promise<void> {
    sim = new GitHubSim(opts);
    w = seedGitHubScenario(sim);
    await sim.start();
    sim.scimProvision(w.org, { userName: 'ada@acme.example', email: 'ada@acme.example', givenName: 'Ada', familyName: 'Lovelace', externalId: '00u1' });
    sim.scimProvision(w.org, { userName: 'bob@acme.example', email: 'bob@acme.example', givenName: 'Bob', familyName: 'Byte' });
  }
  afterEach(async () => {
    await sim?.stop();
  });

  /** Calls the simulator with a GitHub token (none: anonymous) and checks the answer against the contract. */
  async function api(method: string, path: string, token?: string): Promise<Answer> {
    const answer = await call(sim.url, method, path, { token: null, ...(token ? { authorization: `token ${token}` } : {}) });
    contract.expectValid(answer);
    return answer;
  }

  const scim = (suffix = ''): string => `/scim/v2/organizations/${w.org}/Users${suffix}`;
  const members = (username: string): string => `/orgs/${w.org}/memberships/${username}`;

  it('serves only operations of the description', () => {
    const routes = allRoutes();
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) expect(`${route.method} ${route.template}: ${contract.hasOperation(route.method, route.template)}`).toBe(`${route.method} ${route.template}: true`);
  });

  it('has a checker that rejects what the description forbids (so passing means something)', async () => {
    await started();
    const membership = await api('GET', members(w.member), w.ownerToken);
    const body = membership.body as Record<string, unknown>;
    expect(contract.problems({ ...membership, body: { ...body, role: 'owner' } }).join()).toMatch(/allowed values/);
    expect(contract.problems({ ...membership, status: 201 })).toEqual([`status 201 is not declared for GET /orgs/{org}/memberships/{username}`]);
    const noUsed = new Headers(membership.headers);
    noUsed.delete('x-ratelimit-used');
    expect(contract.problems({ ...membership, headers: noUsed })).toEqual(['header X-RateLimit-used is missing']);
    const oddBucket = new Headers(membership.headers);
    oddBucket.set('x-ratelimit-resource', 'rest');
    expect(contract.problems({ ...membership, headers: oddBucket }).join()).toMatch(/X-RateLimit-Resource 'rest' is none of core, /);

    const refused = await api('GET', scim(), w.memberToken);
    expect(refused.status).toBe(403);
    // SCIM errors are scim-error: an integer status, and only SCIM's media types.
    expect(contract.problems({ ...refused, body: { ...(refused.body as object), status: '403' } }).join()).toMatch(/status must be integer/);
    const asHtml = new Headers(refused.headers);
    asHtml.set('content-type', 'text/html');
    expect(contract.problems({ ...refused, headers: asHtml, body: '<h1>403</h1>' }).join()).toMatch(/content type text\/html is not declared/);
    expect(contract.problems({ ...refused, url: '/repos/x/y', status: 200 }).join()).toMatch(/GET \/repos\/x\/y is not an operation/);
  });

  describe('REST probes', () => {
    beforeEach(() => started());

    it('GET /user: the private view with the user scope, the public one without, 401 without a valid token', async () => {
      expect((await api('GET', '/user', w.oktaToken)).body).toMatchObject({ login: w.serviceAccount, user_view_type: 'public' });
      const withUser = sim.issueToken(w.owner, { scopes: ['user'] });
      expect((await api('GET', '/user', withUser)).body).toMatchObject({ login: w.owner, user_view_type: 'private', two_factor_authentication: true });
      expect((await api('GET', '/user')).body).toMatchObject({ message: 'Requires authentication' });
      expect((await api('GET', '/user', 'gho_nope')).status).toBe(401);
    });

    it('GET /users/{username} and /user/{account_id}: 200, and 404 for the unknown and the suspended', async () => {
      const found = await api('GET', `/users/${w.member}`, w.probeToken);
      expect(found.status).toBe(200);
      const id = (found.body as { id: number }).id;
      expect((await api('GET', `/user/${id}`, w.probeToken)).body).toMatchObject({ login: w.member });
      expect((await api('GET', '/users/nobody-here', w.probeToken)).status).toBe(404);
      expect((await api('GET', '/user/99999999', w.probeToken)).status).toBe(404);
      sim.suspendUser(w.member);
      expect((await api('GET', `/users/${w.member}`, w.probeToken)).status).toBe(404);
      // The suspended account's own token: 403, GitHub's basic-error.
      expect((await api('GET', '/user', w.memberToken)).status).toBe(403);
    });

    it('GET /orgs/{org}/memberships/{username}: 200, 404 when hidden, 403 with X-GitHub-SSO without SAML authorization', async () => {
      expect((await api('GET', members(w.serviceAccount), w.probeToken)).body).toMatchObject({ state: 'active', role: 'admin' });
      expect((await api('GET', members('nobody-here'), w.probeToken)).status).toBe(404);
      const sso = await api('GET', members(w.serviceAccount), sim.issueToken(w.probe, { scopes: ['read:org'] }));
      expect(sso.status).toBe(403);
      expect(sso.headers.get('x-github-sso')).toMatch(/^required; url=/);
    });

    it('GET /orgs/{org}/credential-authorizations: pages with Link, 403 for a non-owner, 404 for an unknown org', async () => {
      const first = await api('GET', `/orgs/${w.org}/credential-authorizations?per_page=1`, w.ownerToken);
      expect(first.status).toBe(200);
      expect((first.body as unknown[]).length).toBe(1);
      const next = linkRel(first.headers, 'next');
      expect(next).toBeDefined();
      expect((await api('GET', next!, w.ownerToken)).status).toBe(200);
      expect((await api('GET', `/orgs/${w.org}/credential-authorizations`, w.memberToken)).status).toBe(403);
      expect((await api('GET', '/orgs/nope/credential-authorizations', w.ownerToken)).status).toBe(404);
    });

    it('unknown paths and methods are 404 basic-errors', async () => {
      expect((await api('GET', '/nope', w.probeToken)).body).toMatchObject({ message: 'Not Found' });
      expect((await api('DELETE', `/users/${w.member}`, w.probeToken)).status).toBe(404);
    });
  });

  describe('organization SCIM', () => {
    beforeEach(() => started());

    it('lists, filters, pages, gets and deletes identities', async () => {
      const list = await api('GET', scim(), w.oktaToken);
      expect(list.headers.get('content-type')).toBe('application/scim+json');
      expect(list.body).toMatchObject({ totalResults: 2, itemsPerPage: 2, startIndex: 1 });
      const page = await api('GET', scim(`?startIndex=2&count=1&filter=${encodeURIComponent('userName eq "bob@acme.example"')}`), w.oktaToken);
      expect(page.body).toMatchObject({ totalResults: 1, itemsPerPage: 0 });
      const id = sim.scimUser(w.org, 'ada@acme.example')!.id;
      expect((await api('GET', scim(`/${id}`), w.oktaToken)).body).toMatchObject({ id, userName: 'ada@acme.example' });
      expect((await api('DELETE', scim(`/${id}`), w.oktaToken)).status).toBe(204);
      expect((await api('GET', scim(`/${id}`), w.oktaToken)).status).toBe(404);
      expect((await api('DELETE', scim(`/${id}`), w.oktaToken)).status).toBe(404);
    });

    it('answers bad filters and paging values with a SCIM 400', async () => {
      expect((await api('GET', scim(`?filter=${encodeURIComponent('userName co "a"')}`), w.oktaToken)).body).toMatchObject({ status: 400, scimType: 'invalidFilter' });
      expect((await api('GET', scim('?startIndex=first'), w.oktaToken)).status).toBe(400);
    });

    it('refuses a non-owner, a token without admin:org, and a token without SAML authorization: all scim-error', async () => {
      const id = sim.scimUser(w.org, 'bob@acme.example')!.id;
      expect((await api('DELETE', scim(`/${id}`), w.memberToken)).body).toMatchObject({ status: 403 });
      const readOnly = sim.issueToken(w.owner, { scopes: ['read:org'], samlAuthorizedOrgs: [w.org] });
      expect((await api('GET', scim(), readOnly)).body).toMatchObject({ status: 403, detail: expect.stringMatching(/admin:org/) });

      const noSso = await api('GET', scim(), sim.issueToken(w.owner));
      expect(noSso.status).toBe(403);
      expect(noSso.headers.get('x-github-sso')).toMatch(/^required; url=/);
      expect(noSso.headers.get('content-type')).toBe('application/scim+json');
      expect(noSso.body).toMatchObject({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: 403,
        detail: expect.stringMatching(/^Resource protected by organization SAML enforcement/),
      });
      // Without a (valid) token: a SCIM 401.
      expect((await api('GET', scim())).body).toMatchObject({ status: 401 });
      expect((await api('GET', scim(), 'gho_nope')).body).toMatchObject({ status: 401, detail: 'Bad credentials' });
    });

    it('answers injected secondary rate limits and server errors in the SCIM error shape', async () => {
      for (const status of [429, 403, 500, 503] as const) {
        sim.injectFault({ path: /^\/scim\//, status, count: 1 });
        const answer = await api('GET', scim(), w.oktaToken);
        expect(answer.status).toBe(status);
        expect(answer.body).toMatchObject({ status, schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'] });
      }
      expect((await api('GET', scim(), w.oktaToken)).status).toBe(200);
    });
  });

  describe('rate limits', () => {
    for (const rateLimitStatus of [403, 429] as const) {
      it(`answers an exhausted SCIM budget with a SCIM ${rateLimitStatus}, and its own bucket`, async () => {
        await started({ scimRateLimit: 1, rateLimitStatus });
        const ok = await api('GET', scim(), w.oktaToken);
        expect(ok.headers.get('x-ratelimit-resource')).toBe('scim');
        const limited = await api('GET', scim(), w.oktaToken);
        expect(limited.status).toBe(rateLimitStatus);
        expect(limited.body).toMatchObject({ status: rateLimitStatus, detail: expect.stringMatching(/^API rate limit exceeded/), schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'] });
        expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
        // The REST API's core budget is untouched.
        expect((await api('GET', '/user', w.oktaToken)).status).toBe(200);
      });
    }

    it('charges SCIM to its own bucket: an exhausted core budget leaves SCIM working, and GET /rate_limit shows both', async () => {
      await started({ rateLimit: 2 });
      await api('GET', '/user', w.oktaToken);
      const last = await api('GET', '/user', w.oktaToken);
      expect(last.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(last.headers.get('x-ratelimit-resource')).toBe('core');
      expect((await api('GET', '/user', w.oktaToken)).status).toBe(403);

      const list = await api('GET', scim(), w.oktaToken);
      expect(list.status).toBe(200);
      expect(list.headers.get('x-ratelimit-resource')).toBe('scim');
      expect(list.headers.get('x-ratelimit-used')).toBe('1');

      const overview = await api('GET', '/rate_limit', w.oktaToken);
      expect(overview.status).toBe(200);
      const { resources, rate } = overview.body as { resources: Record<string, { limit: number; used: number; remaining: number }>; rate: unknown };
      expect(resources.core).toMatchObject({ limit: 2, used: 2, remaining: 0 });
      expect(resources.scim).toMatchObject({ used: 1 });
      expect(rate).toEqual(resources.core);
      // Reading it costs nothing (GitHub: "does not count against your REST API rate limit").
      expect(((await api('GET', '/rate_limit', w.oktaToken)).body as typeof overview.body & { resources: { core: { used: number } } }).resources.core.used).toBe(2);
      expect((await api('GET', '/rate_limit')).status).toBe(200);
    });
  });
});
