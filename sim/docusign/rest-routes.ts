/**
 * The eSignature REST API (demo.docusign.net / www.docusign.net) of one environment, the few
 * endpoints the pipeline uses: account information, listing users by email, closing users.
 * Order of checks per request: route, bearer token, account + rate limit, membership, permissions.
 */
import { burstLimitExceeded, hourlyLimitExceeded, invalidParameter, invalidRequestBody, invalidToken, lacksMembership, lacksPermissions, resourceNotFound, RestError } from './errors';
import type { Reply } from '../http/reply';
import { bearer, jsonBody, type SimRequest } from '../http/request';
import { matchRoute } from '../http/router';
import type { AccountRateLimiter } from './rate-limit';
import { renderAccountInformation, renderClosedUser, renderUser } from './render';
import type { World } from './world';
import type { Account, Environment, Identity, Membership } from './types';

export interface RestDeps {
  world: World;
  environment: Environment;
  limiter: AccountRateLimiter;
}

interface Caller {
  identity: Identity;
  membership: Membership;
  account: Account;
}

type Handler = (deps: RestDeps, caller: Caller, req: SimRequest, body: Buffer) => Reply;

/** Where the eSignature REST API is served; the description's paths are relative to it (its basePath). */
export const REST_BASE_PATH = '/restapi';

export interface RestRoute {
  method: string;
  /** The path as DocuSign's description writes it (relative to REST_BASE_PATH); its only parameter is the account. */
  template: string;
  handler: Handler;
}

/** Every eSignature route the simulator serves; the contract test checks each against DocuSign's description. */
export const REST_ROUTES: readonly RestRoute[] = [
  { method: 'GET', template: '/v2.1/accounts/{accountId}', handler: getAccount },
  { method: 'GET', template: '/v2.1/accounts/{accountId}/users', handler: listUsers },
  { method: 'DELETE', template: '/v2.1/accounts/{accountId}/users', handler: closeUsers },
];

/** The routes at their full paths; DocuSign tolerates a trailing slash. */
const TABLE = REST_ROUTES.map((r) => ({ ...r, template: `${REST_BASE_PATH}${r.template}` }));

export function handleRest(deps: RestDeps, req: SimRequest, body: Buffer): Reply {
  // An account id that is not valid percent-encoding names no account: kept as sent, it gets USER_LACKS_MEMBERSHIP below.
  const match = matchRoute(TABLE, req.method, req.path, { trailingSlash: true, keepUndecodable: true });
  if (match.kind !== 'found') throw resourceNotFound();

  const presented = bearer(req.headers);
  const issued = presented ? deps.world.token(presented) : undefined;
  // A token from the other environment's account server means nothing here.
  const identity = issued && issued.environment === deps.environment ? deps.world.identity(issued.userId) : undefined;
  if (!identity) throw invalidToken();

  const account = deps.world.findAccount(match.params.accountId ?? '');
  // An account of the other environment does not exist here: the caller cannot be a member of it.
  if (!account || account.environment !== deps.environment) throw lacksMembership();

  const limit = deps.limiter.take(`${deps.environment} ${account.accountId}`);
  if (!limit.allowed) {
    const { status } = deps.limiter.limits;
    throw limit.exceeded === 'burst'
      ? burstLimitExceeded(Number(limit.headers['X-BurstLimit-Limit']), limit.headers, status)
      : hourlyLimitExceeded(Number(limit.headers['X-RateLimit-Limit']), limit.headers, status);
  }
  try {
    const membership = deps.world.membership(account.accountId, identity.userId);
    if (!membership || membership.status !== 'active') throw lacksMembership();
    const reply = match.route.handler(deps, { identity, membership, account }, req, body);
    return { ...reply, headers: { ...limit.headers, ...reply.headers } };
  } catch (err) {
    // Every answer about a counted request carries the account's budget, errors included.
    if (err instanceof RestError) throw new RestError(err.status, err.errorCode, err.message, { ...limit.headers, ...err.headers });
    throw err;
  }
}

function getAccount(deps: RestDeps, caller: Caller): Reply {
  return { status: 200, body: renderAccountInformation(deps.world, caller.account) };
}

/** UsersApi.list: filters DocuSign supports that the pipeline may use; paging by start_position/count. */
function listUsers(deps: RestDeps, caller: Caller, req: SimRequest): Reply {
  if (!caller.membership.isAdmin) throw lacksPermissions();
  const q = req.query;
  const email = q.get('email')?.toLowerCase();
  const emailSubstring = q.get('email_substring')?.toLowerCase();
  const nameSubstring = q.get('user_name_substring')?.toLowerCase();
  const statuses = q
    .get('status')
    ?.split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);

  const matching = deps.world
    .membersOf(caller.account.accountId)
    .map((m) => ({ m, u: deps.world.view(m) }))
    .filter(({ u }) => email === undefined || u.email.toLowerCase() === email)
    .filter(({ u }) => emailSubstring === undefined || u.email.toLowerCase().includes(emailSubstring))
    .filter(({ u }) => nameSubstring === undefined || u.userName.toLowerCase().includes(nameSubstring))
    .filter(({ u }) => statuses === undefined || statuses.includes(u.status));

  // DocuSign answers an email that matches no member with an error, not an empty list.
  if (email !== undefined && matching.length === 0) throw lacksMembership();

  const start = intIn(q, 'start_position', 0, 0, Number.MAX_SAFE_INTEGER);
  // The description (Users_GetUsers): "count ... Valid values: `1` to `100`". Clamping instead
  // would let count=0 answer an empty page whose nextUri is the same page again.
  const count = intIn(q, 'count', 100, 1, 100);
  const page = matching.slice(start, start + count);
  const end = start + page.length - 1;
  const body: Record<string, unknown> = {
    users: page.map(({ m }) => renderUser(deps.world, m)),
    resultSetSize: String(page.length),
    totalSetSize: String(matching.length),
    startPosition: String(start),
    endPosition: String(end),
  };
  // Only after a non-empty page, so a nextUri always moves forward.
  if (page.length > 0 && end + 1 < matching.length) body.nextUri = pageUri(q, end + 1, count);
  if (start > 0) body.previousUri = pageUri(q, Math.max(0, start - count), count);
  return { status: 200, body };
}

/** UsersApi._delete: closes each listed member (users are never deleted); per-user errors inline. */
function closeUsers(deps: RestDeps, caller: Caller, _req: SimRequest, body: Buffer): Reply {
  if (!caller.membership.isAdmin) throw lacksPermissions();
  const users = (jsonBody(body, invalidRequestBody) as { users?: unknown } | undefined)?.users;
  if (!Array.isArray(users) || users.length === 0) throw invalidRequestBody();

  const results = users.map((entry: unknown) => {
    const userId = typeof entry === 'object' && entry !== null ? (entry as { userId?: unknown }).userId : undefined;
    const membership = typeof userId === 'string' ? deps.world.membership(caller.account.accountId, userId) : undefined;
    if (!membership) {
      // Code and message as best known; DocuSign reports per-user failures in errorDetails.
      return { userId: typeof userId === 'string' ? userId : '', errorDetails: { errorCode: 'INVALID_USERID', message: 'Invalid UserId.' } };
    }
    deps.world.close(membership);
    return renderClosedUser(deps.world, membership);
  });
  return { status: 200, body: { users: results } };
}

/** An integer query parameter within [min, max]; absent means `fallback`, anything else is a 400. */
function intIn(q: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const value = q.get(name);
  if (value === null || value === '') return fallback;
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || n < min || n > max) throw invalidParameter(name, value, max === Number.MAX_SAFE_INTEGER ? `an integer from ${min}` : `an integer from ${min} to ${max}`);
  return n;
}

function pageUri(q: URLSearchParams, start: number, count: number): string {
  const next = new URLSearchParams(q);
  next.set('start_position', String(start));
  next.set('count', String(count));
  return `/users?${next.toString()}`;
}
