/**
 * Okta's pipeline, in the order Okta applies it: rate limits (the bucket, the token's share of it,
 * the org's concurrency cap), the endpoints open to all (token, sign-in, keys), the credential (an SSWS token, or an OAuth access
 * token with its DPoP proof), injected faults, then the route. Every answer is JSON with
 * Okta's error shape and carries its bucket's X-Rate-Limit-* headers.
 */
import { timingSafeEqual } from 'node:crypto';
import type { RequestListener } from 'node:http';
import type { FaultInjector } from '../http/faults';
import { replyOf, type Reply } from '../http/reply';
import { BodyTooLarge, jsonBody } from '../http/request';
import { matchRoute, type Match } from '../http/router';
import { createHandler } from '../http/server';
import { invalidToken, malformedBody, methodNotAllowed, notFound, OktaError, rateLimited, serverFault } from './errors';
import type { FaultSpec } from './faults';
import type { AuthorizationServer } from './oauth/authorization-server';
import { TokenRefusal } from './oauth/errors';
import { needOf, rolesAllow } from './oauth/roles';
import { SCOPE_BY_OPERATION, scopeCovers } from './oauth/scopes';
import { requestId } from './ids';
import type { RateLimiter, RateLimitState } from './rate-limiter';

export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body, or undefined when there was none. */
  body: unknown;
  /** The simulator's base URL, for links. */
  base: string;
  path: string;
}

/** A route at Okta's path template (`/api/v1/apps/{appId}`). */
export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  template: string;
  handler: (ctx: RouteContext) => Reply;
}

export interface PipelineDeps {
  routes: readonly Route[];
  limiter: RateLimiter;
  faults: FaultInjector<FaultSpec>;
  apiToken: string;
  /** Service apps' OAuth 2.0 access tokens, beside the SSWS token. */
  oauth: AuthorizationServer;
  base: () => string;
  record: (method: string, path: string) => void;
  /** Counts each 429 answered (the pipeline's pacing should make none). */
  throttled: () => void;
  /** How long each answer takes, as a real org's do over the internet. */
  latencyMs: number;
}

export function oktaHandler(deps: PipelineDeps): RequestListener {
  const expectedAuth = Buffer.from(`SSWS ${deps.apiToken}`);
  const authorized = (header: string | undefined): boolean => {
    const given = Buffer.from(header ?? '');
    return given.length === expectedAuth.length && timingSafeEqual(given, expectedAuth);
  };

  return createHandler<{ match: Match<Route>; limit: RateLimitState }>({
    name: 'okta-sim',
    latencyMs: deps.latencyMs,
    open: (req) => {
      deps.record(req.method, req.path);
      // The principal is the credential presented; an unauthenticated caller spends the anonymous share.
      return { match: matchRoute(deps.routes, req.method, req.path), limit: deps.limiter.take(req.path, req.headers.authorization ?? '') };
    },
    answer: async (req, { match, limit }) => {
      if (!limit.allowed) throw rateLimited();
      const open = deps.oauth.publicEndpoint(req, deps.base());
      if (open) return open;
      const caller = authorized(req.headers.authorization) ? 'api-token' : deps.oauth.caller(req, `${deps.base()}${req.path}`, deps.base());
      if (!caller) throw invalidToken();
      const fault = deps.faults.take(req.method, req.path)?.status;
      if (fault === 429) {
        const reset = Math.ceil((Date.now() + 1000) / 1000);
        return { ...replyOf(rateLimited()), headers: { 'X-Rate-Limit-Remaining': '0', 'X-Rate-Limit-Reset': String(reset) } };
      }
      if (fault) throw serverFault(fault);
      if (match.kind === 'none') throw notFound(req.path, 'Endpoint');
      if (match.kind === 'method') return { ...replyOf(methodNotAllowed()), headers: { Allow: match.allowed.join(', ') } };
      const scope = SCOPE_BY_OPERATION[`${req.method} ${match.route.template}`];
      if (caller !== 'api-token' && scope && !scopeCovers(caller.scopes, scope)) {
        throw new TokenRefusal(deps.base(), req.path, {
          scheme: caller.scheme,
          status: 403,
          error: 'insufficient_scope',
          description: 'The access token provided does not contain the required scopes.',
          scope,
        });
      }
      const need = needOf(req.method, match.route.template, match.params);
      if (caller !== 'api-token' && need && !rolesAllow(caller.roles, need)) throw new OktaError(403, 'E0000006', 'You do not have permission to perform the requested action');
      const body = req.method === 'POST' ? jsonBody(await req.body(), malformedBody) : undefined;
      return match.route.handler({ params: match.params, query: req.query, body, base: deps.base(), path: req.path });
    },
    fallbackError: (err) => (err instanceof BodyTooLarge ? malformedBody() : serverFault(500)),
    finish: (reply, _req, { limit }) => {
      deps.limiter.release();
      if (reply.status === 429) deps.throttled();
      const headers = {
        'X-Okta-Request-Id': requestId(),
        'X-Rate-Limit-Limit': String(limit.limit),
        'X-Rate-Limit-Remaining': String(limit.remaining),
        'X-Rate-Limit-Reset': String(limit.reset),
      };
      return { ...reply, headers: { ...headers, ...reply.headers } };
    },
  });
}
