/**
 * GitHub's pipeline, in the order GitHub applies it: credentials, the hourly rate limit, account
 * suspension, injected faults, then the endpoint. Every response carries the x-ratelimit-* headers
 * of the budget it was charged to (a token's `core` or `scim` one, an anonymous caller's per-IP
 * one) and, for token requests, X-OAuth-Scopes / X-Accepted-OAuth-Scopes. Every error of a SCIM
 * route is a SCIM error.
 */
import type { RequestListener } from 'node:http';
import type { FaultInjector } from '../http/faults';
import type { Reply } from '../http/reply';
import { matchRoute } from '../http/router';
import { createHandler } from '../http/server';
import { accountSuspended, badCredentials, GitHubError, graphqlRateLimited, notFound, primaryRateLimit, scimShaped, secondaryRateLimit, serverError, utcStamp } from './errors';
import type { FaultSpec } from './faults';
import { requestId } from './ids';
import type { RateLimiter, RateLimitState, RateResource } from './rate-limit';
import { scopeHeader } from './scopes';
import type { TokenRecord, UserRecord, World } from './world';

/** GitHub's budget for anonymous requests, per client IP. */
const ANONYMOUS_LIMIT = 60;

/** The authenticated caller; absent for anonymous requests. */
export interface Caller {
  token: TokenRecord;
  user: UserRecord;
}

export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  /** The simulator's base URL, for links. */
  base: string;
  caller?: Caller;
  world: World;
  /** The caller's budgets, uncounted; anonymous callers have no SCIM or GraphQL budget (both need a token). */
  rateLimits: () => Partial<Record<RateResource, RateLimitState>>;
  /** The request body, read on demand (`POST /graphql`). */
  body: () => Promise<Buffer>;
}

/** A route at GitHub's path template (`/users/{username}`). GitHub answers a wrong method with 404, so there is no 405. */
export interface Route {
  method: 'GET' | 'DELETE' | 'POST';
  template: string;
  /** The X-Accepted-OAuth-Scopes header: scopes any one of which lets a token call this route. */
  acceptedScopes: readonly string[];
  /** SCIM routes answer `application/scim+json`, errors included, and are charged to the `scim` budget. */
  scim: boolean;
  /** Not charged to any budget (GET /rate_limit). */
  uncounted?: boolean;
  /** The budget a token's request spends; default `scim` for SCIM routes, else `core`. */
  resource?: RateResource;
  handler: (ctx: RouteContext) => Reply | Promise<Reply>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
  /** The account whose token made the request, when it had a live one. */
  login?: string;
}

export interface PipelineDeps {
  routes: readonly Route[];
  world: World;
  limiter: RateLimiter;
  faults: FaultInjector<FaultSpec>;
  /** Per token per hour, by resource. */
  rateLimits: Record<RateResource, number>;
  rateLimitStatus: 403 | 429;
  base: () => string;
  record: (r: RecordedRequest) => void;
}

type Principal = { kind: 'anonymous' } | { kind: 'bad' } | { kind: 'suspended'; caller: Caller } | { kind: 'user'; caller: Caller };

export function gitHubHandler(deps: PipelineDeps): RequestListener {
  return createHandler({
    name: 'github-sim',
    open: (req) => {
      const found = matchRoute(deps.routes, req.method, req.path);
      const match = found.kind === 'found' ? found : undefined;
      const principal = authenticate(deps.world, req.headers.authorization);
      const caller = principal.kind === 'user' || principal.kind === 'suspended' ? principal.caller : undefined;
      // What credential_accessed_at reports in the org's credential authorizations.
      if (caller) caller.token.lastUsedAt = new Date();

      // A token has a budget per resource; an anonymous caller one per IP (SCIM needs a token anyway).
      const budget = (resource: RateResource): { key: string; limit: number } =>
        caller ? { key: `${resource} token:${caller.token.value}`, limit: deps.rateLimits[resource] } : { key: `core ip:${req.remoteAddress}`, limit: ANONYMOUS_LIMIT };
      const resource: RateResource = caller && match ? (match.route.resource ?? (match.route.scim ? 'scim' : 'core')) : 'core';
      const charged = budget(resource);
      // GET /rate_limit answers even with the budget spent: GitHub does not count it.
      const limit = match?.route.uncounted ? { ...deps.limiter.peek(charged.key, charged.limit), allowed: true } : deps.limiter.take(charged.key, charged.limit);
      const peek = (r: RateResource): RateLimitState => deps.limiter.peek(budget(r).key, budget(r).limit);
      const rateLimits = (): Partial<Record<RateResource, RateLimitState>> => (caller ? { core: peek('core'), scim: peek('scim'), graphql: peek('graphql') } : { core: peek('core') });

      const headers: Record<string, string> = {
        'X-GitHub-Api-Version-Selected': '2022-11-28',
        'X-GitHub-Media-Type': 'github.v3; format=json',
        'X-GitHub-Request-Id': requestId(),
        'X-RateLimit-Limit': String(limit.limit),
        'X-RateLimit-Remaining': String(limit.remaining),
        'X-RateLimit-Reset': String(limit.reset),
        'X-RateLimit-Used': String(limit.used),
        'X-RateLimit-Resource': resource,
      };
      if (caller) {
        headers['X-OAuth-Scopes'] = scopeHeader(caller.token.scopes);
        headers['X-Accepted-OAuth-Scopes'] = scopeHeader(match?.route.acceptedScopes ?? []);
        if (caller.token.expiresAt) headers['GitHub-Authentication-Token-Expiration'] = utcStamp(caller.token.expiresAt);
      }
      return { match, principal, caller, limit, resource, rateLimits, headers };
    },
    answer: (req, { match, principal, caller, limit, resource, rateLimits }) => {
      if (principal.kind === 'bad') throw badCredentials();
      // GraphQL's spent primary limit is a 200 with an error (GitHub Docs, GraphQL rate limits).
      if (!limit.allowed && resource === 'graphql' && caller) return graphqlRateLimited(caller.user.id);
      if (!limit.allowed) throw primaryRateLimit(deps.rateLimitStatus, caller ? { userId: caller.user.id } : { ip: req.remoteAddress });
      if (principal.kind === 'suspended') throw accountSuspended();
      const fault = deps.faults.take(req.method, req.path)?.status;
      if (fault === 401) throw badCredentials();
      if (fault === 403 || fault === 429) throw secondaryRateLimit(fault);
      if (fault) throw serverError(fault);
      if (!match) throw notFound();
      return match.route.handler({ params: match.params, query: req.query, base: deps.base(), caller, world: deps.world, rateLimits, body: req.body });
    },
    fallbackError: () => serverError(500),
    // Credentials, SSO, rate limits and faults on a SCIM route: SCIM's error shape too (see scimShaped).
    reshapeError: (err, { match }) => (match?.route.scim && err instanceof GitHubError ? scimShaped(err) : err),
    finish: (reply, req, { match, caller, headers }) => {
      deps.record({ method: req.method, path: req.path, status: reply.status, ...(caller ? { login: caller.user.login } : {}) });
      return { ...reply, headers: { ...headers, ...reply.headers }, contentType: match?.route.scim ? 'application/scim+json' : 'application/json; charset=utf-8' };
    },
  });
}

function authenticate(world: World, header: string | undefined): Principal {
  if (!header) return { kind: 'anonymous' };
  const m = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header);
  if (!m?.[1]) return { kind: 'bad' };
  const check = world.checkToken(m[1]);
  if (check.kind === 'invalid') return { kind: 'bad' };
  const caller = { token: check.token, user: check.user };
  return check.kind === 'suspended' ? { kind: 'suspended', caller } : { kind: 'user', caller };
}
