/**
 * The GitHub endpoints the pipeline's probes add, through Octokit: `GET /user/{account_id}` (an
 * account found by its durable id after a rename) and `GET /orgs/{org}/credential-authorizations`
 * (which credentials the org's SAML SSO has authorized, to see whether Okta's token is one).
 */
import { Octokit } from '@octokit/rest';
import { GitHubSim, seedGitHubScenario, type GitHubScenario } from '../../sim/github';

interface RequestErrorLike {
  status: number;
  response?: { headers: Record<string, string | undefined>; data: unknown };
}

interface CredentialAuthorization {
  login: string;
  credential_id: number;
  credential_type: string;
  token_last_eight: string;
  credential_authorized_at: string;
  credential_accessed_at: string | null;
  authorized_credential_id: number | null;
  authorized_credential_note: string | null;
  authorized_credential_expires_at: string | null;
  scopes: string[];
  application_name: string | null;
}

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const ISO_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

async function failure(p: Promise<unknown>): Promise<RequestErrorLike> {
  try {
    await p;
  } catch (err) {
    return err as RequestErrorLike;
  }
  throw new Error('expected the request to fail');
}

describe('GitHubSim probe endpoints', () => {
  let sim: GitHubSim;
  let w: GitHubScenario;
  const client = (auth?: string): Octokit => new Octokit({ auth, baseUrl: sim.url, log: quiet });

  beforeEach(async () => {
    sim = new GitHubSim();
    w = seedGitHubScenario(sim);
    await sim.start();
  });
  afterEach(() => sim.stop());

  describe('GET /user/{account_id}', () => {
    it('finds an account by id, under its current login after a rename', async () => {
      const id = sim.user(w.serviceAccount)!.id;
      const before = await client(w.probeToken).users.getById({ account_id: id });
      expect(before.data).toMatchObject({ login: w.serviceAccount, id, type: 'User' });
      sim.renameUser(w.serviceAccount, 'acme-provisioning');
      const after = await client(w.probeToken).request('GET /user/{account_id}', { account_id: id });
      expect(after.data).toMatchObject({ login: 'acme-provisioning', id, url: `${sim.url}/users/acme-provisioning` });
      expect((await failure(client(w.probeToken).users.getByUsername({ username: w.serviceAccount }))).status).toBe(404);
    });

    it('is public, and 404s for suspended, deleted, unknown and malformed ids', async () => {
      const owner = sim.user(w.owner)!.id;
      expect((await client().users.getById({ account_id: owner })).data.login).toBe(w.owner);
      sim.suspendUser(w.owner);
      expect((await failure(client(w.probeToken).users.getById({ account_id: owner }))).status).toBe(404);
      const member = sim.user(w.member)!.id;
      sim.deleteUser(w.member);
      for (const accountId of [member, 999_999, 0]) {
        const err = await failure(client(w.probeToken).users.getById({ account_id: accountId }));
        expect(err.status).toBe(404);
        expect(err.response?.data).toMatchObject({ message: 'Not Found' });
      }
      expect((await failure(client(w.probeToken).request('GET /user/{account_id}', { account_id: 'abc' as unknown as number }))).status).toBe(404);
    });
  });

  describe('GET /orgs/{org}/credential-authorizations', () => {
    const list = (token: string, query: { login?: string; per_page?: number; page?: number } = {}) => client(token).request('GET /orgs/{org}/credential-authorizations', { org: w.org, ...query });

    it("lists the SSO-authorized personal access tokens of the org's members to an owner, never Okta's OAuth app token", async () => {
      const res = await list(w.ownerToken);
      expect(res.status).toBe(200);
      expect(res.headers['x-accepted-oauth-scopes']).toBe('admin:org, read:org, write:org');
      const entries = res.data as CredentialAuthorization[];
      expect(entries.map((e) => e.login)).toEqual([w.owner, w.member, w.probe]);
      expect(entries.every((e) => e.credential_type === 'personal access token')).toBe(true);
      expect(entries.map((e) => e.token_last_eight)).not.toContain(w.oktaToken.slice(-8));
      const member = entries.find((e) => e.login === w.member)!;
      expect(member).toMatchObject({
        token_last_eight: w.memberToken.slice(-8),
        scopes: ['read:org', 'read:user'],
        authorized_credential_expires_at: null,
        // The member's token has not been presented to the API yet; the owner's just was.
        credential_accessed_at: null,
      });
      expect(member.credential_authorized_at).toMatch(ISO_SECONDS);
      expect(Number.isInteger(member.credential_id) && Number.isInteger(member.authorized_credential_id)).toBe(true);
      expect(entries.find((e) => e.login === w.owner)!.credential_accessed_at).toMatch(ISO_SECONDS);
    });

    it('takes login, and gives each token its note and expiry', async () => {
      const expiresAt = new Date('2099-01-02T03:04:05Z');
      const pat = sim.issueToken(w.owner, { kind: 'pat', scopes: ['read:org'], samlAuthorizedOrgs: [w.org], note: 'audit script', expiresAt });
      expect(pat).toMatch(/^ghp_[0-9A-Za-z]{36}$/);
      const mine = (await list(w.ownerToken, { login: w.owner.toUpperCase() })).data as CredentialAuthorization[];
      expect(mine.map((e) => e.token_last_eight)).toEqual([w.ownerToken.slice(-8), pat.slice(-8)]);
      expect(mine[1]).toMatchObject({ authorized_credential_note: 'audit script', authorized_credential_expires_at: '2099-01-02T03:04:05Z', application_name: null });
      // The service account's only credential is Okta's OAuth app token: nothing is listed for it.
      expect((await list(w.ownerToken, { login: w.serviceAccount })).data).toEqual([]);
      // The PAT can read the list itself: read:org is enough for an owner.
      expect((await list(pat)).status).toBe(200);
    });

    it('drops revoked credentials and revoked SSO authorizations; an expired token stays with its expiry', async () => {
      const pat = sim.issueToken(w.serviceAccount, { kind: 'pat', samlAuthorizedOrgs: [w.org] });
      sim.revokeSamlAuthorization(pat, w.org);
      // Owners can revoke a PAT's SSO authorization, never an OAuth app token's.
      expect(() => sim.revokeSamlAuthorization(w.oktaToken, w.org)).toThrow(/OAuth app token/);
      sim.revokeToken(w.memberToken);
      sim.expireToken(w.probeToken);
      const entries = (await list(w.ownerToken)).data as CredentialAuthorization[];
      expect(entries.map((e) => e.login)).toEqual([w.owner, w.probe]);
      expect(entries[1]!.authorized_credential_expires_at).toMatch(ISO_SECONDS);
      // Authorizing again lists it anew, under a new authorization id.
      sim.authorizeSaml(pat, w.org);
      const again = (await list(w.ownerToken, { login: w.serviceAccount })).data as CredentialAuthorization[];
      expect(again.map((e) => e.token_last_eight)).toEqual([pat.slice(-8)]);
    });

    it('pages with per_page/page and a Link header that Octokit follows', async () => {
      const first = await list(w.ownerToken, { per_page: 2 });
      expect((first.data as unknown[]).length).toBe(2);
      expect(first.headers.link).toContain('rel="next"');
      expect(first.headers.link).toContain('rel="last"');
      const all = await client(w.ownerToken).paginate('GET /orgs/{org}/credential-authorizations', { org: w.org, per_page: 1 });
      expect((all as CredentialAuthorization[]).map((e) => e.login)).toEqual([w.owner, w.member, w.probe]);
    });

    it('answers 403 to a non-owner, 404 without an org scope or for an unknown org, 403 with X-GitHub-SSO before SSO', async () => {
      const member = await failure(list(w.probeToken));
      expect(member.status).toBe(403);
      const ownerNoScope = sim.issueToken(w.owner, { scopes: ['read:user'], samlAuthorizedOrgs: [w.org] });
      expect((await failure(list(ownerNoScope))).status).toBe(404);
      expect((await failure(client(w.ownerToken).request('GET /orgs/{org}/credential-authorizations', { org: 'nope' }))).status).toBe(404);
      const noSso = sim.issueToken(w.owner);
      const sso = await failure(list(noSso));
      expect(sso.status).toBe(403);
      expect(sso.response?.headers['x-github-sso']).toMatch(/^required; url=/);
      expect((await failure(client().request('GET /orgs/{org}/credential-authorizations', { org: w.org }))).status).toBe(401);
    });
  });
});
