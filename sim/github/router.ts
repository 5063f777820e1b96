/** A minimal router over path templates written like GitHub's OpenAPI paths (`/users/{username}`). */
import type { RateLimitState, RateResource } from './rate-limit';
import type { TokenRecord, UserRecord, World } from './world';

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
  /** The caller's budgets, uncounted; anonymous callers have no SCIM budget (SCIM needs a token). */
  rateLimits: () => Partial<Record<RateResource, RateLimitState>>;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: 'GET' | 'DELETE';
  template: string;
  /** The X-Accepted-OAuth-Scopes header: scopes any one of which lets a token call this route. */
  acceptedScopes: readonly string[];
  /** SCIM routes answer `application/scim+json`, errors included, and are charged to the `scim` budget. */
  scim: boolean;
  /** Not charged to any budget (GET /rate_limit). */
  uncounted?: boolean;
  handler: (ctx: RouteContext) => Reply;
}

export function matchRoute(routes: readonly Route[], method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  const segments = path.split('/');
  for (const route of routes) {
    if (route.method !== method) continue;
    const params = matchTemplate(route.template, segments);
    if (params) return { route, params };
  }
  // GitHub answers an unsupported method on a known path with 404 too, so no 405 here.
  return undefined;
}

function matchTemplate(template: string, segments: string[]): Record<string, string> | undefined {
  const parts = template.split('/');
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const segment = segments[i]!;
    const param = /^\{(\w+)\}$/.exec(part)?.[1];
    if (param === undefined) {
      // Literal segments are case-sensitive: GitHub's SCIM paths need the capital U of `Users`.
      if (part !== segment) return undefined;
      continue;
    }
    if (segment === '') return undefined;
    try {
      params[param] = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
  }
  return params;
}
