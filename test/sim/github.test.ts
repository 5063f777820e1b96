/**
 * The simulated GitHub's REST probes, driven only through @octokit/rest as the pipeline will:
 * identity and scopes, bad credentials, suspended / renamed / deleted accounts, org ownership,
 * SAML SSO, the primary rate limit and injected faults.
 */
import { Octokit } from '@octokit/rest';
import { GitHubSim, seedGitHubScenario, type GitHubScenario } from '../../sim/github';

/** What Octokit rejects with (@octokit/request-error's RequestError, whose name is 'HttpError'). */
interface RequestErrorLike {
  name: string;
  status: number;
  message: string;
  response?: { headers: Record<string, string | undefined>; data: unknown };
}

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

async function failure(p: Promise<unknown>): Promise<RequestErrorLike> {
  try {
    await p;
  } catch (err) {
    return err as RequestErrorLike;
  }
  throw new Error('expected the request to fail');
}

describe('GitHubSim REST', () => {
  let sim: GitHubSim;
  let w: GitHubScenario;
  const client = (auth?: string): Octokit => new Octokit({ auth, baseUrl: sim.url, log: quiet });

  beforeEach(async () => {
    sim = new GitHubSim();
    w = seedGitHubScenario(sim);
    await sim.start();
  });
  afterEach(() => sim.stop());

  describe('GET /user', () => {
    it('returns the token owner with X-OAuth-Scopes and rate-limit headers', async () => {
      const res = await client(w.oktaToken).users.getAuthenticated();
      expect(res.status).toBe(200);
      expect(res.data).toMatchObject({ login: w.serviceAccount, type: 'User', name: 'Okta provisioning' });
      expect(res.data.id).toBe(sim.user(w.serviceAccount)?.id);
      expect(res.headers['x-oauth-scopes']).toBe('admin:org, read:user');
      expect(res.headers['x-accepted-oauth-scopes']).toBe('');
      expect(res.headers['x-ratelimit-limit']).toBe('5000');
      expect(res.headers['x-ratelimit-remaining']).toBe('4999');
      expect(res.headers['x-ratelimit-used']).toBe('1');
      expect(res.headers['x-ratelimit-resource']).toBe('core');
      const reset = Number(res.headers['x-ratelimit-reset']);
      expect(reset).toBeGreaterThan(Date.now() / 1000);
      expect(reset).toBeLessThanOrEqual(Date.now() / 1000 + 3600 + 1);
      expect(res.headers['x-github-request-id']).toMatch(/^[0-9A-F:]+$/);
    });

    it('shows private profile fields only to a token with the user scope', async () => {
      const plain = await client(w.oktaToken).users.getAuthenticated();
      expect(plain.data).not.toHaveProperty('two_factor_authentication');
      const full = await client(sim.issueToken(w.owner, { scopes: ['user'] })).users.getAuthenticated();
      expect(full.data).toMatchObject({ login: w.owner, two_factor_authentication: true, user_view_type: 'private' });
      expect(full.headers['x-oauth-scopes']).toBe('user');
    });

    it('accepts the Bearer scheme too', async () => {
      const res = await client().request('GET /user', { headers: { authorization: `Bearer ${w.probeToken}` } });
      expect(res.data.login).toBe(w.probe);
    });

    it('issues tokens in GitHub OAuth format and reports an expiry date when the token has one', async () => {
      expect(w.oktaToken).toMatch(/^gho_[0-9A-Za-z]{36}$/);
      const token = sim.issueToken(w.owner, { expiresAt: new Date('2099-01-02T03:04:05Z') });
      const res = await client(token).users.getAuthenticated();
      expect(res.headers['github-authentication-token-expiration']).toBe('2099-01-02 03:04:05 UTC');
    });

    it('answers 401 Bad credentials for unknown, revoked, expired and password-invalidated tokens', async () => {
      const revoked = sim.issueToken(w.owner);
      sim.revokeToken(revoked);
      const expiredByDate = sim.issueToken(w.owner, { expiresAt: new Date(Date.now() - 1000) });
      const expired = sim.issueToken(w.owner);
      sim.expireToken(expired);
      const beforePasswordChange = sim.issueToken(w.member);
      sim.changePassword(w.member);
      for (const token of ['gho_' + 'x'.repeat(36), revoked, expiredByDate, expired, beforePasswordChange]) {
        const err = await failure(client(token).users.getAuthenticated());
        expect(err.name).toBe('HttpError');
        expect(err.status).toBe(401);
        expect(err.response?.data).toEqual({ message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
        expect(err.response?.headers['x-oauth-scopes']).toBeUndefined();
        // Bad tokens are charged to the anonymous per-IP budget, as on GitHub.
        expect(err.response?.headers['x-ratelimit-limit']).toBe('60');
      }
      // A token issued after the password change works.
      const fresh = await client(sim.issueToken(w.member)).users.getAuthenticated();
      expect(fresh.data.login).toBe(w.member);
    });

    it('asks anonymous callers to authenticate', async () => {
      const err = await failure(client().users.getAuthenticated());
      expect(err.status).toBe(401);
      expect(err.response?.data).toMatchObject({ message: 'Requires authentication' });
    });
  });

  describe('account changes', () => {
    it('suspended: its own token gets 403, others no longer see it, unsuspending restores it', async () => {
      sim.suspendUser(w.owner);
      const own = await failure(client(w.ownerToken).users.getAuthenticated());
      expect(own.status).toBe(403);
      expect(own.response?.data).toMatchObject({ message: 'Sorry. Your account was suspended.' });
      expect(own.response?.headers['x-ratelimit-remaining']).toBeDefined();
      const seen = await failure(client(w.probeToken).users.getByUsername({ username: w.owner }));
      expect(seen.status).toBe(404);
      const membership = await failure(client(w.probeToken).orgs.getMembershipForUser({ org: w.org, username: w.owner }));
      expect(membership.status).toBe(404);

      sim.unsuspendUser(w.owner);
      expect((await client(w.ownerToken).users.getAuthenticated()).data.login).toBe(w.owner);
    });

    it('renamed: the old login is gone, the account (same id, same tokens) lives on under the new one', async () => {
      const id = sim.user(w.serviceAccount)?.id;
      sim.renameUser(w.serviceAccount, 'acme-provisioning');
      const old = await failure(client(w.probeToken).users.getByUsername({ username: w.serviceAccount }));
      expect(old.status).toBe(404);
      expect(old.response?.data).toMatchObject({ message: 'Not Found' });
      const renamed = await client(w.probeToken).users.getByUsername({ username: 'acme-provisioning' });
      expect(renamed.data.id).toBe(id);
      expect((await client(w.oktaToken).users.getAuthenticated()).data.login).toBe('acme-provisioning');
      const m = await client(w.probeToken).orgs.getMembershipForUser({ org: w.org, username: 'acme-provisioning' });
      expect(m.data.role).toBe('admin');
    });

    it('deleted: the login 404s everywhere and its tokens are bad credentials', async () => {
      sim.deleteUser(w.owner);
      expect((await failure(client(w.probeToken).users.getByUsername({ username: w.owner }))).status).toBe(404);
      expect((await failure(client(w.probeToken).orgs.getMembershipForUser({ org: w.org, username: w.owner }))).status).toBe(404);
      expect((await failure(client(w.ownerToken).users.getAuthenticated())).status).toBe(401);
    });

    it('looks logins up without regard to case', async () => {
      const res = await client(w.probeToken).users.getByUsername({ username: w.member.toUpperCase() });
      expect(res.data.login).toBe(w.member);
    });
  });

  describe('GET /orgs/{org}/memberships/{username}', () => {
    it('tells an owner (role admin) from a member', async () => {
      const octokit = client(w.probeToken);
      const owner = await octokit.orgs.getMembershipForUser({ org: w.org, username: w.serviceAccount });
      expect(owner.data).toMatchObject({ state: 'active', role: 'admin', organization: { login: w.org }, user: { login: w.serviceAccount } });
      expect(owner.data.url).toBe(`${sim.url}/orgs/${w.org}/memberships/${w.serviceAccount}`);
      expect(owner.data.organization_url).toBe(`${sim.url}/orgs/${w.org}`);
      expect(owner.headers['x-accepted-oauth-scopes']).toBe('admin:org, read:org, repo, user, write:org');
      const member = await octokit.orgs.getMembershipForUser({ org: w.org, username: w.member });
      expect(member.data).toMatchObject({ state: 'active', role: 'member' });
    });

    it('answers 404 for a non-member and after the membership is removed', async () => {
      sim.addUser({ login: 'outsider' });
      expect((await failure(client(w.probeToken).orgs.getMembershipForUser({ org: w.org, username: 'outsider' }))).status).toBe(404);
      sim.removeMembership(w.org, w.owner);
      const err = await failure(client(w.probeToken).orgs.getMembershipForUser({ org: w.org, username: w.owner }));
      expect(err.status).toBe(404);
      expect(err.response?.data).toMatchObject({ message: 'Not Found', status: '404' });
    });

    it('shows pending invitations to owners and to the invitee, not to other members', async () => {
      sim.addUser({ login: 'newcomer' });
      sim.setMembership(w.org, 'newcomer', 'member', 'pending');
      const byOwner = await client(w.ownerToken).orgs.getMembershipForUser({ org: w.org, username: 'newcomer' });
      expect(byOwner.data.state).toBe('pending');
      const self = await client(sim.issueToken('newcomer', { scopes: ['read:org'] })).orgs.getMembershipForUser({ org: w.org, username: 'newcomer' });
      expect(self.data.state).toBe('pending');
      expect((await failure(client(w.probeToken).orgs.getMembershipForUser({ org: w.org, username: 'newcomer' }))).status).toBe(404);
    });

    it('hides memberships from tokens without an org scope and from non-members', async () => {
      const noScope = sim.issueToken(w.member, { scopes: ['read:user'], samlAuthorizedOrgs: [w.org] });
      const err = await failure(client(noScope).orgs.getMembershipForUser({ org: w.org, username: w.serviceAccount }));
      expect(err.status).toBe(404);
      expect(err.response?.headers['x-oauth-scopes']).toBe('read:user');
      expect(err.response?.headers['x-accepted-oauth-scopes']).toBe('admin:org, read:org, repo, user, write:org');
      sim.addUser({ login: 'outsider' });
      const outsider = sim.issueToken('outsider', { scopes: ['read:org'] });
      expect((await failure(client(outsider).orgs.getMembershipForUser({ org: w.org, username: w.serviceAccount }))).status).toBe(404);
    });

    it('answers 403 with X-GitHub-SSO when the org enforces SAML and the token is not authorized for it', async () => {
      const unauthorized = sim.issueToken(w.probe, { scopes: ['read:org'] });
      const err = await failure(client(unauthorized).orgs.getMembershipForUser({ org: w.org, username: w.serviceAccount }));
      expect(err.status).toBe(403);
      expect(err.response?.data).toMatchObject({
        message: 'Resource protected by organization SAML enforcement. You must grant your OAuth token access to this organization.',
      });
      expect(err.response?.headers['x-github-sso']).toMatch(new RegExp(`^required; url=https://github\\.com/orgs/${w.org}/sso\\?authorization_request=[0-9A-Za-z]+$`));
      // The token still works outside the org.
      expect((await client(unauthorized).users.getAuthenticated()).status).toBe(200);

      sim.authorizeSaml(unauthorized, w.org);
      const ok = await client(unauthorized).orgs.getMembershipForUser({ org: w.org, username: w.serviceAccount });
      expect(ok.data.role).toBe('admin');
    });

    it('does not ask for SSO in an org without SAML enforcement', async () => {
      sim.addOrg({ login: 'open-org' });
      sim.setMembership('open-org', w.member, 'member');
      sim.setMembership('open-org', w.owner, 'admin');
      const token = sim.issueToken(w.member, { scopes: ['read:org'] });
      const res = await client(token).orgs.getMembershipForUser({ org: 'open-org', username: w.owner });
      expect(res.data.role).toBe('admin');
    });
  });

  describe('rate limits and faults reach Octokit as RequestError', () => {
    it('past the hourly limit: 403, remaining 0, GitHub message; other tokens keep their own budget', async () => {
      const limited = new GitHubSim({ rateLimit: 2 });
      const lw = seedGitHubScenario(limited, 'limited-org');
      await limited.start();
      try {
        const octokit = new Octokit({ auth: lw.probeToken, baseUrl: limited.url, log: quiet });
        await octokit.users.getAuthenticated();
        const last = await octokit.users.getAuthenticated();
        expect(last.headers['x-ratelimit-remaining']).toBe('0');
        const err = await failure(octokit.users.getAuthenticated());
        expect(err.name).toBe('HttpError');
        expect(err.status).toBe(403);
        expect(err.message).toMatch(/^API rate limit exceeded for user ID \d+\./);
        expect(err.response?.data).toMatchObject({ documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' });
        expect(err.response?.headers).toMatchObject({ 'x-ratelimit-limit': '2', 'x-ratelimit-remaining': '0', 'x-ratelimit-used': '2' });
        expect(Number(err.response?.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
        const other = new Octokit({ auth: lw.ownerToken, baseUrl: limited.url, log: quiet });
        expect((await other.users.getAuthenticated()).status).toBe(200);
      } finally {
        await limited.stop();
      }
    });

    it('can answer an exhausted limit with 429 instead', async () => {
      const limited = new GitHubSim({ rateLimit: 1, rateLimitStatus: 429 });
      const lw = seedGitHubScenario(limited, 'limited-org');
      await limited.start();
      try {
        const octokit = new Octokit({ auth: lw.probeToken, baseUrl: limited.url, log: quiet });
        await octokit.users.getAuthenticated();
        const err = await failure(octokit.users.getAuthenticated());
        expect(err.status).toBe(429);
        expect(err.response?.headers['x-ratelimit-remaining']).toBe('0');
      } finally {
        await limited.stop();
      }
    });

    it('injected 429 and 403 are secondary rate limits with Retry-After; 5xx are server errors; each used up in turn', async () => {
      sim.injectFault({ path: /^\/user$/, status: 429, count: 1 });
      sim.injectFault({ path: /^\/user$/, status: 403, count: 1 });
      sim.injectFault({ path: /^\/user$/, status: 502, count: 1 });
      sim.injectFault({ path: /^\/user$/, status: 500, count: 1 });
      sim.injectFault({ path: /^\/user$/, status: 503, count: 1 });
      const octokit = client(w.probeToken);
      for (const status of [429, 403]) {
        const err = await failure(octokit.users.getAuthenticated());
        expect(err.status).toBe(status);
        expect(err.message).toMatch(/secondary rate limit/);
        expect(err.response?.headers['retry-after']).toBe('1');
        expect(err.response?.headers['x-ratelimit-limit']).toBe('5000');
      }
      for (const status of [502, 500, 503]) {
        const err = await failure(octokit.users.getAuthenticated());
        expect(err.name).toBe('HttpError');
        expect(err.status).toBe(status);
        expect(err.response?.headers['x-github-request-id']).toBeDefined();
      }
      expect((await octokit.users.getAuthenticated()).status).toBe(200);
      // Other paths were never affected.
      expect((await octokit.users.getByUsername({ username: w.member })).status).toBe(200);
    });

    it('an injected 401 looks like bad credentials and can be limited to a method', async () => {
      sim.injectFault({ method: 'GET', path: /memberships/, status: 401, count: 1 });
      const octokit = client(w.probeToken);
      const err = await failure(octokit.orgs.getMembershipForUser({ org: w.org, username: w.member }));
      expect(err.status).toBe(401);
      expect(err.response?.data).toMatchObject({ message: 'Bad credentials' });
      expect((await octokit.orgs.getMembershipForUser({ org: w.org, username: w.member })).status).toBe(200);
    });

    it("anonymous callers get GitHub's 60 per hour", async () => {
      const res = await client().users.getByUsername({ username: w.member });
      expect(res.headers['x-ratelimit-limit']).toBe('60');
      expect(res.headers['x-oauth-scopes']).toBeUndefined();
    });

    it('answers unknown endpoints with 404 Not Found and records what it served', async () => {
      const err = await failure(client(w.probeToken).request('GET /nope'));
      expect(err.status).toBe(404);
      expect(sim.requestCount({ method: 'GET', path: /^\/nope$/ })).toBe(1);
      expect(sim.requests().at(-1)).toMatchObject({ method: 'GET', path: '/nope', status: 404, login: w.probe });
    });
  });
});
