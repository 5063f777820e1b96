/**
 * The HTTP pipeline in front of the routes, in the order GitHub applies it: credentials, the
 * hourly rate limit, account suspension, injected faults, then the endpoint. Every response
 * carries the x-ratelimit-* headers of the budget it was charged to and, for token requests,
 * X-OAuth-Scopes / X-Accepted-OAuth-Scopes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  accountSuspended,
  badCredentials,
  GitHubError,
  notFound,
  primaryRateLimit,
  ScimError,
  secondaryRateLimit,
  serverError,
  utcStamp,
} from './errors';
import type { FaultInjector, FaultSpec } from './faults';
import { requestId } from './ids';
import type { RateLimiter } from './rate-limit';
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
  /** Per token per hour. */
  rateLimit: number;
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

    const limit = caller
      ? deps.limiter.take(`token:${caller.token.value}`, deps.rateLimit)
      : deps.limiter.take(`ip:${req.socket.remoteAddress ?? ''}`, ANONYMOUS_LIMIT);

    const headers: Record<string, string> = {
      'X-GitHub-Api-Version-Selected': '2022-11-28',
      'X-GitHub-Media-Type': 'github.v3; format=json',
      'X-GitHub-Request-Id': requestId(),
      'X-RateLimit-Limit': String(limit.limit),
      'X-RateLimit-Remaining': String(limit.remaining),
      'X-RateLimit-Reset': String(limit.reset),
      'X-RateLimit-Used': String(limit.used),
      'X-RateLimit-Resource': 'core',
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
      return match.route.handler({ params: match.params, query: url.searchParams, base: deps.base(), caller, world: deps.world });
    };

    let reply: Reply;
    let contentType = match?.route.scim ? 'application/scim+json' : 'application/json; charset=utf-8';
    try {
      reply = answer();
    } catch (err) {
      if (err instanceof ScimError) {
        reply = { status: err.status, body: err.body(), headers: err.headers };
      } else if (err instanceof GitHubError) {
        // Auth, SSO and rate-limit answers come from in front of SCIM: ordinary REST JSON.
        contentType = 'application/json; charset=utf-8';
        reply = { status: err.status, body: err.body(), headers: err.headers };
      } else {
        // A simulator bug: answer like GitHub would, and leave the cause where a developer looks.
        console.error('github-sim: unexpected error', err);
        contentType = 'application/json; charset=utf-8';
        const e = serverError(500);
        reply = { status: 500, body: e.body() };
      }
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

