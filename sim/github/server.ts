/**
 * The HTTP pipeline in front of the routes, in the order GitHub applies it: credentials, the
 * hourly rate limit, account suspension, injected faults, then the endpoint. Every response
 * carries the x-ratelimit-* headers of the budget it was charged to (a token's `core` or `scim`
 * one, an anonymous caller's per-IP one) and, for token requests, X-OAuth-Scopes /
 * X-Accepted-OAuth-Scopes. Every error of a SCIM route is a SCIM error.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { accountSuspended, badCredentials, GitHubError, notFound, primaryRateLimit, ScimError, scimShaped, secondaryRateLimit, serverError, utcStamp } from './errors';
import type { FaultInjector, FaultSpec } from './faults';
import { requestId } from './ids';
import type { RateLimiter, RateLimitState, RateResource } from './rate-limit';
import { matchRoute, type Caller, type Reply, type Route } from './router';
import { scopeHeader } from './scopes';
import type { World } from './world';

/** GitHub's budget for anonymous requests, per client IP. */
const ANONYMOUS_LIMIT = 60;

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

export function createHandler(deps: PipelineDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    // Nothing here reads a body; drain it so keep-alive connections stay usable.
    req.resume();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const path = url.pathname;
    const match = matchRoute(deps.routes, method, path);
    const principal = authenticate(deps.world, req.headers.authorization);
    const caller = principal.kind === 'user' || principal.kind === 'suspended' ? principal.caller : undefined;
    // What credential_accessed_at reports in the org's credential authorizations.
    if (caller) caller.token.lastUsedAt = new Date();

    // A token has a budget per resource; an anonymous caller one per IP (SCIM needs a token anyway).
    const budget = (resource: RateResource): { key: string; limit: number } =>
      caller ? { key: `${resource} token:${caller.token.value}`, limit: deps.rateLimits[resource] } : { key: `core ip:${req.socket.remoteAddress ?? ''}`, limit: ANONYMOUS_LIMIT };
    const resource: RateResource = caller && match?.route.scim ? 'scim' : 'core';
    const charged = budget(resource);
    // GET /rate_limit answers even with the budget spent: GitHub does not count it.
    const limit = match?.route.uncounted ? { ...deps.limiter.peek(charged.key, charged.limit), allowed: true } : deps.limiter.take(charged.key, charged.limit);
    const peek = (r: RateResource): RateLimitState => deps.limiter.peek(budget(r).key, budget(r).limit);
    const rateLimits = (): Partial<Record<RateResource, RateLimitState>> => (caller ? { core: peek('core'), scim: peek('scim') } : { core: peek('core') });

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

    const answer = (): Reply => {
      if (principal.kind === 'bad') throw badCredentials();
      if (!limit.allowed) {
        throw primaryRateLimit(deps.rateLimitStatus, caller ? { userId: caller.user.id } : { ip: req.socket.remoteAddress ?? '' });
      }
      if (principal.kind === 'suspended') throw accountSuspended();
      const fault = deps.faults.take(method, path)?.status;
      if (fault === 401) throw badCredentials();
      if (fault === 403 || fault === 429) throw secondaryRateLimit(fault);
      if (fault) throw serverError(fault);
      if (!match) throw notFound();
      return match.route.handler({ params: match.params, query: url.searchParams, base: deps.base(), caller, world: deps.world, rateLimits });
    };

    let reply: Reply;
    let contentType = match?.route.scim ? 'application/scim+json' : 'application/json; charset=utf-8';
    try {
      reply = answer();
    } catch (err) {
      let e: GitHubError | ScimError;
      if (err instanceof ScimError || err instanceof GitHubError) {
        e = err;
      } else {
        // A simulator bug: answer like GitHub would, and leave the cause where a developer looks.
        console.error('github-sim: unexpected error', err);
        e = serverError(500);
      }
      // Credentials, SSO, rate limits and faults on a SCIM route: SCIM's error shape too (see scimShaped).
      if (match?.route.scim && e instanceof GitHubError) e = scimShaped(e);
      if (e instanceof GitHubError) contentType = 'application/json; charset=utf-8';
      reply = { status: e.status, body: e.body(), headers: e.headers };
    }
    deps.record({ method, path, status: reply.status, ...(caller ? { login: caller.user.login } : {}) });
    send(res, reply, { ...headers, ...reply.headers }, contentType);
  };
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

function send(res: ServerResponse, reply: Reply, headers: Record<string, string>, contentType: string): void {
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  res.writeHead(reply.status, { ...headers, 'Content-Type': contentType }).end(JSON.stringify(reply.body));
}
