/**
 * Cursor pagination the way Okta does it: `limit` and an opaque `after` cursor, with the next page
 * announced in a `Link: <...>; rel="next"` header. Cursors here are creation sequence numbers, so a
 * page boundary survives items being removed between requests.
 */
import { validationFailed } from './errors';

export interface PageLimits {
  /** Page size when the client names none. */
  default: number;
  max: number;
}

export function parseLimit(raw: string | null, limits: PageLimits): number {
  if (raw === null) return limits.default;
  if (!/^-?\d+$/.test(raw)) throw validationFailed('limit', `limit: '${raw}' is not an integer`);
  const n = Number(raw);
  return n < 1 ? limits.default : Math.min(n, limits.max);
}

export function pageAfter<T extends { seq: number }>(items: readonly T[], after: string | null, limit: number): { page: T[]; nextAfter?: string } {
  if (after !== null && !/^\d+$/.test(after)) throw validationFailed('after', `after: '${after}' is not a cursor this server issued`);
  const from = after === null ? items : items.filter((i) => i.seq > Number(after));
  const page = from.slice(0, limit);
  const last = page[page.length - 1];
  return { page, nextAfter: from.length > page.length && last ? String(last.seq) : undefined };
}

/** `Link` header values: self, and next when there is a next page. */
export function links(base: string, path: string, query: URLSearchParams, nextAfter: string | undefined): string[] {
  const self = `<${base}${path}${query.size > 0 ? `?${query}` : ''}>; rel="self"`;
  if (nextAfter === undefined) return [self];
  const next = new URLSearchParams(query);
  next.set('after', nextAfter);
  return [self, `<${base}${path}?${next}>; rel="next"`];
}
