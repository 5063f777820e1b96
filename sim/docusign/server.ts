/**
 * One TLS listener per environment, answering as two hosts by the Host header, as DocuSign's
 * account server and eSignature host are two machines: `127.0.0.1:PORT` is the account server
 * (OAuth only) and `localhost:PORT` the REST host. A client that sends REST calls to its OAuth host
 * (or the reverse) gets a 404 saying so, instead of silently working only in the simulator.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OAuthError, hourlyLimitExceeded, invalidToken, RestError, serviceUnavailable, unspecifiedError } from './errors';
import type { FaultInjector, FaultSpec } from './faults';
import { BodyTooLarge, readBody, send, type Reply, type SimRequest } from './http';
import { sendFailed } from '../listen';
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

export function createEnvironmentHandler(deps: EnvironmentDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const mine = deps.endpoints(deps.environment);
    const host = hostKind(req.headers.host, mine);
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'https://sim.invalid');

    const answer = async (): Promise<Reply> => {
      if (!host) {
        return {
          status: 421,
          body: { errorCode: 'MISDIRECTED_REQUEST', message: `This port serves ${mine.oauthHost} (OAuth) and ${new URL(mine.baseUri).host} (REST); got Host ${req.headers.host}.` },
        };
      }
      const fault = deps.faults.take(method, url.pathname);
      if (fault) return faultReply(deps, host, fault, url.pathname);
      const simReq: SimRequest = { method, path: url.pathname, query: url.searchParams, headers: req.headers, body: await readBody(req) };
      return host === 'oauth' ? oauth(deps, simReq, mine) : handleRest(deps, simReq);
    };

    answer()
      .catch((err: unknown) => errorReply(host ?? 'rest', err))
      .then((reply) => {
        deps.record({ environment: deps.environment, host: host ?? 'rest', method, path: url.pathname, status: reply.status });
        send(res, host === 'rest' ? { ...reply, headers: { 'X-DocuSign-TraceToken': traceToken(), ...reply.headers } } : reply);
      })
      .catch((err: unknown) => sendFailed(res, 'docusign-sim', err));
  };
}

function hostKind(hostHeader: string | undefined, mine: Endpoints): HostKind | undefined {
  if (hostHeader === mine.oauthHost) return 'oauth';
  if (hostHeader === new URL(mine.baseUri).host) return 'rest';
  return undefined;
}

function oauth(deps: OAuthDeps, req: SimRequest, mine: Endpoints): Reply {
  const route = OAUTH_ROUTES.find((r) => r.method === req.method && r.path === req.path);
  if (route) return route.handler(deps, req);
  const hint = req.path.startsWith('/restapi') ? ` The eSignature REST API is at ${mine.restBaseUrl}, not on the OAuth host.` : '';
  return { status: 404, body: { error: 'not_found', error_description: `No ${req.method} ${req.path} on the account server.${hint}` } };
}

function errorReply(host: HostKind, err: unknown): Reply {
  if (err instanceof RestError) return { status: err.status, body: err.body(), headers: err.headers };
  if (err instanceof OAuthError) return { status: err.status, body: err.body() };
  if (err instanceof BodyTooLarge) {
    return host === 'oauth' ? { status: 413, body: { error: 'invalid_request', error_description: err.message } } : { status: 413, body: { errorCode: 'INVALID_REQUEST_BODY', message: err.message } };
  }
  // A simulator bug: answer as DocuSign would to a server fault, and leave the cause where a developer looks.
  console.error('docusign-sim: unexpected error', err);
  return host === 'oauth' ? { status: 500, body: { error: 'server_error' } } : { status: 500, body: unspecifiedError().body() };
}

/**
 * What DocuSign answers for each injectable status, in the dialect of the host: JSON always, as
 * every error DocuSign documents is (the eSignature description declares `errorDetails`, the
 * account server answers OAuth errors); neither documents another body for a 503.
 */
function faultReply(deps: RestDeps, host: HostKind, fault: Pick<FaultSpec, 'status' | 'resetInMs'>, path: string): Reply {
  const { status } = fault;
  if (host === 'oauth') {
    // `temporarily_unavailable` is OAuth's registered error for an overloaded or down server (RFC 6749 §4.1.2.1).
    const error =
      status === 401 ? (path.endsWith('/userinfo') ? 'invalid_token' : 'invalid_client') : status === 429 ? 'too_many_requests' : status === 503 ? 'temporarily_unavailable' : 'server_error';
    return { status, body: { error, error_description: 'injected fault' } };
  }
  if (status === 503) return errorReply(host, serviceUnavailable());
  if (status === 401) return errorReply(host, invalidToken());
  if (status === 429) {
    const hour = 3_600_000;
    const limit = deps.limiter.limits.hourly;
    const resetAt = fault.resetInMs !== undefined ? Math.ceil((Date.now() + fault.resetInMs) / 1000) * 1000 : Math.floor(Date.now() / hour) * hour + hour;
    const headers = { 'X-RateLimit-Limit': String(limit), 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(resetAt / 1000) };
    return errorReply(host, hourlyLimitExceeded(limit, headers));
  }
  return errorReply(host, unspecifiedError());
}
