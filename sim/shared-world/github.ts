/**
 * The GitHub half of the shared world: the company's SAML-enforced org, its owners (a dedicated
 * service account, a person, the pipeline's own account), a GitHub account per employee, and the
 * link through which Okta's "GitHub Enterprise Cloud - Organization" app provisions through org
 * SCIM (userName = the Okta login) and re-authenticates.
 */
import type { GitHubSim } from '../github';
import { VendorSignInError, type VendorHealth, type VendorLink, type VendorUser } from '../okta';
import type { Person } from '../people';
import type { GitHubCause, VendorAccess, WorldHealth } from './types';

const ORG = 'example-eng';
const SERVICE_ACCOUNT = 'example-eng-okta-sync';
const PERSON_OWNER = 'jane-doe';
const PIPELINE_ACCOUNT = 'example-eng-remediation';
/** The OAuth app Okta's grant belongs to; the name GitHub shows for it is a guess. */
const OKTA_OAUTH_APP = { name: 'Okta', clientId: 'Ov23liOktaGitHubEC01' };

export interface GitHubCompany {
  org: string;
  dedicatedServiceAccount: string;
  personOwner: string;
  /** Employees' GitHub logins by the (lower-cased) email on the account, which SCIM links by. */
  accounts: ReadonlyMap<string, string>;
}

/** A person's GitHub login: `first-last`, with the Okta email as the account's email (SCIM links by it). */
export function githubLoginOf(p: Person): string {
  return `${p.firstName}-${p.lastName}`.toLowerCase();
}

/** Builds the org, its owners and everyone's accounts; returns the pipeline's own token (an owner's PAT with admin:org, granted at `past`). */
export function buildGitHubCompany(sim: GitHubSim, people: ReadonlyArray<Person & { email: string }>, past: Date): { company: GitHubCompany; pipeline: { login: string; token: string } } {
  sim.addOrg({ login: ORG, samlEnforced: true });
  sim.addUser({ login: SERVICE_ACCOUNT, name: 'Okta SCIM provisioning', email: 'okta-sync@example.com', serviceAccount: true });
  sim.addUser({ login: PERSON_OWNER, name: 'Jane Doe', email: 'jane.doe@example.com' });
  sim.addUser({ login: PIPELINE_ACCOUNT, name: 'Okta remediation', email: 'okta-remediation@example.com', serviceAccount: true });
  for (const login of [SERVICE_ACCOUNT, PERSON_OWNER, PIPELINE_ACCOUNT]) sim.setMembership(ORG, login, 'admin');
  const accounts = new Map<string, string>();
  for (const p of people) {
    sim.addUser({ login: githubLoginOf(p), name: `${p.firstName} ${p.lastName}`, email: p.email });
    accounts.set(p.email.toLowerCase(), githubLoginOf(p));
  }
  const token = sim.issueToken(PIPELINE_ACCOUNT, { kind: 'pat', scopes: ['admin:org', 'read:user'], samlAuthorizedOrgs: [ORG], note: 'okta-remediation probe', issuedAt: past });
  return { company: { org: ORG, dedicatedServiceAccount: SERVICE_ACCOUNT, personOwner: PERSON_OWNER, accounts }, pipeline: { login: PIPELINE_ACCOUNT, token } };
}

/** Okta's GitHub app as GitHub sees it. */
export class GitHubLink implements VendorLink {
  /** The next sign-in skips the org's SSO (see break('saml_missing')). */
  private withoutSso = false;
  /** When the next grant is issued, if not now (the seeded one predates the world's present). */
  private issuedAt?: Date;

  constructor(
    private readonly sim: GitHubSim,
    private readonly company: GitHubCompany,
  ) {}

  /** The grant Okta got when `login` first clicked "Authenticate with GitHub", back at `at`. */
  configure(login: string, at: Date): void {
    this.issuedAt = at;
    this.reauthenticate({ login }, { githubOrg: this.company.org });
  }

  /**
   * The next "Authenticate with GitHub" consent happens at `at`: GitHub stamps its SSO
   * authorization then, while Okta logs the app change only at Save, later.
   */
  consentAt(at: Date): void {
    this.issuedAt = at;
  }

  health(): VendorHealth {
    const h = this.sim.oktaIntegrationHealth();
    return h.ok ? h : { ok: false, reason: h.detail };
  }

  worldHealth(): WorldHealth {
    const h = this.sim.oktaIntegrationHealth();
    return h.ok ? h : { ok: false, cause: h.reason, reason: h.detail };
  }

  /**
   * The SCIM identity is created or updated; when it links to the person's GitHub account, the
   * person accepts the invitation through SAML SSO, as employees do.
   */
  provision(user: VendorUser): void {
    const { org } = this.company;
    this.sim.scimProvision(org, { userName: user.userName, email: user.email, givenName: user.firstName, familyName: user.lastName, externalId: user.id });
    const account = this.company.accounts.get(user.email.toLowerCase());
    if (account && this.sim.membership(org, account)?.state === 'pending') this.sim.setMembership(org, account, 'member', 'active');
  }

  deprovision(user: VendorUser): void {
    this.sim.scimDeprovision(this.company.org, user.userName);
  }

  /**
   * "Authenticate with GitHub": the account signs in (a deleted, renamed-away or suspended login
   * cannot) and authorizes Okta's OAuth app. GitHub SSO-authorizes an OAuth app token for the org
   * only when it is granted inside an active SAML session, which a member normally has. Earlier
   * tokens stay valid (and listed): Okta does not revoke them. Okta keeps the grant whatever the
   * account may do with it.
   */
  reauthenticate(admin: { login: string }, settings: Record<string, unknown>): void {
    const withSso = !this.withoutSso;
    const issuedAt = this.issuedAt;
    this.withoutSso = false;
    this.issuedAt = undefined;
    const org = settings.githubOrg;
    if (typeof org !== 'string' || org === '') throw new VendorSignInError('Enter the GitHub organization name before authenticating with GitHub');
    const account = this.sim.user(admin.login);
    if (!account || account.suspended) throw new VendorSignInError(`Authenticate with GitHub failed: '${admin.login}' cannot sign in to GitHub`);
    const member = this.sim.membership(org, account.login)?.state === 'active';
    let token: string;
    try {
      token = this.sim.issueToken(account.login, { kind: 'oauth', application: OKTA_OAUTH_APP, samlAuthorizedOrgs: member && withSso ? [org] : [], issuedAt });
      this.sim.configureOktaIntegration({ org, adminLogin: account.login, token });
    } catch (err) {
      throw new VendorSignInError(`Authenticate with GitHub failed: ${(err as Error).message}`);
    }
  }

  /** The account Okta's grant belongs to, under its current login (a rename keeps the id). */
  defaultLogin(): string {
    const held = this.sim.oktaIntegration();
    if (!held) return this.company.dedicatedServiceAccount;
    return this.sim.userById(held.adminUserId)?.login ?? held.adminLogin;
  }

  /** The account behind Okta's grant, by its durable id. */
  integrationAccount(): { login: string; id: number } {
    const held = this.sim.oktaIntegration();
    if (!held) throw new Error('the GitHub integration is not configured');
    return { login: this.sim.userById(held.adminUserId)?.login ?? held.adminLogin, id: held.adminUserId };
  }

  /** Breaks Okta's GitHub grant the way `cause` does; `reauthAs` re-authenticates Okta as someone. */
  break(cause: GitHubCause, reauthAs: (login: string) => void): void {
    const held = this.sim.oktaIntegration();
    if (!held) throw new Error('the GitHub integration is not configured');
    const { login } = this.integrationAccount();
    const { org } = this.company;
    switch (cause) {
      case 'account_deleted':
        return this.sim.deleteUser(login);
      case 'account_suspended':
        return this.sim.suspendUser(login);
      case 'username_changed':
        return this.sim.renameUser(login, `${login}-renamed`);
      case 'not_owner':
        return this.sim.setMembership(org, login, 'member');
      case 'token_revoked':
        return this.sim.revokeToken(held.token);
      case 'token_expired':
        return this.sim.expireToken(held.token);
      case 'password_changed':
        return this.sim.changePassword(login);
      case 'saml_missing':
        // An admin re-authenticated Okta without an active SAML session for the org, so the new
        // grant is not SSO-authorized (owners cannot revoke an OAuth app token's authorization).
        this.withoutSso = true;
        try {
          return reauthAs(login);
        } finally {
          this.withoutSso = false;
        }
    }
  }

  /** Access lasts while the SCIM identity exists or the person's account is still in the org. */
  access(login: string, email: string): VendorAccess {
    const { org } = this.company;
    if (this.sim.scimUser(org, login)) return 'active';
    const account = this.company.accounts.get(email.toLowerCase());
    return account && this.sim.user(account) && this.sim.membership(org, account) ? 'active' : 'absent';
  }
}
