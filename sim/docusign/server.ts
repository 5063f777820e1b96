/**
 * One TLS listener per environment, answering as two hosts by the Host header, as DocuSign's
 * account server and eSignature host are two machines: `127.0.0.1:PORT` is the account server
 * (OAuth only) and `localhost:PORT` the REST host. A client that sends REST calls to its OAuth host
 * (or the reverse) gets a 404 saying so, instead of silently working only in the simulator.
 */
import type { RequestListener } from 'node:http';
import type { FaultInjector } from '../http/faults';
import { replyOf, type Reply } from '../http/reply';
import { BodyTooLarge, type SimRequest } from '../http/request';
import { matchRoute } from '../http/router';
import { createHandler } from '../http/server';
import { OAuthError, hourlyLimitExceeded, invalidToken, RestError, serviceUnavailable, unspecifiedError } from './errors';
import type { FaultSpec } from './faults';
import { traceToken } from './ids';
import { OAUTH_ROUTES, type OAuthDeps } from './oauth-routes';
import { handleRest, type RestDeps } from './rest-routes';
import type { Endpoints, Environment } from './types';

export type HostKind = 'oauth' | 'rest';

export interface RecordedRequest {
  environment: Environment;
  host: HostKind;
  method: string;
  path: string;
  status: number;
}

export interface EnvironmentDeps extends OAuthDeps, RestDeps {
  faults: FaultInjector<FaultSpec>;
  record: (r: RecordedRequest) => void;
}

const OAUTH_TABLE = OAUTH_ROUTES.map((r) => ({ ...r, template: r.path }));

export function environmentHandler(deps: EnvironmentDeps): RequestListener {
  const mine = (): Endpoints => deps.endpoints(deps.environment);
  return createHandler<{ host?: HostKind }>({
    name: 'docusign-sim',
    open: (req) => ({ host: hostKind(req.headers.host, mine()) }),
    answer: async (req, { host }) => {
      if (!host) {
        const message = `This port serves ${mine().oauthHost} (OAuth) and ${new URL(mine().baseUri).host} (REST); got Host ${req.headers.host}.`;
        return { status: 421, body: { errorCode: 'MISDIRECTED_REQUEST', message } };
      }
      const fault = deps.faults.take(req.method, req.path);
      if (fault) return faultReply(deps, host, fault, req.path);
      // Read before routing: an oversized body is refused whatever the path.
      const body = await req.body();
      return host === 'oauth' ? oauth(deps, req, body, mine()) : handleRest(deps, req, body);
    },
    fallbackError: (err, { host }) => {
      if (err instanceof BodyTooLarge) return host === 'oauth' ? new OAuthError(413, 'invalid_request', err.message) : new RestError(413, 'INVALID_REQUEST_BODY', err.message);
      return host === 'oauth' ? new OAuthError(500, 'server_error') : unspecifiedError();
    },
    finish: (reply, req, { host }) => {
      deps.record({ environment: deps.environment, host: host ?? 'rest', method: req.method, path: req.path, status: reply.status });
      const trace: Record<string, string> = host === 'rest' ? { 'X-DocuSign-TraceToken': traceToken() } : {};
      return { ...reply, headers: { 'Cache-Control': 'no-cache', ...trace, ...reply.headers }, contentType: 'application/json; charset=utf-8' };
    },
  });
}

function hostKind(hostHeader: string | undefined, mine: Endpoints): HostKind | undefined {
  if (hostHeader === mine.oauthHost) return 'oauth';
  if (hostHeader === new URL(mine.baseUri).host) return 'rest';
  return undefined;
}

function oauth(deps: OAuthDeps, req: SimRequest, body: Buffer, mine: Endpoints): Reply {
  const match = matchRoute(OAUTH_TABLE, req.method, req.path);
  if (match.kind === 'found') return match.route.handler(deps, req, body);
  const hint = req.path.startsWith('/restapi') ? ` The eSignature REST API is at ${mine.restBaseUrl}, not on the OAuth host.` : '';
  return { status: 404, body: { error: 'not_found', error_description: `No ${req.method} ${req.path} on the account server.${hint}` } };
}

/**
 * What DocuSign answers for each injectable status, in the dialect of the host: JSON always, as
 * every error DocuSign documents is (the eSignature description declares `errorDetails`, the
 * account server answers OAuth errors); neither documents another body for a 503.
 */
function faultReply(deps: RestDeps, host: HostKind, fault: FaultSpec, path: string): Reply {
  const { status } = fault;
  if (host === 'oauth') {
    // `temporarily_unavailable` is OAuth's registered error for an overloaded or down server (RFC 6749 §4.1.2.1).
    const error =
      status === 401 ? (path.endsWith('/userinfo') ? 'invalid_token' : 'invalid_client') : status === 429 ? 'too_many_requests' : status === 503 ? 'temporarily_unavailable' : 'server_error';
    return { status, body: { error, error_description: 'injected fault' } };
  }
  if (status === 503) return replyOf(serviceUnavailable());
  if (status === 401) return replyOf(invalidToken());
  if (status === 429) {
    const hour = 3_600_000;
    const limit = deps.limiter.limits.hourly;
    const resetAt = fault.resetInMs !== undefined ? Math.ceil((Date.now() + fault.resetInMs) / 1000) * 1000 : Math.floor(Date.now() / hour) * hour + hour;
    const headers = { 'X-RateLimit-Limit': String(limit), 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(resetAt / 1000) };
    return replyOf(hourlyLimitExceeded(limit, headers));
  }
  return replyOf(unspecifiedError());
}
