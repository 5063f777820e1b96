/** The HTTP plumbing shared by the OAuth and REST sides: requests in, JSON replies out. */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Reply {
  status: number;
  /** JSON-serialised; none when undefined. */
  body?: unknown;
  headers?: Record<string, string>;
}

const MAX_BODY_BYTES = 1 << 20;

export class BodyTooLarge extends Error {}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { 'Cache-Control': 'no-cache', ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
  } else {
    res.writeHead(reply.status, { ...headers, 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(reply.body));
  }
}

/** The bearer token of an Authorization header, if it carries one. */
export function bearer(headers: IncomingHttpHeaders): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return match?.[1];
}

/** The body as JSON; undefined when empty, a thrown SyntaxError when malformed. */
export function jsonBody(body: Buffer): unknown {
  const text = body.toString('utf8').trim();
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}
