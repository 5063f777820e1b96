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
