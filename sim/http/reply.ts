/**
 * What a simulator answers, and how it goes on the wire: JSON, or no body at all. An error answer
 * is thrown as an HttpError (from a route, a model or a check); each simulator's subclasses write
 * the body in their vendor's error shape.
 */
import type { ServerResponse } from 'node:http';

export interface Reply {
  status: number;
  /** JSON-serialised; no body (and no Content-Type) when undefined. */
  body?: unknown;
  headers?: Record<string, string | string[]>;
  /** The body's media type; default `application/json`. */
  contentType?: string;
}

export abstract class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  abstract body(): unknown;
}

export function replyOf(err: HttpError): Reply {
  return { status: err.status, body: err.body(), headers: err.headers };
}

export function send(res: ServerResponse, reply: Reply): void {
  if (reply.body === undefined) {
    res.writeHead(reply.status, reply.headers).end();
    return;
  }
  res.writeHead(reply.status, { ...reply.headers, 'Content-Type': reply.contentType ?? 'application/json' }).end(JSON.stringify(reply.body));
}
