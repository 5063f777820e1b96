/** Plain HTTP calls to the simulator, returning what the contract checker needs. */
import type { Answer } from './contract';

export interface CallOptions {
  /** The SSWS token; null sends no Authorization header. */
  token: string | null;
  /** A JSON value, or a raw string sent as is. */
  body?: unknown;
}

export async function call(base: string, method: string, pathOrUrl: string, opts: CallOptions): Promise<Answer> {
  const url = new URL(pathOrUrl, base);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.token !== null) headers.Authorization = `SSWS ${opts.token}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  }
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  return {
    method,
    url: url.pathname + url.search,
    status: res.status,
    headers: res.headers,
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
  };
}

/** The URL of a `Link` relation (fetch joins repeated Link headers with commas). */
export function linkRel(headers: Headers, rel: string): string | undefined {
  const link = headers.get('link') ?? '';
  for (const part of link.split(/,\s*(?=<)/)) {
    const m = /^<([^>]*)>;\s*rel="([^"]*)"/.exec(part.trim());
    if (m && m[2] === rel) return m[1];
  }
  return undefined;
}
