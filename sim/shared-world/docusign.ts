/**
 * The DocuSign half of the shared world: the company's DocuSign accounts and admins, the
 * pipeline's own JWT-grant credential, and the link through which Okta's DocuSign app provisions
 * (by email, into the account whose API Account ID Okta holds) and re-authenticates.
 */
import type { DocuSignSim } from '../docusign';
import { VendorSignInError, type VendorHealth, type VendorLink, type VendorUser } from '../okta';
import type { DocuSignCause, PipelineCredentials, VendorAccess, WorldHealth } from './types';

/** Fixed ids, so the demo prints the same API Account IDs every run. */
const HOME_ACCOUNT = 'b25d4f43-e00a-4d1e-8b60-b50626311d59';
const SANDBOX_ACCOUNT = 'd7f1c2a9-3e4b-4c5d-9a8b-1f2e3d4c5b6a';
const FOREIGN_ACCOUNT = '5c0a7e21-9b8d-4f36-a1e2-7d4c3b2a1908';
const INTEGRATION_KEY = '7a3f9c1e-2b4d-4e6f-8a0b-9c8d7e6f5a4b';

const ADMIN = { email: 'docusign.admin@example.com', userName: 'Dana Admin' };
const BACKUP_ADMIN = { email: 'it.admin@example.com', userName: 'Ivan Admin' };
const PIPELINE = { email: 'okta-remediation@example.com', userName: 'Okta Remediation' };

export interface DocuSignCompany {
  homeAccountId: string;
  sandboxAccountId: string;
  foreignAccountId: string;
  adminEmail: string;
  backupAdminEmail: string;
  environment: 'production';
}

/**
 * Builds the company at DocuSign: production account "Example Corp" (admin, backup admin and the
 * pipeline's user, all admins), its demo sandbox (the admin and the pipeline user again, as
 * separate demo logins) and an unrelated production account. Returns the pipeline's credential.
 */
export function buildDocuSignCompany(sim: DocuSignSim): {
  company: DocuSignCompany;
  credential: Omit<PipelineCredentials['docusign'], 'oauthHost' | 'restBaseUrl' | 'demo'> & { demoUserId: string };
} {
  sim.addAccount({ accountId: HOME_ACCOUNT, name: 'Example Corp', environment: 'production' });
  sim.addAccount({ accountId: SANDBOX_ACCOUNT, name: 'Example Corp Sandbox', environment: 'demo' });
  sim.addAccount({ accountId: FOREIGN_ACCOUNT, name: 'Example Holdings', environment: 'production' });
  sim.addUser(HOME_ACCOUNT, { ...ADMIN, isAdmin: true });
  sim.addUser(HOME_ACCOUNT, { ...BACKUP_ADMIN, isAdmin: true });
  sim.addUser(SANDBOX_ACCOUNT, { ...ADMIN, isAdmin: true });
  sim.addUser(FOREIGN_ACCOUNT, { email: 'holdings.admin@example.com', userName: 'Hal Holdings', isAdmin: true });
  const userId = sim.addUser(HOME_ACCOUNT, { ...PIPELINE, isAdmin: true });
  const demoUserId = sim.addUser(SANDBOX_ACCOUNT, { ...PIPELINE, isAdmin: true });
  const { integrationKey, privateKeyPem } = sim.registerIntegrationKey({ integrationKey: INTEGRATION_KEY, name: 'okta-remediation' });
  sim.grantConsent(integrationKey, userId);
  sim.grantConsent(integrationKey, demoUserId);
  return {
    company: {
      homeAccountId: HOME_ACCOUNT,
      sandboxAccountId: SANDBOX_ACCOUNT,
      foreignAccountId: FOREIGN_ACCOUNT,
      adminEmail: ADMIN.email,
      backupAdminEmail: BACKUP_ADMIN.email,
      environment: 'production',
    },
    credential: { integrationKey, userId, privateKeyPem, environment: 'production', demoUserId },
  };
}

/** Okta's DocuSign app as DocuSign sees it. */
export class DocuSignLink implements VendorLink {
  /** The DocuSign login that last authenticated Okta (the console's default for the next re-auth). */
  private admin: string;

  constructor(
    private readonly sim: DocuSignSim,
    private readonly company: DocuSignCompany,
  ) {
    this.admin = company.adminEmail;
  }

  /** The grant Okta got when the admin first authenticated, with the company's API Account ID. */
  configure(): void {
    this.reauthenticate({ login: this.company.adminEmail }, { apiAccountId: this.company.homeAccountId });
  }

  health(): VendorHealth {
    const h = this.sim.oktaIntegrationHealth();
    return h.ok ? h : { ok: false, reason: h.reason };
  }

  worldHealth(): WorldHealth {
    const h = this.sim.oktaIntegrationHealth();
    return h.ok ? h : { ok: false, cause: h.code, reason: h.reason };
  }

  provision(user: VendorUser): void {
    this.sim.provision(this.heldAccountId(), { email: user.email, firstName: user.firstName, lastName: user.lastName });
  }

  deprovision(user: VendorUser): void {
    this.sim.deprovision(this.heldAccountId(), user.email);
  }

  /**
   * "Authenticate with DocuSign": the admin signs in at the environment's account server (a login
   * closed in every account cannot), and Okta keeps the new grant with whatever API Account ID was
   * typed, right or wrong: DocuSign only objects when Okta next pushes.
   */
  reauthenticate(admin: { login: string }, settings: Record<string, unknown>): void {
    const apiAccountId = settings.apiAccountId;
    if (typeof apiAccountId !== 'string' || apiAccountId.trim() === '') throw new VendorSignInError('Enter the API Account ID before authenticating with DocuSign');
    const { environment } = this.company;
    const login = this.sim.login(environment, admin.login);
    if (!login || login.activeAccountIds.length === 0) {
      throw new VendorSignInError(`Authenticate with DocuSign failed: ${admin.login} cannot sign in to DocuSign ${environment}`);
    }
    this.sim.configureOktaIntegration({ apiAccountId: apiAccountId.trim(), adminUserId: login.userId, environment });
    this.admin = admin.login;
  }

  defaultLogin(): string {
    return this.admin;
  }

  /** Breaks Okta's DocuSign credential the way `cause` does; `reauthAs` re-authenticates Okta with a typed setting. */
  break(cause: DocuSignCause, reauthAs: (login: string, settings: Record<string, unknown>) => void): void {
    const adminId = this.sim.oktaIntegration()?.adminUserId;
    if (!adminId) throw new Error('the DocuSign integration is not configured');
    switch (cause) {
      // Both are an admin re-authenticating Okta with a wrong API Account ID typed in.
      case 'account_id_mismatch':
        return reauthAs(this.admin, { apiAccountId: this.company.foreignAccountId });
      case 'environment_mismatch':
        return reauthAs(this.admin, { apiAccountId: this.company.sandboxAccountId });
      case 'admin_not_admin':
        return this.sim.setAdmin(adminId, false, this.company.homeAccountId);
      case 'admin_closed':
        return this.sim.closeUser(adminId, this.company.homeAccountId);
      case 'grant_revoked':
        return this.sim.revokeOktaGrant();
    }
  }

  /** Whether the person still has a DocuSign membership in the company's account. */
  access(email: string): VendorAccess {
    return this.sim.userByEmail(this.company.homeAccountId, email)?.status ?? 'absent';
  }

  private heldAccountId(): string {
    const held = this.sim.oktaIntegration();
    if (!held) throw new Error('the DocuSign integration is not configured');
    return held.apiAccountId;
  }
}
