/**
 * The Okta integration's view of GitHub: every oktaIntegrationHealth verdict, and that each one
 * agrees with what the SCIM API answers the same token through Octokit.
 */
import { Octokit } from '@octokit/rest';
import { GitHubSim, seedGitHubScenario, type GitHubScenario, type HealthReason } from '../../sim/github';

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

describe('GitHubSim Okta integration health', () => {
  let sim: GitHubSim;
  let w: GitHubScenario;

  beforeEach(async () => {
    sim = new GitHubSim();
    w = seedGitHubScenario(sim);
    await sim.start();
  });
  afterEach(() => sim.stop());

  /** Status of the SCIM list call Okta's push depends on, made with the integration's token. */
  async function scimStatus(token: string): Promise<number> {
    const octokit = new Octokit({ auth: token, baseUrl: sim.url, log: quiet });
    try {
      return (await octokit.request('GET /scim/v2/organizations/{org}/Users', { org: w.org })).status;
    } catch (err) {
      return (err as { status: number }).status;
    }
  }

  it('is not configured until Okta holds a grant', () => {
    const fresh = new GitHubSim();
    expect(fresh.oktaIntegrationHealth()).toMatchObject({ ok: false, reason: 'not_configured' });
  });

  it('is healthy for a SAML-authorized owner token with admin:org, and SCIM agrees', async () => {
    expect(sim.oktaIntegrationHealth()).toEqual({ ok: true });
    expect(await scimStatus(w.oktaToken)).toBe(200);
  });

  const breakages: Array<[HealthReason, (s: GitHubSim, w: GitHubScenario) => void, number]> = [
    ['admin_suspended', (s, w) => s.suspendUser(w.serviceAccount), 403],
    ['admin_deleted', (s, w) => s.deleteUser(w.serviceAccount), 401],
    ['token_revoked', (s, w) => s.revokeToken(w.oktaToken), 401],
    ['token_expired', (s, w) => s.expireToken(w.oktaToken), 401],
    ['password_changed', (s, w) => s.changePassword(w.serviceAccount), 401],
    ['not_org_owner', (s, w) => s.setMembership(w.org, w.serviceAccount, 'member'), 403],
    ['not_org_owner', (s, w) => s.removeMembership(w.org, w.serviceAccount), 403],
    ['not_org_owner', (s, w) => s.setMembership(w.org, w.serviceAccount, 'admin', 'pending'), 403],
  ];

  it.each(breakages)('%s', async (reason, breakIt, status) => {
    breakIt(sim, w);
    const health = sim.oktaIntegrationHealth();
    expect(health).toMatchObject({ ok: false, reason });
    expect(health.ok ? '' : health.detail).toContain(w.serviceAccount);
    expect(await scimStatus(w.oktaToken)).toBe(status);
  });

  it('admin_renamed: the login Okta recorded is gone even though the token still works', async () => {
    sim.renameUser(w.serviceAccount, 'acme-provisioning');
    expect(sim.oktaIntegrationHealth()).toMatchObject({ ok: false, reason: 'admin_renamed' });
    // GitHub itself still honours the token; it is Okta's recorded admin that no longer resolves.
    expect(await scimStatus(w.oktaToken)).toBe(200);
    // Someone else taking the old login does not make the grant healthy again.
    sim.addUser({ login: w.serviceAccount });
    expect(sim.oktaIntegrationHealth()).toMatchObject({ ok: false, reason: 'admin_renamed' });
  });

  it('token_expired when the grant passes its expiry date', async () => {
    const shortLived = sim.issueToken(w.serviceAccount, { samlAuthorizedOrgs: [w.org], expiresAt: new Date(Date.now() + 100) });
    sim.configureOktaIntegration({ org: w.org, adminLogin: w.serviceAccount, token: shortLived });
    expect(sim.oktaIntegrationHealth()).toEqual({ ok: true });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(sim.oktaIntegrationHealth()).toMatchObject({ ok: false, reason: 'token_expired' });
    expect(await scimStatus(shortLived)).toBe(401);
  });

  it("saml_authorization_missing when the grant was never authorized for the org's SSO", async () => {
    const noSso = sim.issueToken(w.serviceAccount);
    sim.configureOktaIntegration({ org: w.org, adminLogin: w.serviceAccount, token: noSso });
    expect(sim.oktaIntegrationHealth()).toMatchObject({ ok: false, reason: 'saml_authorization_missing' });
    expect(await scimStatus(noSso)).toBe(403);
    sim.authorizeSaml(noSso, w.org);
    expect(sim.oktaIntegrationHealth()).toEqual({ ok: true });
  });

  it('missing_scope when the grant lacks admin:org', async () => {
    const weak = sim.issueToken(w.serviceAccount, { scopes: ['read:org'], samlAuthorizedOrgs: [w.org] });
    sim.configureOktaIntegration({ org: w.org, adminLogin: w.serviceAccount, token: weak });
    expect(sim.oktaIntegrationHealth()).toMatchObject({ ok: false, reason: 'missing_scope' });
    expect(await scimStatus(weak)).toBe(403);
  });

  it('recovers when an admin re-authenticates Okta with a dedicated owner account', async () => {
    sim.changePassword(w.serviceAccount);
    expect(sim.oktaIntegrationHealth().ok).toBe(false);
    const fresh = sim.issueToken(w.serviceAccount, { samlAuthorizedOrgs: [w.org] });
    sim.configureOktaIntegration({ org: w.org, adminLogin: w.serviceAccount, token: fresh });
    expect(sim.oktaIntegrationHealth()).toEqual({ ok: true });
    expect(sim.user(w.serviceAccount)?.serviceAccount).toBe(true);
    expect(await scimStatus(fresh)).toBe(200);
  });

  it('refuses a configuration whose token is not a live token of the named admin', () => {
    expect(() => sim.configureOktaIntegration({ org: w.org, adminLogin: w.serviceAccount, token: w.ownerToken })).toThrow(/live token/);
    sim.revokeToken(w.ownerToken);
    expect(() => sim.configureOktaIntegration({ org: w.org, adminLogin: w.owner, token: w.ownerToken })).toThrow(/live token/);
  });
});
