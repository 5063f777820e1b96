/**
 * Vendor HTTP failures as Temporal sees them: rate limits wait for the vendor's reset time, 5xx
 * and network errors are retried, a refused credential stops with the settings to check. Only the
 * status and the vendor's own error code travel: request objects carry Authorization headers.
 */
import { ApplicationFailure } from '@temporalio/common';
import { BudgetSpent } from '../rate-budget';

export const VENDOR_ACCESS_DENIED = 'VendorAccessDenied';

export interface HttpFailure {
  status?: number;
  code?: string;
  message?: string;
  headers: Record<string, string | undefined>;
}

/** Reads docusign-esign (superagent/axios-style) and Octokit errors alike. */
export function httpFailure(err: unknown): HttpFailure {
  const e = err as { status?: number; response?: { status?: number; data?: unknown; body?: unknown; headers?: Record<string, string | undefined> } };
  const status = e.response?.status ?? (typeof e.status === 'number' ? e.status : undefined);
  let body = e.response?.data ?? e.response?.body;
  if (body instanceof ArrayBuffer || Object.prototype.toString.call(body) === '[object ArrayBuffer]') {
    body = Buffer.from(body as ArrayBuffer).toString('utf8');
  }
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      body = undefined;
    }
  }
  const b = (body ?? {}) as { errorCode?: string; error?: string; message?: string; error_description?: string; detail?: string };
  return {
    status,
    code: b.errorCode ?? b.error,
    message: b.message ?? b.error_description ?? b.detail,
    headers: e.response?.headers ?? {},
  };
}

/** DocuSign's burst window: 30 seconds (DocuSign Developer, "API resource limits"). */
const BURST_WINDOW_MS = 30_000;
export const isBurstLimited = (f: HttpFailure) => f.code === 'BURST_APIINVOCATION_LIMIT_EXCEEDED';

function retryDelayMs(f: HttpFailure, now: Date): number | undefined {
  // The burst window, not the hourly reset the answer's X-RateLimit-Reset names.
  if (isBurstLimited(f)) return BURST_WINDOW_MS;
  const retryAfter = Number(f.headers['retry-after']);
  if (Number.isFinite(retryAfter) && retryAfter > 0) return retryAfter * 1000;
  const reset = Number(f.headers['x-ratelimit-reset']);
  // Up to an hour: GitHub's and DocuSign's windows are hourly.
  if (Number.isFinite(reset) && reset > 0) return Math.min(Math.max(reset * 1000 - now.getTime(), 250), 3_600_000);
  return undefined;
}

export function describeFailure(f: HttpFailure): string {
  return [f.status ? `HTTP ${f.status}` : 'no answer', f.code, f.message].filter(Boolean).join(' ');
}

/**
 * DocuSign's limit errors: it documents the codes and the words ("The maximum number of hourly API
 * invocations has been exceeded"), not the status, which has been 429 and 400.
 */
const RATE_LIMIT_CODES = new Set(['HOURLY_APIINVOCATION_LIMIT_EXCEEDED', 'BURST_APIINVOCATION_LIMIT_EXCEEDED']);

/** A rate limit, whatever the status: a 429, DocuSign's codes, GitHub's 403 that says so. */
export function isRateLimited(f: HttpFailure): boolean {
  return f.status === 429 || RATE_LIMIT_CODES.has(f.code ?? '') || /maximum number of .*API invocations/i.test(f.message ?? '') || (f.status === 403 && /rate limit/i.test(f.message ?? ''));
}

/** True for answers that mean "your credential is not accepted". */
export function isAccessDenied(f: HttpFailure): boolean {
  return (f.status === 401 || f.status === 403) && !isRateLimited(f);
}

export function vendorFailure(vendor: string, what: string, err: unknown, settings: string, now = new Date()): ApplicationFailure {
  // Nothing was sent: the worker's share of the vendor's limit is spent until its reset.
  if (err instanceof BudgetSpent)
    return ApplicationFailure.create({ message: `${what}: ${err.message}; tried again then`, type: `${vendor}RateLimited`, nextRetryDelay: Math.max(250, err.resetAtMs - now.getTime()) });
  const f = httpFailure(err);
  if (isRateLimited(f)) {
    return ApplicationFailure.create({ message: `${what}: rate limited by ${vendor}; retrying`, type: `${vendor}RateLimited`, nextRetryDelay: retryDelayMs(f, now) });
  }
  if (isAccessDenied(f)) {
    return ApplicationFailure.nonRetryable(`${what}: ${vendor} refused the pipeline's credential (${describeFailure(f)}): check ${settings}.`, VENDOR_ACCESS_DENIED);
  }
  if (f.status && f.status >= 400 && f.status < 500) {
    return ApplicationFailure.nonRetryable(`${what}: ${vendor} answered ${describeFailure(f)}`, `${vendor}RejectedRequest`);
  }
  return ApplicationFailure.create({ message: `${what}: ${vendor} answered ${describeFailure(f)}`, type: `${vendor}Unavailable` });
}
