/**
 * OktaSim: a stateful simulated Okta org served over HTTP on loopback. Tests, the demo and the
 * CLI's admin endpoints seed and steer it; the pipeline talks to it with the real Okta SDK.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { adminRoutes } from './admin-routes';
import { FaultInjector, type FaultSpec } from './faults';
import { hex } from './ids';
import { oktaRoutes } from './okta-routes';
import { Org, type AdminRef, type AppSeed, type UserSeed } from './org';
import { RateLimiter, type RateLimitOptions } from './rate-limiter';
import { renderAppUser } from './render';
import { createHandler } from './server';
import type { AppUser, LogEvent } from './types';

export interface OktaSimOptions {
  /** Default: 'sim-' + 40 hex characters. Requests must send `Authorization: SSWS <token>`. */
  apiToken?: string;
  /** Per endpoint (method + path template); default 600 per 60 s. */
  rateLimit?: RateLimitOptions;
  /** How long a push stays SYNCING before it resolves; default 100 ms. */
  syncDelayMs?: number;
  /** The org's subdomain, for end-user and admin-console links; default 'sim'. */
  orgName?: string;
}

interface RecordedRequest {
  method: string;
  path: string;
}

export class OktaSim {
  private readonly org: Org;
  private readonly faults = new FaultInjector();
  private readonly requests: RecordedRequest[] = [];
  private readonly token: string;
  private readonly orgName: string;
  private readonly limiter: RateLimiter;
  private server?: Server;
  private baseUrl?: string;

  constructor(opts: OktaSimOptions = {}) {
    this.token = opts.apiToken ?? `sim-${hex(20)}`;
    this.orgName = opts.orgName ?? 'sim';
    this.limiter = new RateLimiter(opts.rateLimit ?? { limit: 600, windowMs: 60_000 });
    this.org = new Org(opts.syncDelayMs ?? 100);
  }

  /** Listens on `host:port` (port 0 picks a free one) and resolves to the base URL. */
  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    if (this.server) throw new Error('OktaSim is already started');
    const server = createServer(
      createHandler({
        routes: [...oktaRoutes(this.org, this.orgName), ...adminRoutes(this.org)],
        limiter: this.limiter,
        faults: this.faults,
        apiToken: this.token,
        base: () => this.url,
        record: (method, path) => this.requests.push({ method, path }),
      }),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address() as AddressInfo;
    const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.server = server;
    this.baseUrl = `http://${hostPart}:${address.port}`;
    return this.baseUrl;
  }

  /** Stops listening, drops open connections and cancels pushes still in flight. */
  async stop(): Promise<void> {
    this.org.stop();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      // Keep-alive sockets (the SDK's agent holds some) would otherwise keep close() waiting.
      server.closeAllConnections();
    });
  }

  get url(): string {
    if (!this.baseUrl) throw new Error('OktaSim is not started');
    return this.baseUrl;
  }

  get apiToken(): string {
    return this.token;
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

  /** Removes the app user; with a bad credential the deactivation fails (FAILURE deactivate event). */
  unassignUser(appId: string, userId: string): void {
    this.org.unassignUser(appId, userId);
  }

  /** An Okta-side profile change pushed now (no SYNCING phase): SYNCHRONIZED, or ERROR + a push_profile FAILURE. */
  pushProfile(appId: string, userId: string, profile?: Record<string, unknown>): void {
    this.org.pushProfileNow(appId, userId, profile);
  }

  breakCredential(appId: string): void {
    this.org.breakCredential(appId);
  }

  /** The admin re-authenticates the app in the console (application.lifecycle.update by that admin). */
  reauthenticate(appId: string, actor?: AdminRef): void {
    this.org.reauthenticate(appId, actor);
  }

  injectFault(f: FaultSpec): void {
    this.faults.add(f);
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

  requestCount(filter: { method?: string; path?: RegExp } = {}): number {
    const method = filter.method?.toUpperCase();
    return this.requests.filter((r) => {
      if (method && r.method !== method) return false;
      if (!filter.path) return true;
      filter.path.lastIndex = 0;
      return filter.path.test(r.path);
    }).length;
  }
}
