/** A minimal router over path templates written like the OpenAPI paths (`/api/v1/apps/{appId}`). */

export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body, or undefined when there was none. */
  body: unknown;
  /** The simulator's base URL, for links. */
  base: string;
  path: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string | string[]>;
}

export type Handler = (ctx: RouteContext) => Reply;

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  template: string;
  handler: Handler;
}

export type Match =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  /** The path exists but not for this method. */
  | { kind: 'method'; template: string; allowed: string[] }
  | { kind: 'none' };

export function matchRoute(routes: readonly Route[], method: string, path: string): Match {
  const segments = path.split('/');
  const other: Route[] = [];
  for (const route of routes) {
    const params = matchTemplate(route.template, segments);
    if (!params) continue;
    if (route.method === method) return { kind: 'found', route, params };
    other.push(route);
  }
  const first = other[0];
  return first ? { kind: 'method', template: first.template, allowed: other.map((r) => r.method) } : { kind: 'none' };
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
