/**
 * The simulated GitHub's organization SCIM API through Octokit's generic `request` (Octokit has
 * no SCIM namespace): list, filter, paging, get, delete, and who may use it.
 *
 * GitHub serves SCIM as `application/scim+json`, which @octokit/request 8 (in @octokit/rest 20)
 * does not parse: `data` arrives as an ArrayBuffer. Callers must decode it, as `scimJson` does.
 */
import { Octokit } from '@octokit/rest';
import { GitHubSim, SCIM_ERROR_SCHEMA, SCIM_LIST_SCHEMA, SCIM_USER_SCHEMA, seedGitHubScenario, type GitHubScenario } from '../../sim/github';

interface RequestErrorLike {
  name: string;
  status: number;
  response?: { headers: Record<string, string | undefined>; data: unknown };
}

interface ScimUser {
  id: string;
  userName: string;
  externalId: string | null;
  emails: Array<{ value: string }>;
  meta: { location: string };
}

interface ScimList {
  schemas: string[];
  totalResults: number;
  itemsPerPage: number;
  startIndex: number;
  Resources: ScimUser[];
}

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** Decodes a SCIM body whichever way Octokit handed it over (ArrayBuffer, string or parsed). */
function scimJson<T>(data: unknown): T {
  if (typeof data === 'string') return JSON.parse(data) as T;
  // Not instanceof: under Jest the ArrayBuffer comes from another realm than the test's globals.
  if (Object.prototype.toString.call(data) === '[object ArrayBuffer]') {
    return JSON.parse(Buffer.from(data as ArrayBuffer).toString('utf8')) as T;
  }
  return data as T;
}

async function failure(p: Promise<unknown>): Promise<RequestErrorLike> {
  try {
    await p;
  } catch (err) {
    return err as RequestErrorLike;
  }
  throw new Error('expected the request to fail');
}

describe('GitHubSim organization SCIM', () => {
  let sim: GitHubSim;
  let w: GitHubScenario;
  const client = (auth: string): Octokit => new Octokit({ auth, baseUrl: sim.url, log: quiet });
  const list = (auth: string, query: { filter?: string; startIndex?: number; count?: number } = {}) => client(auth).request('GET /scim/v2/organizations/{org}/Users', { org: w.org, ...query });

  beforeEach(async () => {
    sim = new GitHubSim();
    w = seedGitHubScenario(sim);
    await sim.start();
    sim.scimProvision(w.org, { userName: 'ada@acme.example', email: 'ada@acme.example', givenName: 'Ada', familyName: 'Lovelace', externalId: '00u1' });
    sim.scimProvision(w.org, { userName: 'bob@acme.example', email: 'bob@acme.example', givenName: 'Bob', familyName: 'Byte', externalId: '00u2' });
    sim.scimProvision(w.org, { userName: 'cy@acme.example', email: 'cy@acme.example', givenName: 'Cy', familyName: 'Cache' });
  });
  afterEach(() => sim.stop());

  it('lists identities as a SCIM ListResponse served as application/scim+json', async () => {
    const res = await list(w.oktaToken);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/scim+json');
    expect(res.headers['x-accepted-oauth-scopes']).toBe('admin:org');
    // SCIM has its own budget, apart from the REST API's core one.
    expect(res.headers['x-ratelimit-resource']).toBe('scim');
    const body = scimJson<ScimList>(res.data);
    expect(body).toMatchObject({ schemas: [SCIM_LIST_SCHEMA], totalResults: 3, itemsPerPage: 3, startIndex: 1 });
    expect(body.Resources.map((u) => u.userName)).toEqual(['ada@acme.example', 'bob@acme.example', 'cy@acme.example']);
    expect(body.Resources[0]).toMatchObject({
      schemas: [SCIM_USER_SCHEMA],
      externalId: '00u1',
      displayName: 'Ada Lovelace',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      emails: [{ value: 'ada@acme.example', primary: true }],
      active: true,
      meta: { resourceType: 'User' },
    });
    expect(body.Resources[0]?.meta.location).toBe(`${sim.url}/scim/v2/organizations/${w.org}/Users/${body.Resources[0]?.id}`);
  });

  it('filters with eq on userName (any case), emails, externalId and id', async () => {
    const byName = scimJson<ScimList>((await list(w.oktaToken, { filter: 'userName eq "BOB@acme.example"' })).data);
    expect(byName.totalResults).toBe(1);
    expect(byName.Resources[0]?.userName).toBe('bob@acme.example');
    const byEmail = scimJson<ScimList>((await list(w.oktaToken, { filter: 'emails eq "cy@acme.example"' })).data);
    expect(byEmail.Resources.map((u) => u.userName)).toEqual(['cy@acme.example']);
    const byExternal = scimJson<ScimList>((await list(w.oktaToken, { filter: 'externalId eq "00u1"' })).data);
    expect(byExternal.Resources.map((u) => u.userName)).toEqual(['ada@acme.example']);
    const id = byExternal.Resources[0]?.id ?? '';
    const byId = scimJson<ScimList>((await list(w.oktaToken, { filter: `id eq "${id}"` })).data);
    expect(byId.totalResults).toBe(1);
    const none = scimJson<ScimList>((await list(w.oktaToken, { filter: 'userName eq "nobody"' })).data);
    expect(none).toMatchObject({ totalResults: 0, itemsPerPage: 0, Resources: [] });
  });

  it('rejects filters it does not support with a SCIM 400 invalidFilter', async () => {
    const err = await failure(list(w.oktaToken, { filter: 'userName co "a"' }));
    expect(err.status).toBe(400);
    expect(scimJson(err.response?.data)).toMatchObject({ schemas: [SCIM_ERROR_SCHEMA], status: 400, scimType: 'invalidFilter' });
  });

  it('pages with startIndex and count', async () => {
    const page = scimJson<ScimList>((await list(w.oktaToken, { startIndex: 2, count: 1 })).data);
    expect(page).toMatchObject({ totalResults: 3, itemsPerPage: 1, startIndex: 2 });
    expect(page.Resources.map((u) => u.userName)).toEqual(['bob@acme.example']);
    const past = scimJson<ScimList>((await list(w.oktaToken, { startIndex: 9 })).data);
    expect(past).toMatchObject({ totalResults: 3, itemsPerPage: 0, Resources: [] });
  });

  it('gets one identity by SCIM id, and 404s in the SCIM error schema for an unknown one', async () => {
    const id = sim.scimUser(w.org, 'ada@acme.example')?.id ?? '';
    const res = await client(w.oktaToken).request('GET /scim/v2/organizations/{org}/Users/{scim_user_id}', { org: w.org, scim_user_id: id });
    expect(scimJson<ScimUser>(res.data)).toMatchObject({ id, userName: 'ada@acme.example' });
    const err = await failure(client(w.oktaToken).request('GET /scim/v2/organizations/{org}/Users/{scim_user_id}', { org: w.org, scim_user_id: 'nope' }));
    expect(err.status).toBe(404);
    expect(err.response?.headers['content-type']).toBe('application/scim+json');
    expect(scimJson(err.response?.data)).toMatchObject({ schemas: [SCIM_ERROR_SCHEMA], status: 404 });
  });

  it('deletes an identity (204) and removes the linked account from the org', async () => {
    sim.addUser({ login: 'dana-gh', email: 'dana@acme.example' });
    const id = sim.scimProvision(w.org, { userName: 'dana@acme.example', email: 'dana@acme.example', givenName: 'Dana', familyName: 'Data' });
    // Provisioning an address GitHub knows invites that account.
    expect(sim.membership(w.org, 'dana-gh')).toEqual({ role: 'member', state: 'pending' });
    sim.setMembership(w.org, 'dana-gh', 'member', 'active');

    const res = await client(w.oktaToken).request('DELETE /scim/v2/organizations/{org}/Users/{scim_user_id}', { org: w.org, scim_user_id: id });
    expect(res.status).toBe(204);
    expect(sim.scimUser(w.org, 'dana@acme.example')).toBeUndefined();
    expect(sim.membership(w.org, 'dana-gh')).toBeUndefined();
    const again = await failure(client(w.oktaToken).request('DELETE /scim/v2/organizations/{org}/Users/{scim_user_id}', { org: w.org, scim_user_id: id }));
    expect(again.status).toBe(404);
  });

  it('refuses a member (non-owner) token: 403 in the SCIM error schema, nothing deleted', async () => {
    const id = sim.scimUser(w.org, 'bob@acme.example')?.id ?? '';
    const memberAdminScope = sim.issueToken(w.member, { samlAuthorizedOrgs: [w.org] }); // has admin:org, is not an owner
    const err = await failure(client(memberAdminScope).request('DELETE /scim/v2/organizations/{org}/Users/{scim_user_id}', { org: w.org, scim_user_id: id }));
    expect(err.status).toBe(403);
    expect(scimJson(err.response?.data)).toMatchObject({ schemas: [SCIM_ERROR_SCHEMA], status: 403 });
    expect((await failure(list(w.probeToken))).status).toBe(403);
    expect(sim.scimUser(w.org, 'bob@acme.example')?.id).toBe(id);
  });

  it("refuses an owner token without admin:org, and one not authorized for the org's SAML SSO", async () => {
    const readOnly = sim.issueToken(w.owner, { scopes: ['read:org'], samlAuthorizedOrgs: [w.org] });
    const scope = await failure(list(readOnly));
    expect(scope.status).toBe(403);
    expect(scimJson<{ detail: string }>(scope.response?.data).detail).toMatch(/admin:org/);

    const noSso = sim.issueToken(w.owner);
    const sso = await failure(list(noSso));
    expect(sso.status).toBe(403);
    expect(sso.response?.headers['x-github-sso']).toMatch(/^required; url=https:\/\/github\.com\/orgs\/acme-corp\/sso\?authorization_request=/);
    // GitHub declares SCIM's 403 as scim-error (integer status, detail), the SSO refusal included.
    expect(sso.response?.headers['content-type']).toBe('application/scim+json');
    expect(scimJson(sso.response?.data)).toMatchObject({ schemas: [SCIM_ERROR_SCHEMA], status: 403, detail: expect.stringMatching(/SAML enforcement/) });
  });

  it('updates an identity in place when the same userName is provisioned again', async () => {
    const before = sim.scimUser(w.org, 'ada@acme.example');
    const id = sim.scimProvision(w.org, { userName: 'ada@acme.example', email: 'ada@acme.example', givenName: 'Ada', familyName: 'King' });
    expect(id).toBe(before?.id);
    expect(sim.scimUser(w.org, 'ada@acme.example')?.name.familyName).toBe('King');
    sim.scimDeprovision(w.org, 'ada@acme.example');
    sim.scimDeprovision(w.org, 'ada@acme.example'); // nothing left: no error
    expect(sim.scimUser(w.org, 'ada@acme.example')).toBeUndefined();
  });

  it("404s on lower-case `users`: GitHub's SCIM paths are case-sensitive", async () => {
    const err = await failure(client(w.oktaToken).request('GET /scim/v2/organizations/{org}/users', { org: w.org }));
    expect(err.status).toBe(404);
  });
});

/**
 * GitHub's GraphQL API as far as the simulator serves it: the org's SAML identity provider and its
 * external identities, which tie a SCIM identity to the GitHub account linked to it.
 */
describe('GitHubSim GraphQL external identities', () => {
  let sim: GitHubSim;
  let w: GitHubScenario;
  const client = (auth: string): Octokit => new Octokit({ auth, baseUrl: sim.url, log: quiet });
  const QUERY = `query($org: String!, $userName: String) {
    organization(login: $org) {
      samlIdentityProvider {
        externalIdentities(first: 10, userName: $userName) {
          totalCount
          nodes { guid scimIdentity { username } samlIdentity { nameId } user { login } }
        }
      }
    }
  }`;
  interface Answer {
    data?: unknown;
    errors?: Array<{ message: string; type?: string; path?: unknown[]; extensions?: Record<string, unknown> }>;
  }
  const graphql = async (auth: string, query: string, variables: Record<string, unknown> = {}) => {
    const res = await client(auth).request('POST /graphql', { query, variables });
    return { status: res.status, headers: res.headers as Record<string, string | undefined>, body: res.data as Answer };
  };

  beforeEach(async () => {
    sim = new GitHubSim();
    w = seedGitHubScenario(sim);
    await sim.start();
    sim.addUser({ login: 'ada-gh', email: 'ada@acme.example' });
    sim.addUser({ login: 'bob-gh', email: 'bob@acme.example' });
    sim.scimProvision(w.org, { userName: 'ada@acme.example', email: 'ada@acme.example', givenName: 'Ada', familyName: 'Lovelace', externalId: '00u1' });
    sim.setMembership(w.org, 'ada-gh', 'member', 'active'); // accepted through SAML SSO: linked
    sim.scimProvision(w.org, { userName: 'bob@acme.example', email: 'bob@acme.example', givenName: 'Bob', familyName: 'Byte', externalId: '00u2' }); // invited, not accepted
  });
  afterEach(() => sim.stop());

  it("ties a SCIM identity to its linked account's login, filtered by userName; an invitation not accepted has no account yet", async () => {
    const ada = await graphql(w.ownerToken, QUERY, { org: w.org, userName: 'ADA@acme.example' });
    expect(ada.status).toBe(200);
    expect(ada.headers['x-ratelimit-resource']).toBe('graphql');
    const adaId = sim.scimUser(w.org, 'ada@acme.example')?.id;
    expect(ada.body).toEqual({
      data: {
        organization: {
          samlIdentityProvider: {
            externalIdentities: { totalCount: 1, nodes: [{ guid: adaId, scimIdentity: { username: 'ada@acme.example' }, samlIdentity: { nameId: 'ada@acme.example' }, user: { login: 'ada-gh' } }] },
          },
        },
      },
    });
    const all = await graphql(w.ownerToken, QUERY, { org: w.org });
    const nodes = (all.body.data as { organization: { samlIdentityProvider: { externalIdentities: { nodes: unknown[] } } } }).organization.samlIdentityProvider.externalIdentities.nodes;
    expect(nodes).toEqual([expect.objectContaining({ user: { login: 'ada-gh' } }), expect.objectContaining({ scimIdentity: { username: 'bob@acme.example' }, samlIdentity: null, user: null })]);
    // Deleting the SCIM identity removes the account from the org and the identity from the list.
    await client(w.oktaToken).request('DELETE /scim/v2/organizations/{org}/Users/{scim_user_id}', { org: w.org, scim_user_id: adaId ?? '' });
    expect(sim.membership(w.org, 'ada-gh')).toBeUndefined();
    expect((await graphql(w.ownerToken, QUERY, { org: w.org, userName: 'ada@acme.example' })).body.data).toEqual({
      organization: { samlIdentityProvider: { externalIdentities: { totalCount: 0, nodes: [] } } },
    });
  });

  it('takes login and membersOnly, and pages with first/after', async () => {
    const q = `query($org: String!, $after: String) { organization(login: $org) { samlIdentityProvider {
      byLogin: externalIdentities(first: 5, login: "ada-gh") { nodes { user { login } } }
      members: externalIdentities(first: 5, membersOnly: true) { totalCount }
      page: externalIdentities(first: 1, after: $after) { nodes { scimIdentity { username } } pageInfo { hasNextPage endCursor } }
    } } }`;
    type Page = { byLogin: { nodes: unknown[] }; members: { totalCount: number }; page: { nodes: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    const first = (await graphql(w.ownerToken, q, { org: w.org })).body.data as { organization: { samlIdentityProvider: Page } };
    const p1 = first.organization.samlIdentityProvider;
    expect(p1.byLogin.nodes).toEqual([{ user: { login: 'ada-gh' } }]);
    expect(p1.members.totalCount).toBe(1);
    expect(p1.page).toMatchObject({ nodes: [{ scimIdentity: { username: 'ada@acme.example' } }], pageInfo: { hasNextPage: true } });
    const second = (await graphql(w.ownerToken, q, { org: w.org, after: p1.page.pageInfo.endCursor })).body.data as { organization: { samlIdentityProvider: Page } };
    expect(second.organization.samlIdentityProvider.page).toMatchObject({ nodes: [{ scimIdentity: { username: 'bob@acme.example' } }], pageInfo: { hasNextPage: false } });
  });

  it('shows the SAML identity provider to owners only; names an unknown org NOT_FOUND; a connection without first/last is an error', async () => {
    const asMember = await graphql(w.memberToken, QUERY, { org: w.org });
    expect(asMember.body).toEqual({ data: { organization: { samlIdentityProvider: null } } });
    const unknown = await graphql(w.ownerToken, QUERY, { org: 'no-such-org' });
    expect(unknown.body).toMatchObject({
      data: { organization: null },
      errors: [{ type: 'NOT_FOUND', path: ['organization'], message: "Could not resolve to an Organization with the login of 'no-such-org'." }],
    });
    const unbounded = await graphql(w.ownerToken, '{ organization(login: "acme-corp") { samlIdentityProvider { externalIdentities { totalCount } } } }');
    // externalIdentities is non-null: its error makes its parent null.
    expect(unbounded.body).toMatchObject({
      data: { organization: { samlIdentityProvider: null } },
      errors: [{ type: 'MISSING_PAGINATION_BOUNDARIES', path: ['organization', 'samlIdentityProvider', 'externalIdentities'] }],
    });
    const tooMany = await graphql(w.ownerToken, '{ organization(login: "acme-corp") { samlIdentityProvider { externalIdentities(first: 101) { totalCount } } } }');
    expect(tooMany.body.errors?.[0]).toMatchObject({
      type: 'EXCESSIVE_PAGINATION',
      message: 'Requesting 101 records on the `externalIdentities` connection exceeds the `first` limit of 100 records.',
    });
  });

  it('answers what it does not serve, and malformed queries, in GraphQL’s error shape with no data', async () => {
    const unknownField = await graphql(w.ownerToken, '{ organization(login: "acme-corp") { name } }');
    expect(unknownField.status).toBe(200);
    expect(unknownField.body).toEqual({
      errors: [
        {
          message: "Field 'name' doesn't exist on type 'Organization'",
          locations: [{ line: 1, column: 38 }],
          path: ['query', 'organization', 'name'],
          extensions: { code: 'undefinedField', typeName: 'Organization', fieldName: 'name' },
        },
      ],
    });
    const missingArg = await graphql(w.ownerToken, '{ organization { login } }');
    expect(missingArg.body.errors?.[0]).toMatchObject({ message: "Field 'organization' is missing required arguments: login", extensions: { code: 'missingRequiredArguments' } });
    const noSelection = await graphql(w.ownerToken, '{ organization(login: "acme-corp") }');
    expect(noSelection.body.errors?.[0]?.extensions).toMatchObject({ code: 'selectionMismatch' });
    const undeclared = await graphql(w.ownerToken, '{ organization(login: $org) { login } }');
    expect(undeclared.body.errors?.[0]).toMatchObject({ message: 'Variable $org is used by anonymous query but not declared', extensions: { code: 'variableNotDefined' } });
    const nullVariable = await graphql(w.ownerToken, 'query($org: String!) { organization(login: $org) { login } }');
    expect(nullVariable.body).toEqual({
      errors: [
        {
          message: 'Variable $org of type String! was provided invalid value',
          locations: [{ line: 1, column: 7 }],
          extensions: { value: null, problems: [{ path: [], explanation: 'Expected value to not be null' }] },
        },
      ],
    });
    const syntax = await graphql(w.ownerToken, '{ organization(login: "acme-corp") { login }');
    expect(syntax.body).toEqual({ errors: [{ message: 'Unexpected end of document', locations: [{ line: 1, column: 45 }] }] });
    expect((await graphql(w.ownerToken, 'mutation { addStar { clientMutationId } }')).body.data).toBeUndefined();
  });

  it('needs a token (401 in the REST error shape), and answers a spent GraphQL budget with 200, an error and remaining 0', async () => {
    const anonymous = await failure(new Octokit({ baseUrl: sim.url, log: quiet }).request('POST /graphql', { query: '{ organization(login: "acme-corp") { login } }' }));
    expect(anonymous.status).toBe(401);
    expect(anonymous.response?.data).toMatchObject({ message: 'This endpoint requires you to be authenticated.' });
    const bad = await failure(client('gho_nope').request('POST /graphql', { query: '{ organization(login: "acme-corp") { login } }' }));
    expect(bad.status).toBe(401);

    await sim.stop();
    sim = new GitHubSim({ graphqlRateLimit: 1 });
    w = seedGitHubScenario(sim);
    await sim.start();
    const q = '{ organization(login: "acme-corp") { login } }';
    expect((await graphql(w.ownerToken, q)).body).toEqual({ data: { organization: { login: 'acme-corp' } } });
    const spent = await graphql(w.ownerToken, q);
    expect(spent.status).toBe(200);
    expect(spent.headers['x-ratelimit-remaining']).toBe('0');
    expect(spent.body).toMatchObject({ errors: [{ type: 'RATE_LIMIT', message: expect.stringMatching(/API rate limit already exceeded for user ID \d+\./) }] });
    // The GraphQL budget is its own: REST still answers.
    expect((await client(w.ownerToken).request('GET /orgs/{org}/memberships/{username}', { org: w.org, username: w.owner })).status).toBe(200);
  });

  it("a token not authorized for the org's SAML SSO sees no org, with the org named in X-GitHub-SSO", async () => {
    const noSso = sim.issueToken(w.owner, { kind: 'pat' });
    const answer = await graphql(noSso, QUERY, { org: w.org });
    expect(answer.body).toMatchObject({ data: { organization: null }, errors: [{ type: 'FORBIDDEN', message: expect.stringMatching(/SAML enforcement/) }] });
    expect(answer.headers['x-github-sso']).toMatch(/^partial-results; organizations=\d+$/);
  });
});

describe('GitHubSim SCIM provisioning as Okta pushes it', () => {
  it("updates the identity with the person's Okta user id (externalId) in place when their username changed in Okta", async () => {
    const sim = new GitHubSim();
    const w = seedGitHubScenario(sim);
    try {
      const id = sim.scimProvision(w.org, { userName: 'ada@acme.example', email: 'ada@acme.example', givenName: 'Ada', familyName: 'Lovelace', externalId: '00u1' });
      expect(sim.scimProvision(w.org, { userName: 'ada.king@acme.example', email: 'ada.king@acme.example', givenName: 'Ada', familyName: 'King', externalId: '00u1' })).toBe(id);
      expect(sim.scimUser(w.org, 'ada@acme.example')).toBeUndefined();
      expect(sim.scimUser(w.org, 'ada.king@acme.example')).toMatchObject({ id, externalId: '00u1', userName: 'ada.king@acme.example' });
    } finally {
      await sim.stop();
    }
  });
});
