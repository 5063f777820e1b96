/** Plain HTTP calls to the simulators, returning what the contract checker needs. */
import type { Answer } from './contract';

export interface CallOptions {
  /** The SSWS token (Okta); null sends no Authorization header. */
  token: string | null;
  /** The whole Authorization header instead (`token gho_...`, `Bearer ...`). */
  authorization?: string;
  /** A JSON value, or a raw string sent as is. */
  body?: unknown;
  /** The body's media type; default application/json. */
  contentType?: string;
}

export async function call(base: string, method: string, pathOrUrl: string, opts: CallOptions): Promise<Answer> {
  const url = new URL(pathOrUrl, base);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.authorization !== undefined) headers.Authorization = opts.authorization;
  else if (opts.token !== null) headers.Authorization = `SSWS ${opts.token}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = opts.contentType ?? 'application/json';
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  }
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  // application/json and the +json types (application/scim+json); anything else stays text for the checker to refuse.
  const json = /^application\/([\w.-]+\+)?json\b/i.test(res.headers.get('content-type') ?? '');
  return {
    method,
    url: url.pathname + url.search,
    status: res.status,
    headers: res.headers,
    body: text === '' ? undefined : json ? (JSON.parse(text) as unknown) : text,
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
