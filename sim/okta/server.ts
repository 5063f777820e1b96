/**
 * The HTTP pipeline in front of the routes, in the order Okta applies it: rate limits (the
 * bucket, the token's share of it, the org's concurrency cap), SSWS token, injected faults, then the
 * handler. Every answer is JSON with Okta's error shape and carries its bucket's X-Rate-Limit-* headers.
 */
import { sendFailed } from '../listen';
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { invalidToken, malformedBody, methodNotAllowed, notFound, OktaError, rateLimited, serverFault } from './errors';
import type { FaultInjector, FaultSpec } from './faults';
import { requestId } from './ids';
import type { RateLimiter, RateLimitState } from './rate-limiter';
import { matchRoute, type Reply, type Route } from './router';

const MAX_BODY_BYTES = 1 << 20;

export interface PipelineDeps {
  routes: readonly Route[];
  limiter: RateLimiter;
  faults: FaultInjector<FaultSpec>;
  apiToken: string;
  base: () => string;
  record: (method: string, path: string) => void;
  /** Counts each 429 answered (the pipeline's pacing should make none). */
  throttled: () => void;
  /** How long each answer takes, as a real org's do over the internet. */
  latencyMs: number;
}

export function createHandler(deps: PipelineDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const expectedAuth = Buffer.from(`SSWS ${deps.apiToken}`);

  const authorized = (header: string | undefined): boolean => {
    const given = Buffer.from(header ?? '');
    return given.length === expectedAuth.length && timingSafeEqual(given, expectedAuth);
  };

  return (req, res) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const path = url.pathname;
    deps.record(method, path);

    const match = matchRoute(deps.routes, method, path);
    // The principal is the credential presented; an unauthenticated caller spends the anonymous share.
    const limit = deps.limiter.take(path, req.headers.authorization ?? '');

    const answer = async (): Promise<Reply> => {
      if (deps.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, deps.latencyMs));
      if (!limit.allowed) throw rateLimited();
      if (!authorized(req.headers.authorization)) throw invalidToken();
      const fault = deps.faults.take(method, path)?.status;
      if (fault === 429) {
        const reset = Math.ceil((Date.now() + 1000) / 1000);
        return errorReply(rateLimited(), { 'X-Rate-Limit-Remaining': '0', 'X-Rate-Limit-Reset': String(reset) });
      }
      if (fault) throw serverFault(fault);
      if (match.kind === 'none') throw notFound(path, 'Endpoint');
      if (match.kind === 'method') return errorReply(methodNotAllowed(), { Allow: match.allowed.join(', ') });
      const body = method === 'POST' ? await readJson(req) : undefined;
      return match.route.handler({ params: match.params, query: url.searchParams, body, base: deps.base(), path });
    };

    answer()
      .catch((err: unknown) => {
        if (err instanceof OktaError) return errorReply(err);
        // A simulator bug: answer like Okta would, and leave the cause where a developer looks.
        console.error('okta-sim: unexpected error', err);
        return errorReply(serverFault(500));
      })
      .then((reply) => {
        deps.limiter.release();
        if (reply.status === 429) deps.throttled();
        send(res, reply, limit);
      })
      .catch((err: unknown) => sendFailed(res, 'okta-sim', err));
  };
}

function errorReply(err: OktaError, headers?: Record<string, string>): Reply {
  return { status: err.status, body: err.body(), headers };
}

function send(res: ServerResponse, reply: Reply, limit: RateLimitState): void {
  const headers: Record<string, string | string[]> = {
    'X-Okta-Request-Id': requestId(),
    'X-Rate-Limit-Limit': String(limit.limit),
    'X-Rate-Limit-Remaining': String(limit.remaining),
    'X-Rate-Limit-Reset': String(limit.reset),
    ...reply.headers,
  };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  res.writeHead(reply.status, { ...headers, 'Content-Type': 'application/json' }).end(JSON.stringify(reply.body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw malformedBody();
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw malformedBody();
  }
}
