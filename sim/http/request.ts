/** An incoming request as the simulators read it: method, path, query, headers, and the body on demand. */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

const MAX_BODY_BYTES = 1 << 20;

/** A body over 1 MiB; each simulator answers it in its own words. */
export class BodyTooLarge extends Error {}

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Who is calling (GitHub meters anonymous callers by address). */
  remoteAddress: string;
  /** The whole body, read once however often asked; throws BodyTooLarge. */
  body(): Promise<Buffer>;
}

export function simRequest(req: IncomingMessage): SimRequest {
  const url = new URL(req.url ?? '/', 'http://sim.invalid');
  let body: Promise<Buffer> | undefined;
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    remoteAddress: req.socket.remoteAddress ?? '',
    body: () => (body ??= readBody(req)),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The body as JSON; undefined when empty, the simulator's `malformed()` error when not JSON. */
export function jsonBody(body: Buffer, malformed: () => Error): unknown {
  const text = body.toString('utf8').trim();
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    throw malformed();
  }
}

/** The bearer token of an Authorization header, if it carries one. */
export function bearer(headers: IncomingHttpHeaders): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
}
