/**
 * `GET /rate_limit` (GitHub's description: operation rate-limit/get, schema rate-limit-overview;
 * https://docs.github.com/enterprise-cloud@latest/rest/rate-limit/rate-limit): the caller's budgets
 * by resource. GitHub documents that calling it does not count against the rate limit. The
 * simulator reports what it meters (`core`, and `scim` and `graphql` for tokens) and `search`, which the schema
 * requires and nothing here uses, so it is always full; `rate` repeats `core`, as GitHub still
 * sends it under API version 2022-11-28.
 */
import type { RateLimitState } from './rate-limit';
import type { Reply } from '../http/reply';
import type { Route, RouteContext } from './server';

/** GitHub's search budget per minute: 30 with a token, 10 without (https://docs.github.com/enterprise-cloud@latest/rest/search/search#rate-limit). */
const SEARCH_LIMIT = { token: 30, anonymous: 10 };

export function rateLimitRoutes(): Route[] {
  return [{ method: 'GET', template: '/rate_limit', acceptedScopes: [], scim: false, uncounted: true, handler: overview }];
}

function overview(ctx: RouteContext): Reply {
  const budgets = ctx.rateLimits();
  const core = view(budgets.core!);
  const searchLimit = ctx.caller ? SEARCH_LIMIT.token : SEARCH_LIMIT.anonymous;
  const search = { limit: searchLimit, used: 0, remaining: searchLimit, reset: Math.ceil(Date.now() / 1000) + 60 };
  const resources = { core, search, ...(budgets.graphql ? { graphql: view(budgets.graphql) } : {}), ...(budgets.scim ? { scim: view(budgets.scim) } : {}) };
  return { status: 200, body: { resources, rate: core } };
}

function view(s: RateLimitState): { limit: number; used: number; remaining: number; reset: number } {
  return { limit: s.limit, used: s.used, remaining: s.remaining, reset: s.reset };
}
