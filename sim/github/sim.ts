/**
 * GitHubSim: a stateful simulated GitHub (the REST, organization SCIM and GraphQL parts that Okta's
 * "GitHub Enterprise Cloud - Organization" integration and the pipeline use), served over HTTP on
 * loopback. Tests and the demo steer the world through methods; the pipeline talks to it with
 * @octokit/rest pointed at `sim.url`.
 */
import { createServer, type Server } from 'node:http';
import { FaultInjector } from '../http/faults';
import { close, listen } from '../http/listen';
import { countRequests, type RequestFilter } from '../http/request-log';
import type { FaultSpec } from './faults';
import { configureIntegration, integrationHealth, type IntegrationHealth, type OktaIntegration, type OktaIntegrationConfig } from './integration';
import { graphqlRoutes } from './graphql';
import { deprovision, provision } from './provisioning';
import { RateLimiter } from './rate-limit';
import { scimUser, type ScimUserResource } from './render';
import { allRoutes } from './routes';
import type { ScimSeed } from './scim';
import { gitHubHandler, type RecordedRequest } from './server';
import { World, type Membership, type MembershipState, type OrgRole, type OrgSeed, type TokenOptions, type UserSeed } from './world';

export interface GitHubSimOptions {
  /** REST API (`core`) requests per hour per token; default 5000 (GitHub's for OAuth user tokens). */
  rateLimit?: number;
  /**
   * Organization SCIM requests per hour per token, a budget apart from `core`; default 15000, the
   * `scim` limit in the rate-limit-overview example of GitHub's description (contracts/github/).
   */
  scimRateLimit?: number;
  /**
   * GraphQL points per hour per token, a budget apart from `core`; default 5000, GitHub's for
   * users (GitHub Docs, "Rate limits and query limits for the GraphQL API"). Each query costs 1.
   */
  graphqlRateLimit?: number;
  /** GitHub answers an exhausted primary limit with 403 or 429; default 403, the usual one. */
  rateLimitStatus?: 403 | 429;
  /** The primary limit's window: GitHub's hour by default; tests of pacing scale it down. */
  rateWindowMs?: number;
}

/** A read-only view of an account, for assertions (the API never reveals `serviceAccount`). */
export interface UserView {
  id: number;
  login: string;
  name: string | null;
  email: string | null;
  serviceAccount: boolean;
  suspended: boolean;
}

export class GitHubSim {
  private readonly world = new World();
  private readonly faults = new FaultInjector<FaultSpec>();
  private readonly limiter: RateLimiter;
  private readonly log: RecordedRequest[] = [];
  private readonly rateLimit: number;
  private readonly scimRateLimit: number;
  private readonly graphqlRateLimit: number;
  private readonly rateLimitStatus: 403 | 429;
  private integration?: OktaIntegration;
  private server?: Server;
  private baseUrl?: string;

  constructor(opts: GitHubSimOptions = {}) {
    this.rateLimit = opts.rateLimit ?? 5000;
    this.scimRateLimit = opts.scimRateLimit ?? 15_000;
    this.graphqlRateLimit = opts.graphqlRateLimit ?? 5000;
    for (const [name, value] of [
      ['rateLimit', this.rateLimit],
      ['scimRateLimit', this.scimRateLimit],
      ['graphqlRateLimit', this.graphqlRateLimit],
    ] as const) {
      if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
    }
    this.rateLimitStatus = opts.rateLimitStatus ?? 403;
    this.limiter = new RateLimiter(opts.rateWindowMs);
  }

  /** Listens on `host:port` (port 0 picks a free one) and resolves to the base URL (Octokit's baseUrl). */
  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    if (this.server) throw new Error('GitHubSim is already started');
    const server = createServer(
      gitHubHandler({
        routes: [...allRoutes(), ...graphqlRoutes()],
        world: this.world,
        limiter: this.limiter,
        faults: this.faults,
        rateLimits: { core: this.rateLimit, scim: this.scimRateLimit, graphql: this.graphqlRateLimit },
        rateLimitStatus: this.rateLimitStatus,
        base: () => this.url,
        record: (r) => this.log.push(r),
      }),
    );
    this.baseUrl = await listen(server, port, host);
    this.server = server;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await close(server);
  }

  get url(): string {
    if (!this.baseUrl) throw new Error('GitHubSim is not started');
    return this.baseUrl;
  }

  // ---- the world ----

  addUser(seed: UserSeed): number {
    return this.world.addUser(seed);
  }

  addOrg(seed: OrgSeed): number {
    return this.world.addOrg(seed);
  }

  setMembership(org: string, login: string, role: OrgRole, state: MembershipState = 'active'): void {
    this.world.setMembership(org, login, role, state);
  }

  removeMembership(org: string, login: string): void {
    this.world.removeMembership(org, login);
  }

  /** An OAuth token ('gho_' + 36 characters) of `login`; default scopes admin:org and read:user. */
  issueToken(login: string, opts?: TokenOptions): string {
    return this.world.issueToken(login, opts);
  }

  /** The owner clicks "Authorize" for the org's SAML SSO on an existing token. */
  authorizeSaml(token: string, org: string): void {
    this.world.authorizeSaml(token, org);
  }

  /** An org owner revokes a personal access token's SAML SSO authorization for the org (not possible for OAuth app tokens). */
  revokeSamlAuthorization(token: string, org: string): void {
    this.world.revokeSamlAuthorization(token, org);
  }

  revokeToken(token: string): void {
    this.world.revokeToken(token);
  }

  expireToken(token: string): void {
    this.world.expireToken(token);
  }

  renameUser(oldLogin: string, newLogin: string): void {
    this.world.renameUser(oldLogin, newLogin);
  }

  suspendUser(login: string): void {
    this.world.suspendUser(login);
  }

  unsuspendUser(login: string): void {
    this.world.unsuspendUser(login);
  }

  deleteUser(login: string): void {
    this.world.deleteUser(login);
  }

  /** Invalidates every OAuth token of the user, as an expired or changed password does to Okta's grant. */
  changePassword(login: string): void {
    this.world.changePassword(login);
  }

  user(login: string): UserView | undefined {
    const u = this.world.user(login);
    return u && { id: u.id, login: u.login, name: u.name, email: u.email, serviceAccount: u.serviceAccount, suspended: !!u.suspendedAt };
  }

  /** By the durable account id, which survives renames. */
  userById(id: number): UserView | undefined {
    const u = this.world.userById(id);
    return u && this.user(u.login);
  }

  membership(org: string, login: string): Membership | undefined {
    const o = this.world.org(org);
    const u = this.world.user(login);
    const m = o && u ? this.world.membership(o, u.id) : undefined;
    return m && { ...m };
  }

  // ---- the Okta integration ----

  /** What Okta holds after an admin clicks "Authenticate with GitHub": replaces any earlier grant. */
  configureOktaIntegration(opts: OktaIntegrationConfig): void {
    this.integration = configureIntegration(this.world, opts);
  }

  /** What Okta holds: the org, the admin login it recorded, that admin's account id, and the token. */
  oktaIntegration(): Readonly<OktaIntegration> | undefined {
    return this.integration && { ...this.integration };
  }

  /** Would a push from Okta work now? If not, `reason` is a stable code and `detail` says it in words. */
  oktaIntegrationHealth(): IntegrationHealth {
    return integrationHealth(this.world, this.integration);
  }

  /** The effect of a successful Okta push: the org's SCIM identity is created or updated; returns its id. */
  scimProvision(org: string, user: ScimSeed): string {
    return provision(this.world, this.world.requireOrg(org), user).id;
  }

  /** The effect of a successful Okta deprovision; nothing happens when there is no such identity. */
  scimDeprovision(org: string, userName: string): void {
    const o = this.world.requireOrg(org);
    const identity = o.scim.findByUserName(userName);
    if (identity) deprovision(o, identity);
  }

  scimUser(org: string, userName: string): ScimUserResource | undefined {
    const o = this.world.requireOrg(org);
    const identity = o.scim.findByUserName(userName);
    return identity && scimUser(this.baseUrl ?? '', o, identity);
  }

  // ---- test steering ----

  injectFault(f: FaultSpec): void {
    this.faults.add(f);
  }

  requests(): readonly RecordedRequest[] {
    return [...this.log];
  }

  requestCount(filter?: RequestFilter): number {
    return countRequests(this.log, filter);
  }
}
