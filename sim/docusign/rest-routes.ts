/**
 * The eSignature REST API (demo.docusign.net / www.docusign.net) of one environment, the few
 * endpoints the pipeline uses: account information, listing users by email, closing users.
 * Order of checks per request: route, bearer token, account + rate limit, membership, permissions.
 */
import {
  burstLimitExceeded,
  hourlyLimitExceeded,
  invalidRequestBody,
  invalidToken,
  lacksMembership,
  lacksPermissions,
  resourceNotFound,
  RestError,
} from './errors';
import { bearer, jsonBody, type Reply, type SimRequest } from './http';
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

type Handler = (deps: RestDeps, caller: Caller, req: SimRequest) => Reply;

const ROUTES: ReadonlyArray<{ method: string; pattern: RegExp; handler: Handler }> = [
  { method: 'GET', pattern: /^\/restapi\/v2\.1\/accounts\/([^/]+)\/?$/, handler: getAccount },
  { method: 'GET', pattern: /^\/restapi\/v2\.1\/accounts\/([^/]+)\/users\/?$/, handler: listUsers },
  { method: 'DELETE', pattern: /^\/restapi\/v2\.1\/accounts\/([^/]+)\/users\/?$/, handler: closeUsers },
];

export function handleRest(deps: RestDeps, req: SimRequest): Reply {
  const route = ROUTES.map((r) => ({ r, m: r.pattern.exec(req.path) })).find(({ r, m }) => m && r.method === req.method);
  const accountSegment = route?.m?.[1];
  if (!route || accountSegment === undefined) throw resourceNotFound();

  const presented = bearer(req.headers);
  const issued = presented ? deps.world.token(presented) : undefined;
  // A token from the other environment's account server means nothing here.
  const identity = issued && issued.environment === deps.environment ? deps.world.identity(issued.userId) : undefined;
  if (!identity) throw invalidToken();

  let accountId: string;
  try {
    accountId = decodeURIComponent(accountSegment);
  } catch {
    throw lacksMembership();
  }
  const account = deps.world.findAccount(accountId);
  // An account of the other environment does not exist here: the caller cannot be a member of it.
  if (!account || account.environment !== deps.environment) throw lacksMembership();

  const limit = deps.limiter.take(`${deps.environment} ${account.accountId}`);
  if (!limit.allowed) {
    throw limit.exceeded === 'burst'
      ? burstLimitExceeded(Number(limit.headers['X-BurstLimit-Limit']), limit.headers)
      : hourlyLimitExceeded(Number(limit.headers['X-RateLimit-Limit']), limit.headers);
  }
  try {
    const membership = deps.world.membership(account.accountId, identity.userId);
    if (!membership || membership.status !== 'active') throw lacksMembership();
    const reply = route.r.handler(deps, { identity, membership, account }, req);
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
  const statuses = q.get('status')?.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);

  const matching = deps.world
    .membersOf(caller.account.accountId)
    .map((m) => ({ m, u: deps.world.view(m) }))
    .filter(({ u }) => email === undefined || u.email.toLowerCase() === email)
    .filter(({ u }) => emailSubstring === undefined || u.email.toLowerCase().includes(emailSubstring))
    .filter(({ u }) => nameSubstring === undefined || u.userName.toLowerCase().includes(nameSubstring))
    .filter(({ u }) => statuses === undefined || statuses.includes(u.status));

  // DocuSign answers an email that matches no member with an error, not an empty list.
  if (email !== undefined && matching.length === 0) throw lacksMembership();

  const start = nonNegativeInt(q.get('start_position'), 0);
  const count = Math.min(nonNegativeInt(q.get('count'), 100), 100);
  const page = matching.slice(start, start + count);
  const end = start + page.length - 1;
  const body: Record<string, unknown> = {
    users: page.map(({ m }) => renderUser(deps.world, m)),
    resultSetSize: String(page.length),
    totalSetSize: String(matching.length),
    startPosition: String(start),
    endPosition: String(end),
  };
  if (end + 1 < matching.length) body.nextUri = pageUri(q, end + 1, count);
  if (start > 0) body.previousUri = pageUri(q, Math.max(0, start - count), count);
  return { status: 200, body };
}

/** UsersApi._delete: closes each listed member (users are never deleted); per-user errors inline. */
function closeUsers(deps: RestDeps, caller: Caller, req: SimRequest): Reply {
  if (!caller.membership.isAdmin) throw lacksPermissions();
  let body: unknown;
  try {
    body = jsonBody(req.body);
  } catch {
    throw invalidRequestBody();
  }
  const users = (body as { users?: unknown } | undefined)?.users;
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

function nonNegativeInt(value: string | null, fallback: number): number {
  if (value === null || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new RestError(400, 'INVALID_REQUEST_PARAMETER', `The request contained at least one invalid parameter. Invalid value '${value}'.`);
  return n;
}

function pageUri(q: URLSearchParams, start: number, count: number): string {
  const next = new URLSearchParams(q);
  next.set('start_position', String(start));
  next.set('count', String(count));
  return `/users?${next.toString()}`;
}
