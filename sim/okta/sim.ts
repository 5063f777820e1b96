/**
 * OktaSim: a stateful simulated Okta org served over HTTP on loopback. Tests, the demo and the
 * CLI's admin endpoints seed and steer it; the pipeline talks to it with the real Okta SDK.
 */
import { createServer, type Server } from 'node:http';
import { FaultInjector } from '../http/faults';
import { close, listen } from '../http/listen';
import { countRequests, type RequestFilter } from '../http/request-log';
import { adminRoutes } from './admin-routes';
import type { FaultSpec } from './faults';
import { hex } from './ids';
import { provisioningEvent, signInEvent, type ProvisioningEventType } from './log-events';
import { oktaRoutes } from './okta-routes';
import { Org, type AdminRef, type AppSeed, type ProvisioningState, type PushCapabilities, type UnchangedPost, type UserSeed } from './org';
import { RateLimiter, type RateLimitOptions } from './rate-limiter';
import { renderAppUser } from './render';
import { AuthorizationServer, type ServiceAppSeed } from './oauth/authorization-server';
import { oktaHandler, type Route } from './server';
import type { AppUser, LogEvent } from './types';
import type { VendorLink } from './vendor-link';

export interface OktaSimOptions {
  /** Default: 'sim-' + 40 hex characters. Requests must send `Authorization: SSWS <token>`. */
  apiToken?: string;
  /** Okta's buckets, the token's share and the concurrency cap (see rate-limiter.ts). */
  rateLimit?: RateLimitOptions;
  /** How long a push stays SYNCING before it resolves; default 100 ms. */
  syncDelayMs?: number;
  /** The org's subdomain, for end-user and admin-console links; default 'sim'. */
  orgName?: string;
  /** How long each answer takes; default 0. */
  latencyMs?: number;
  /** How long a service app's access token lasts; default Okta's 3600 s. */
  tokenTtlSeconds?: number;
  /** Seconds a device sign-in waits between polls; default Okta's 5. */
  signInPollSeconds?: number;
}

interface RecordedRequest {
  method: string;
  path: string;
}

export class OktaSim {
  private readonly org: Org;
  private readonly faults = new FaultInjector<FaultSpec>();
  private readonly requests: RecordedRequest[] = [];
  private readonly token: string;
  private readonly orgName: string;
  private readonly limiter: RateLimiter;
  private readonly latencyMs: number;
  /** The org authorization server: service apps' access tokens. */
  readonly oauth: AuthorizationServer;
  private throttledAnswers = 0;
  private server?: Server;
  private baseUrl?: string;
  /** Routes of the world around the org (see mount); served after Okta's own. */
  private readonly mounted: Route[] = [];

  constructor(opts: OktaSimOptions = {}) {
    this.token = opts.apiToken ?? `sim-${hex(20)}`;
    this.orgName = opts.orgName ?? 'sim';
    this.limiter = new RateLimiter(opts.rateLimit);
    this.latencyMs = opts.latencyMs ?? 0;
    this.org = new Org(opts.syncDelayMs ?? 100);
    this.oauth = new AuthorizationServer({
      tokenTtlSeconds: opts.tokenTtlSeconds,
      pollIntervalSeconds: opts.signInPollSeconds,
      findUser: (login) => {
        const u = this.org.findUser(login);
        return u && { id: u.id, login: u.login, name: `${u.firstName} ${u.lastName}`, email: u.email };
      },
    });
  }

  /** Listens on `host:port` (port 0 picks a free one) and resolves to the base URL. */
  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    if (this.server) throw new Error('OktaSim is already started');
    const server = createServer(
      oktaHandler({
        routes: [...oktaRoutes(this.org, this.orgName), ...adminRoutes(this.org, (code, login, o) => this.approveSignIn(code, login, o)), ...this.mounted],
        limiter: this.limiter,
        faults: this.faults,
        apiToken: this.token,
        oauth: this.oauth,
        base: () => this.url,
        record: (method, path) => this.requests.push({ method, path }),
        latencyMs: this.latencyMs,
        throttled: () => (this.throttledAnswers += 1),
      }),
    );
    this.baseUrl = await listen(server, port, host);
    this.server = server;
    return this.baseUrl;
  }

  /** Serves more simulator-only routes (the shared world's), behind the same token; before start. */
  mount(routes: Route[]): void {
    if (this.server) throw new Error('OktaSim.mount: mount routes before start');
    this.mounted.push(...routes);
  }

  /** Stops listening, drops open connections and cancels pushes still in flight. */
  async stop(): Promise<void> {
    this.org.stop();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await close(server);
  }

  get url(): string {
    if (!this.baseUrl) throw new Error('OktaSim is not started');
    return this.baseUrl;
  }

  get apiToken(): string {
    return this.token;
  }

  /** An API Services app that signs in with a private key JWT (OAuth 2.0 client credentials); returns its client id. */
  addServiceApp(seed: ServiceAppSeed): string {
    return this.oauth.addServiceApp(seed);
  }

  /** An OIDC native app with the Device Authorization grant, for people to sign in (the CLI's); returns its client id. */
  addSignInApp(): string {
    return this.oauth.deviceFlow.addSignInApp();
  }

  /** The person with this login signs in at the verification page and allows the code (or denies it). */
  approveSignIn(userCode: string, login: string, opts: { deny?: boolean } = {}): void {
    this.oauth.deviceFlow.approve(userCode, login, opts);
  }

  addUser(seed: UserSeed): string {
    return this.org.addUser(seed);
  }

  addApp(seed: AppSeed): string {
    return this.org.addApp(seed);
  }

  /** Creates the app user and provisions it now: SYNCHRONIZED, or ERROR + a FAILURE push event. */
  assignUser(appId: string, userId: string, profile?: Record<string, unknown>): void {
    this.org.assignUser(appId, userId, profile);
  }

  /** Removes the app user and deactivates at once; with a bad credential that fails (FAILURE deactivate event). */
  unassignUser(appId: string, userId: string): void {
    this.org.unassignUser(appId, userId);
  }

  /** An Okta-side profile change pushed now (no SYNCING phase): SYNCHRONIZED, or ERROR + a push_profile FAILURE. */
  pushProfile(appId: string, userId: string, profile?: Record<string, unknown>): void {
    this.org.pushProfileNow(appId, userId, profile);
  }

  /**
   * Links the app to a vendor simulator: from now on every push succeeds iff `link.health().ok`
   * (failing with the same Okta message whatever the cause), and successful pushes and
   * deactivations reach the vendor. Unlinked apps keep the simulated credential flag.
   */
  connectVendor(appId: string, link: VendorLink): void {
    this.org.connectVendor(appId, link);
  }

  /** Would a push to the app work now (the vendor's verdict for a linked app). */
  credentialWorks(appId: string): boolean {
    return this.org.credentialWorks(this.org.app(appId));
  }

  /**
   * A provisioning job that failed for a reason other than the credential (the vendor's rate limit,
   * a user it does not know, ...): only its FAILURE event with Okta's `reason` is written. `at` is
   * its `published`: an earlier one is an event Okta writes late.
   */
  logProvisioningFailure(appId: string, userId: string, reason: string, eventType: ProvisioningEventType = 'application.provision.user.push', at = new Date()): void {
    const app = this.org.app(appId);
    const user = this.org.user(userId);
    const ref = { id: user.id, login: user.login, displayName: `${user.firstName} ${user.lastName}` };
    this.org.log.append(provisioningEvent(eventType, app, ref, reason, at));
  }

  /** `count` sign-ins of the user to the app (user.authentication.sso), as a busy app logs them. */
  logSignIns(appId: string, userId: string, count: number): void {
    const app = this.org.app(appId);
    const user = this.org.user(userId);
    const ref = { id: user.id, login: user.login, displayName: `${user.firstName} ${user.lastName}` };
    for (let i = 0; i < count; i++) this.org.log.append(signInEvent(app, ref, new Date()));
  }

  /** Unlinked apps only: a linked app's credential breaks in its vendor's world (this throws). */
  breakCredential(appId: string): void {
    this.org.breakCredential(appId);
  }

  /** Turns the app's provisioning on or off, or makes it never set up (no USER_PROVISIONING feature). */
  setProvisioning(appId: string, state: ProvisioningState): void {
    this.org.setProvisioning(appId, state);
  }

  /** The admin's Retry Selected on the Tasks page for these users of the app. */
  retryTasks(appId: string, userIds: string[]): void {
    this.org.retryTasks(appId, userIds);
  }

  /** The app's To App settings, and what an unchanged POST does (see AppRecord). */
  setPushBehaviour(appId: string, change: { capabilities?: Partial<PushCapabilities>; unchangedPost?: UnchangedPost }): void {
    this.org.setPushBehaviour(appId, change);
  }

  /**
   * The admin re-authenticates the app in the console with the settings typed there, merged into
   * settings.app (application.lifecycle.update by that admin). For a linked app the admin signs in
   * at the vendor; an OktaError 400 when that fails, and nothing is saved.
   */
  reauthenticate(appId: string, actor?: AdminRef, settings?: Record<string, unknown>): void {
    this.org.reauthenticate(appId, actor, settings);
  }

  injectFault(f: FaultSpec): void {
    this.faults.add(f);
  }

  /** Ends every injected fault still pending (an outage is over). */
  clearFaults(): void {
    this.faults.clear();
  }

  /** The app user as the API would show it; undefined if not assigned (throws for an unknown app). */
  appUser(appId: string, userId: string): AppUser | undefined {
    const app = this.org.app(appId);
    const record = app.users.get(userId);
    return record && renderAppUser(app, record, this.baseUrl ?? '');
  }

  events(): LogEvent[] {
    return this.org.log.all();
  }

  /** How many 429s the org answered (rate limit, concurrency cap or an injected fault). */
  get throttledCount(): number {
    return this.throttledAnswers;
  }

  requestCount(filter?: RequestFilter): number {
    return countRequests(this.requests, filter);
  }
}
