/**
 * Okta failures as Temporal sees them. Rate limits wait for Okta's reset time; 5xx answers, timeouts
 * and network errors are `OktaUnavailable`, retried by the activity's policy and then met by the
 * workflow with a pause of the phase when Okta does not answer at all; a bad token or an unknown app stops the
 * workflow with a message that says what to do. Messages carry Okta's summary, never a secret.
 */
import { ApplicationFailure } from '@temporalio/common';
import { OktaTokenRefused } from './service-app-token';

export const UNKNOWN_APP = 'UnknownOktaApp';
export const OKTA_ACCESS_DENIED = 'OktaAccessDenied';
export const OKTA_REJECTED_REQUEST = 'OktaRejectedRequest';
/** Okta has no such object (an app user unassigned meanwhile, a deleted user): asking again cannot help. */
export const OKTA_NOT_FOUND = 'OktaNotFound';
/** Okta did not answer usefully (5xx, a timeout, no connection): about Okta, not about a user. */
export const OKTA_UNAVAILABLE = 'OktaUnavailable';

interface OktaApiErrorLike {
  status: number;
  errorCode?: string;
  errorSummary?: string;
  headers?: { get?(name: string): string | null } | Record<string, string>;
}

export function isOktaApiError(err: unknown): err is OktaApiErrorLike {
  return typeof err === 'object' && err !== null && ['OktaApiError', 'HttpError'].includes((err as { name?: string }).name ?? '') && typeof (err as OktaApiErrorLike).status === 'number';
}

export function isNotFound(err: unknown): boolean {
  return isOktaApiError(err) && err.status === 404;
}

function header(err: OktaApiErrorLike, name: string): string | undefined {
  const h = err.headers;
  if (!h) return undefined;
  if (typeof (h as { get?: unknown }).get === 'function') return (h as { get(n: string): string | null }).get(name) ?? undefined;
  return (h as Record<string, string>)[name];
}

/** What an OAuth access token's refusal says in WWW-Authenticate (RFC 6750 §3): the error, why, and the scope the call needs. */
function challengeOf(err: OktaApiErrorLike): string {
  const challenge = header(err, 'www-authenticate');
  if (!challenge) return '';
  const param = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(challenge)?.[1];
  const error = param('error');
  if (!error) return '';
  const scope = error === 'insufficient_scope' ? param('scope') : undefined;
  return ` (${error}: ${param('error_description') ?? ''}${scope ? ` It needs the scope ${scope}: grant it on the service app's Okta API Scopes tab and add it to OKTA_SCOPES.` : ''})`;
}

/** How long until Okta's rate-limit window resets, from `X-Rate-Limit-Reset` (epoch seconds). */
export function rateLimitDelayMs(err: OktaApiErrorLike, now: Date): number {
  const reset = Number(header(err, 'x-rate-limit-reset'));
  if (!Number.isFinite(reset) || reset <= 0) return 1_000;
  return Math.min(Math.max(reset * 1000 - now.getTime(), 250), 60_000) + 250;
}

/** Map any error from an Okta call to what Temporal should do about it. */
/** A request that got no answer: refused or reset connections, DNS, node-fetch's timeouts. */
function isNetworkError(err: unknown): err is Error {
  const e = err as { name?: string; type?: string; code?: string } | null;
  return !!e && (e.name === 'FetchError' || e.type === 'request-timeout' || /^(ECONN|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EPIPE|UND_ERR)/.test(e.code ?? ''));
}

export function toActivityFailure(err: unknown, what: string, now = new Date()): unknown {
  if (isNetworkError(err)) return ApplicationFailure.create({ message: `${what}: no answer from Okta (${err.message})`, type: OKTA_UNAVAILABLE });
  if (err instanceof OktaTokenRefused) {
    if (err.status === 429) return ApplicationFailure.create({ message: `${what}: ${err.message}`, type: 'OktaRateLimited', nextRetryDelay: 1_000 });
    if (err.status >= 500 || err.status === 0) return ApplicationFailure.create({ message: `${what}: ${err.message}`, type: OKTA_UNAVAILABLE });
    return ApplicationFailure.nonRetryable(`${what}: ${err.message}`, OKTA_ACCESS_DENIED);
  }
  if (!isOktaApiError(err)) return err; // programming errors: retried by the policy
  const summary = `Okta answered HTTP ${err.status} ${err.errorCode ?? ''} ${err.errorSummary ?? ''}`.replace(/\s+/g, ' ').trim() + challengeOf(err);
  if (err.status === 429) {
    return ApplicationFailure.create({
      message: `${what}: rate limited by Okta; retrying after the limit resets`,
      type: 'OktaRateLimited',
      nextRetryDelay: rateLimitDelayMs(err, now),
    });
  }
  if (err.status === 403 && err.errorCode === 'E0000006') {
    return ApplicationFailure.nonRetryable(
      `${what}: ${summary}. Okta's admin roles do not allow the pipeline this call: assign its service app a role that does (Applications > the app > Admin roles tab; the README lists the least), or use an API token of an admin who may.`,
      OKTA_ACCESS_DENIED,
    );
  }
  if (err.status === 401 || err.status === 403) {
    return ApplicationFailure.nonRetryable(`${what}: ${summary}. Okta rejected the pipeline's own credential: check OKTA_API_TOKEN (or the OAuth app's scopes) on the worker.`, OKTA_ACCESS_DENIED);
  }
  if (err.status === 404) return ApplicationFailure.nonRetryable(`${what}: ${summary}`, OKTA_NOT_FOUND);
  if (err.status >= 400 && err.status < 500) return ApplicationFailure.nonRetryable(`${what}: ${summary}`, OKTA_REJECTED_REQUEST);
  return ApplicationFailure.create({ message: `${what}: ${summary}`, type: OKTA_UNAVAILABLE });
}
