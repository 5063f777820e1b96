/**
 * One simulated world in which Okta and the vendors agree: a user Okta provisions exists at the
 * vendor, a deprovision removes them there, a failed one leaves them active. OktaSim's DocuSign and
 * GitHub apps are linked to DocuSignSim and GitHubSim, so a credential breaks the way it does in
 * the vendor (a revoked grant, a closed admin, a renamed account...) and Okta only ever shows its
 * one message. The pipeline talks to all three over HTTP with its own vendor credentials.
 */
import { DocuSignSim } from './docusign';
import { GitHubSim } from './github';
import { OktaSim } from './okta';
import type { RateLimitOptions } from './okta/rate-limiter';
import { AFTERMATH, ASSIGNED, DOCUSIGN_APP, GENERIC_APP, GITHUB_APP, loginOf, PEOPLE, TEST_PERSON, type Aftermath, type Person } from './people';
import { applyAftermath } from './seed';
import { worldRoutes } from './world-routes';
import { buildDocuSignCompany, DocuSignLink, type DocuSignCompany } from './shared-world/docusign';
import { buildGitHubCompany, GitHubLink, type GitHubCompany } from './shared-world/github';
import type { DocuSignCause, GitHubCause, PipelineCredentials, SeededAppBase, SeededWorld, SeedOptions, VendorAccess, WorldHealth } from './shared-world/types';

export * from './shared-world/types';

export interface SimWorldOptions {
  /** How long Okta's pushes and deprovisions stay in flight; default 100 ms. */
  syncDelayMs?: number;
  /** The Okta simulator's port (default a free one), API token (default a random one), rate limits and device sign-in poll interval. */
  okta?: { port?: number; apiToken?: string; rateLimit?: RateLimitOptions; signInPollSeconds?: number };
  /** DocuSign's hourly API limit per account (default DocuSign's 3,000). */
  docusign?: { hourlyRateLimit?: number; burstRateLimit?: number; rateLimitStatus?: 400 | 429 };
  /**
   * Default true: refuse to start unless this process trusts the simulator CA. Pass false when
   * the clients run in other processes (`sim serve`), which then need NODE_EXTRA_CA_CERTS.
   */
  requireTrustedCa?: boolean;
}

const EVERYONE: ReadonlyArray<Person> = [...Object.values(PEOPLE), TEST_PERSON];
/**
 * How long ago the vendors' credentials were granted: a world whose grants date from its first
 * second could not tell a grant made at seeding from one made by a later re-auth.
 */
const GRANTED_DAYS_AGO = 30;
const grantedAt = (): Date => new Date(Date.now() - GRANTED_DAYS_AGO * 86_400_000);

export class SimWorld {
  private seededWorld?: SeededWorld;
  private readonly broken = new Set<string>();

  private constructor(
    readonly okta: OktaSim,
    readonly docusign: DocuSignSim,
    readonly github: GitHubSim,
    readonly pipelineCredentials: PipelineCredentials,
    private readonly docusignLink: DocuSignLink,
    private readonly githubLink: GitHubLink,
    private readonly companies: { docusign: DocuSignCompany; github: GitHubCompany },
  ) {}

  /** Starts OktaSim, DocuSignSim and GitHubSim on loopback, with the vendors' companies (not yet Okta's apps: see seed). */
  static async start(opts: SimWorldOptions = {}): Promise<SimWorld> {
    const okta = new OktaSim({ syncDelayMs: opts.syncDelayMs ?? 100, apiToken: opts.okta?.apiToken, rateLimit: opts.okta?.rateLimit, signInPollSeconds: opts.okta?.signInPollSeconds });
    const docusign = new DocuSignSim({
      environment: 'production',
      requireTrustedCa: opts.requireTrustedCa ?? true,
      hourlyRateLimit: opts.docusign?.hourlyRateLimit,
      burstRateLimit: opts.docusign?.burstRateLimit,
      rateLimitStatus: opts.docusign?.rateLimitStatus,
    });
    const github = new GitHubSim();
    try {
      let world: SimWorld | undefined;
      // The world's own routes, on Okta's server: `sim` commands steer a running `sim serve`.
      okta.mount(worldRoutes(() => world!));
      await okta.start(opts.okta?.port ?? 0);
      const ds = await docusign.start();
      await github.start();
      const built = buildDocuSignCompany(docusign);
      const gh = buildGitHubCompany(
        github,
        EVERYONE.map((p) => ({ ...p, email: loginOf(p) })),
        grantedAt(),
      );
      const { demoUserId, ...docusignCredential } = built.credential;
      const credentials: PipelineCredentials = {
        docusign: {
          ...docusignCredential,
          oauthHost: ds.production.oauthHost,
          restBaseUrl: ds.production.restBaseUrl,
          demo: { userId: demoUserId, oauthHost: ds.demo.oauthHost, restBaseUrl: ds.demo.restBaseUrl },
        },
        github: { apiUrl: github.url, token: gh.pipeline.token, login: gh.pipeline.login },
      };
      world = new SimWorld(okta, docusign, github, credentials, new DocuSignLink(docusign, built.company), new GitHubLink(github, gh.company), {
        docusign: built.company,
        github: gh.company,
      });
      return world;
    } catch (err) {
      await Promise.all([okta.stop(), docusign.stop(), github.stop()]);
      throw err;
    }
  }

  async stop(): Promise<void> {
    await Promise.all([this.okta.stop(), this.docusign.stop(), this.github.stop()]);
  }

  /**
   * Everything healthy and consistent: Okta's users, its DocuSign, GitHub and generic apps with
   * people assigned and provisioned at the vendors (DocuSign by email, GitHub through SCIM with
   * userName = the Okta login). Once per world.
   */
  seed(opts: SeedOptions = {}): SeededWorld {
    if (this.seededWorld) throw new Error('SimWorld.seed: this world is already seeded');
    const { okta } = this;
    const users: Record<string, string> = {};
    for (const p of EVERYONE) users[loginOf(p)] = okta.addUser({ id: p.id, login: loginOf(p), firstName: p.firstName, lastName: p.lastName });

    const ds = this.companies.docusign;
    // `apiAccountId` is the simulator's name for the API Account ID Okta's DocuSign app stores
    // (Provisioning > Integration); real Okta's key for it is not documented.
    const docusignApp = okta.addApp({ ...DOCUSIGN_APP, appSettings: { apiAccountId: ds.homeAccountId } });
    this.docusignLink.configure();
    okta.connectVendor(docusignApp, this.docusignLink);
    for (const name of ASSIGNED.docusign) okta.assignUser(docusignApp, PEOPLE[name].id);

    const gh = this.companies.github;
    const githubApp = okta.addApp({ ...GITHUB_APP, appSettings: { githubOrg: gh.org } });
    this.githubLink.configure(opts.githubServiceAccountIsPerson ? gh.personOwner : gh.dedicatedServiceAccount, grantedAt());
    okta.connectVendor(githubApp, this.githubLink);
    for (const name of ASSIGNED.github) okta.assignUser(githubApp, PEOPLE[name].id);

    const genericApp = okta.addApp(GENERIC_APP);
    for (const name of ASSIGNED.generic) okta.assignUser(genericApp, PEOPLE[name].id);

    const account = this.githubLink.integrationAccount();
    this.seededWorld = {
      docusign: {
        appId: docusignApp,
        label: DOCUSIGN_APP.label,
        pushFailed: [],
        deprovisionFailed: [],
        apiAccountId: ds.homeAccountId,
        adminEmail: ds.adminEmail,
        backupAdminEmail: ds.backupAdminEmail,
        environment: ds.environment,
        sandboxAccountId: ds.sandboxAccountId,
        foreignAccountId: ds.foreignAccountId,
      },
      github: {
        appId: githubApp,
        label: GITHUB_APP.label,
        pushFailed: [],
        deprovisionFailed: [],
        org: gh.org,
        serviceAccount: account.login,
        serviceAccountId: account.id,
        dedicatedServiceAccount: gh.dedicatedServiceAccount,
        personOwner: gh.personOwner,
      },
      generic: { appId: genericApp, label: GENERIC_APP.label, pushFailed: [], deprovisionFailed: [] },
      users,
      testUser: loginOf(TEST_PERSON),
    };
    return this.seededWorld;
  }

  /** What seed() returned, with the failures recorded since. */
  get seeded(): SeededWorld {
    if (!this.seededWorld) throw new Error('SimWorld: call seed() first');
    return this.seededWorld;
  }

  /**
   * Breaks Okta's DocuSign credential the way `cause` does, then lets Okta fail as in seedDemo:
   * profile pushes and new assignments end in ERROR, two deprovisions fail (their people stay
   * active at DocuSign). 'account_id_mismatch' and 'environment_mismatch' are an admin
   * re-authenticating Okta with a wrong API Account ID typed (a foreign, resp. a demo account).
   */
  breakDocuSign(cause: DocuSignCause): SeededAppBase {
    const app = this.seeded.docusign;
    this.docusignLink.break(cause, (login, settings) => this.okta.reauthenticate(app.appId, { login }, settings));
    return this.afterBreak(app, AFTERMATH.docusign);
  }

  /**
   * Breaks Okta's GitHub grant the way `cause` does at GitHub, then lets Okta fail as in seedDemo.
   * 'saml_missing' is an admin re-authenticating Okta without an active SAML session for the org
   * (the new OAuth token is not SSO-authorized; the previous one stays valid and authorized).
   */
  breakGitHub(cause: GitHubCause): SeededAppBase {
    const app = this.seeded.github;
    this.githubLink.break(cause, (login) => this.okta.reauthenticate(app.appId, { login }));
    return this.afterBreak(app, AFTERMATH.github);
  }

  /** The generic app's credential goes bad (no vendor to ask why), then Okta fails as in seedDemo. */
  breakGeneric(): SeededAppBase {
    const app = this.seeded.generic;
    this.okta.breakCredential(app.appId);
    return this.afterBreak(app, AFTERMATH.generic);
  }

  /**
   * The admin re-authenticates the app in the Okta console, optionally typing a new API Account
   * ID (DocuSign), signing in at the vendor as `login` (default: the account Okta's grant belongs
   * to, under its current login), GitHub's consent optionally earlier than Okta's Save. Throws
   * Okta's 400 when that account cannot sign in there.
   */
  reauthenticate(appId: string, opts: { login?: string; apiAccountId?: string; githubConsentAt?: Date } = {}): void {
    if (opts.githubConsentAt) this.githubLink.consentAt(opts.githubConsentAt);
    const settings = opts.apiAccountId !== undefined ? { apiAccountId: opts.apiAccountId } : undefined;
    this.okta.reauthenticate(appId, opts.login !== undefined ? { login: opts.login } : undefined, settings);
  }

  /** The vendor's verdict on the credential Okta holds for the app, with the vendor's cause code. */
  vendorHealth(appId: string): WorldHealth {
    const s = this.seeded;
    if (appId === s.docusign.appId) return this.docusignLink.worldHealth();
    if (appId === s.github.appId) return this.githubLink.worldHealth();
    return this.okta.credentialWorks(appId) ? { ok: true } : { ok: false, cause: 'credential_invalid', reason: 'the simulated credential was broken' };
  }

  /** Whether a person (by Okta login) still has access at the app's vendor. */
  vendorAccess(appId: string, login: string): VendorAccess {
    const s = this.seeded;
    const key = login.toLowerCase();
    if (!s.users[key]) throw new Error(`SimWorld: no Okta user ${login}`);
    // Everyone's email is their Okta login here: DocuSign knows people by email, GitHub's SCIM by userName = login.
    if (appId === s.docusign.appId) return this.docusignLink.access(key);
    if (appId === s.github.appId) return this.githubLink.access(key, key);
    throw new Error(`SimWorld: app ${appId} has no vendor simulator behind it`);
  }

  private afterBreak(app: SeededAppBase, aftermath: Aftermath): SeededAppBase {
    // The failures happen once per world; a second cause only changes why pushes fail.
    if (this.broken.has(app.appId)) return app;
    this.broken.add(app.appId);
    const failed = applyAftermath(this.okta, app.appId, aftermath);
    app.pushFailed.push(...failed.pushFailed);
    app.deprovisionFailed.push(...failed.deprovisionFailed);
    return app;
  }
}
