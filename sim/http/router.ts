/**
 * Routes over path templates written like the services' OpenAPI paths (`/api/v1/apps/{appId}`).
 * Literal segments match exactly, case included (GitHub's SCIM paths need the capital U of
 * `Users`); `{name}` matches one non-empty segment, percent-decoded.
 */

export interface RouteTemplate {
  method: string;
  template: string;
}

export type Match<R> =
  | { kind: 'found'; route: R; params: Record<string, string> }
  /** The path exists, but not for this method: Okta answers 405, GitHub and DocuSign 404. */
  | { kind: 'method'; allowed: string[] }
  | { kind: 'none' };

export interface MatchOptions {
  /** Tolerate one trailing slash, as DocuSign's REST host does. */
  trailingSlash?: boolean;
  /** Keep a parameter that is not valid percent-encoding as sent, instead of missing the route. */
  keepUndecodable?: boolean;
}

/** The first route (in table order) whose template and method match. */
export function matchRoute<R extends RouteTemplate>(routes: readonly R[], method: string, path: string, opts: MatchOptions = {}): Match<R> {
  const trimmed = opts.trailingSlash && path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const segments = trimmed.split('/');
  const allowed: string[] = [];
  for (const route of routes) {
    const params = matchTemplate(route.template, segments, opts.keepUndecodable ?? false);
    if (!params) continue;
    if (route.method === method) return { kind: 'found', route, params };
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { kind: 'method', allowed } : { kind: 'none' };
}

function matchTemplate(template: string, segments: string[], keepUndecodable: boolean): Record<string, string> | undefined {
  const parts = template.split('/');
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    const segment = segments[i]!;
    const param = /^\{(\w+)\}$/.exec(part)?.[1];
    if (param === undefined) {
      if (part !== segment) return undefined;
      continue;
    }
    if (segment === '') return undefined;
    try {
      params[param] = decodeURIComponent(segment);
    } catch {
      if (!keepUndecodable) return undefined;
      params[param] = segment;
    }
  }
  return params;
}
