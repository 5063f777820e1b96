/**
 * DocuSignSim: a stateful simulated DocuSign (both environments) served over TLS on loopback, to be
 * driven only through the official docusign-esign client. Tests and the Okta simulator seed and
 * steer it through this class; the pipeline sees nothing but DocuSign's HTTP API.
 */
import fs from 'node:fs';
import { createServer, type Server } from 'node:https';
import { FaultInjector } from '../http/faults';
import { close, listen } from '../http/listen';
import { ensureSimCertificates } from '../tls/ca';
import { simCaTrustProblem } from '../tls/trust';
import type { FaultSpec } from './faults';
import { assessOktaIntegration, type OktaIntegrationConfig, type OktaIntegrationHealth, type OktaIntegrationState } from './okta-integration';
import { AccountRateLimiter } from './rate-limit';
import { environmentHandler, type RecordedRequest } from './server';
import { ENVIRONMENTS, type AccountUser, type Endpoints, type Environment } from './types';
import { World, type AccountSeed, type IntegrationKeyOptions, type UserSeed } from './world';

export interface DocuSignSimOptions {
  /** Whose endpoints `start()` puts at the top of its answer; both environments are always served. Default 'production'. */
  environment?: Environment;
  /** Lifetime of JWT-grant access tokens; DocuSign's is one hour. */
  tokenTtlSeconds?: number;
  /** Requests per clock hour per account (DocuSign default 3000). */
  hourlyRateLimit?: number;
  /** Requests per 30 s per account; default as documented, 200 demo / 500 production. */
  burstRateLimit?: number;
  /** The status of the hourly and burst limit errors (DocuSign documents the code, not the status); default 429. */
  rateLimitStatus?: 400 | 429;
  /** Where the throwaway CA and server certificate live; default `<project>/.cache/sim-tls`. */
  tlsDir?: string;
  /**
   * Refuse to start unless this process trusts the simulator CA (NODE_EXTRA_CA_CERTS), so a
   * missing setup fails with the fix instead of a TLS error. Turn off when clients run elsewhere.
   */
  requireTrustedCa?: boolean;
}

export interface DocuSignSimStarted extends Endpoints {
  demo: Endpoints;
  production: Endpoints;
  /** The CA certificate clients must trust (what NODE_EXTRA_CA_CERTS names). */
  caPath: string;
}

export class DocuSignSim {
  private readonly world = new World();
  private readonly faults = new FaultInjector<FaultSpec>();
  private readonly log: RecordedRequest[] = [];
  private readonly opts: Required<Omit<DocuSignSimOptions, 'tlsDir' | 'burstRateLimit' | 'hourlyRateLimit' | 'rateLimitStatus'>> & Pick<DocuSignSimOptions, 'tlsDir'>;
  private readonly limiters: Record<Environment, AccountRateLimiter>;
  private readonly servers = new Map<Environment, Server>();
  private readonly served = new Map<Environment, Endpoints>();
  private okta?: OktaIntegrationState;
  private started?: DocuSignSimStarted;

  constructor(opts: DocuSignSimOptions = {}) {
    this.opts = {
      environment: opts.environment ?? 'production',
      tokenTtlSeconds: opts.tokenTtlSeconds ?? 3600,
      requireTrustedCa: opts.requireTrustedCa ?? true,
      tlsDir: opts.tlsDir,
    };
    const hourly = opts.hourlyRateLimit ?? 3000;
    this.limiters = {
      demo: new AccountRateLimiter({ hourly, burst: opts.burstRateLimit ?? 200, status: opts.rateLimitStatus }),
      production: new AccountRateLimiter({ hourly, burst: opts.burstRateLimit ?? 500, status: opts.rateLimitStatus }),
    };
  }

  /** Listens on loopback (a free port per environment) and resolves to where each environment is served. */
  async start(): Promise<DocuSignSimStarted> {
    if (this.started) return this.started;
    const tls = ensureSimCertificates(this.opts.tlsDir);
    if (this.opts.requireTrustedCa) {
      const problem = simCaTrustProblem(tls.caPath);
      if (problem) throw new Error(`DocuSignSim: clients in this process would reject its certificate. ${problem} (or pass { requireTrustedCa: false } when clients run in another process)`);
    }
    const credentials = { key: fs.readFileSync(tls.keyPath), cert: fs.readFileSync(tls.certPath) };
    try {
      for (const environment of ENVIRONMENTS) {
        const server = createServer(
          credentials,
          environmentHandler({
            world: this.world,
            environment,
            endpoints: (env) => this.endpoints(env),
            tokenTtlSeconds: this.opts.tokenTtlSeconds,
            limiter: this.limiters[environment],
            faults: this.faults,
            record: (r) => this.log.push(r),
          }),
        );
        const { port } = new URL(await listen(server, 0, '127.0.0.1', 'https'));
        this.servers.set(environment, server);
        const baseUri = `https://localhost:${port}`;
        this.served.set(environment, { environment, oauthHost: `127.0.0.1:${port}`, restBaseUrl: `${baseUri}/restapi`, baseUri });
      }
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.started = { ...this.endpoints(this.opts.environment), demo: this.endpoints('demo'), production: this.endpoints('production'), caPath: tls.caPath };
    return this.started;
  }

  async stop(): Promise<void> {
    const servers = [...this.servers.values()];
    this.servers.clear();
    this.served.clear();
    this.started = undefined;
    await Promise.all(servers.map((server) => close(server).catch(() => undefined)));
  }

  /** Where an environment is served (default: the one chosen at construction). Only after start(). */
  endpoints(environment: Environment = this.opts.environment): Endpoints {
    const e = this.served.get(environment);
    if (!e) throw new Error('DocuSignSim is not started');
    return e;
  }

  // ---- the world ----

  addAccount(seed: AccountSeed): string {
    return this.world.addAccount(seed);
  }

  /** Adds a member to an account; the same email in the same environment is the same login (user id). */
  addUser(accountId: string, seed: UserSeed): string {
    return this.world.addUser(accountId, seed);
  }

  /** A new integration key with an RSA key pair; the JWT grant is verified against its public half. */
  registerIntegrationKey(opts?: IntegrationKeyOptions): { integrationKey: string; privateKeyPem: string } {
    return this.world.registerIntegrationKey(opts);
  }

  grantConsent(integrationKey: string, userId: string): void {
    this.world.grantConsent(integrationKey, userId);
  }

  revokeConsent(integrationKey: string, userId: string): void {
    this.world.revokeConsent(integrationKey, userId);
  }

  /** Forgets every issued access token, as if an hour had passed. */
  expireAccessTokens(): void {
    this.world.expireTokens();
  }

  // ---- the Okta integration's own state ----

  /** What an admin's "Authenticate with DocuSign" + save in Okta leaves behind: a fresh grant and a stored account id. */
  configureOktaIntegration(opts: OktaIntegrationConfig): void {
    const admin = this.world.identity(opts.adminUserId);
    if (!admin) throw new Error(`no DocuSign user ${opts.adminUserId}`);
    // The admin signed in at that environment's account server, so the login must be from it.
    if (admin.environment !== opts.environment) throw new Error(`user ${admin.email} is a ${admin.environment} login and cannot authenticate against ${opts.environment}`);
    this.okta = { ...opts, grantRevoked: false };
  }

  revokeOktaGrant(): void {
    if (!this.okta) throw new Error('the Okta integration is not configured');
    this.okta.grantRevoked = true;
  }

  oktaIntegration(): Readonly<OktaIntegrationState> | undefined {
    return this.okta ? { ...this.okta } : undefined;
  }

  /** Would a push from Okta work now? When not, the first cause found and why. */
  oktaIntegrationHealth(): OktaIntegrationHealth {
    return assessOktaIntegration(this.world, this.okta);
  }

  // ---- provisioning effects and admin changes ----

  /** A successful push from Okta: creates (or reopens) the member; returns the user id. */
  provision(accountId: string, user: { email: string; firstName: string; lastName: string }): string {
    return this.world.provision(accountId, user);
  }

  /** A successful deprovision from Okta: closes the member; false when there was none. */
  deprovision(accountId: string, email: string): boolean {
    return this.world.deprovision(accountId, email);
  }

  /** Grants or removes admin rights, in one account or (by default) every account of the login. */
  setAdmin(userId: string, isAdmin: boolean, accountId?: string): void {
    for (const m of this.world.membershipsOf(userId, accountId)) m.isAdmin = isAdmin;
  }

  /** Closes the login's membership in one account or (by default) in every account. */
  closeUser(userId: string, accountId?: string): void {
    for (const m of this.world.membershipsOf(userId, accountId)) this.world.close(m);
  }

  /**
   * The login with this email at that environment's account server and the accounts it is an
   * active member of: who can sign in there (a login closed everywhere cannot).
   */
  login(environment: Environment, email: string): { userId: string; activeAccountIds: string[] } | undefined {
    const identity = this.world.identityByEmail(environment, email);
    return identity && { userId: identity.userId, activeAccountIds: this.world.activeAccountsOf(identity.userId).map((a) => a.accountId) };
  }

  userByEmail(accountId: string, email: string): AccountUser | undefined {
    const m = this.world.memberByEmail(accountId, email);
    return m ? this.world.view(m) : undefined;
  }

  usersOf(accountId: string): AccountUser[] {
    return this.world.membersOf(accountId).map((m) => this.world.view(m));
  }

  // ---- test controls ----

  /** The next `count` requests whose path matches fail with `status` (before any other check). */
  injectFault(f: FaultSpec): void {
    this.faults.add(f);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Every request served so far, oldest first. */
  requests(): RecordedRequest[] {
    return [...this.log];
  }
}
