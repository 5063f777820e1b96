/**
 * Okta's rate limits as a real org applies them (sources in docs/simulators.md):
 * - per-minute buckets per endpoint family, whatever the method: an app user's GET and POST
 *   spend the same `/api/v1/apps` budget, `/api/v1/logs` has its own;
 * - one API token (a "principal") may use only a share of each bucket, 50% by default;
 * - the org caps concurrent requests; the first request past the cap gets a 429;
 * - every answer carries the bucket's X-Rate-Limit-Limit / -Remaining / -Reset (epoch seconds).
 */

import { Windows } from '../http/windows';

export interface BucketRule {
  /** The family as Okta's rate-limit dashboard names it. */
  name: string;
  pattern: RegExp;
  /** Requests per window for the whole org. */
  limit: number;
}

export interface RateLimitOptions {
  /** Per bucket and window; default 600 (a large org's `/api/v1/apps` figure; set your org's). */
  limit?: number;
  /** The System Log's bucket; default 120 (Workforce orgs). */
  logsLimit?: number;
  windowMs?: number;
  /** The share of each bucket one token may use; default 0.5 (Okta's default principal rate limit). */
  tokenShare?: number;
  /** Concurrent requests the org answers; default 75 (Okta's figure for API traffic). */
  concurrency?: number;
}

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Epoch seconds at which the window resets (the X-Rate-Limit-Reset header). */
  reset: number;
  allowed: boolean;
  /** Why a request was refused: the bucket, this token's share of it, or the org's concurrency cap. */
  refused?: 'bucket' | 'token_share' | 'concurrency';
}

/** Families in the order they are matched; anything else falls in its `/api/v1/<resource>` family. */
function bucketRules(limit: number, logsLimit: number): BucketRule[] {
  return [
    { name: '/api/v1/logs', pattern: /^\/api\/v1\/logs(\/|$)/, limit: logsLimit },
    { name: '/api/v1/apps', pattern: /^\/api\/v1\/apps(\/|$)/, limit },
    { name: '/api/v1/users', pattern: /^\/api\/v1\/users(\/|$)/, limit },
  ];
}

export class RateLimiter {
  private readonly rules: BucketRule[];
  private readonly tokenShare: number;
  readonly concurrency: number;
  private readonly limit: number;
  private readonly windows: Windows;
  private inFlight = 0;

  constructor(opts: RateLimitOptions = {}) {
    this.limit = opts.limit ?? 600;
    this.windows = new Windows(opts.windowMs ?? 60_000);
    this.tokenShare = opts.tokenShare ?? 0.5;
    this.concurrency = opts.concurrency ?? 75;
    this.rules = bucketRules(this.limit, opts.logsLimit ?? Math.min(this.limit, 120));
    if (!(this.tokenShare > 0 && this.tokenShare <= 1)) throw new Error(`tokenShare must be in (0, 1], got ${this.tokenShare}`);
  }

  bucketOf(path: string): { name: string; limit: number } {
    const rule = this.rules.find((r) => r.pattern.test(path));
    if (rule) return rule;
    const family = /^\/api\/v1\/[^/]+/.exec(path)?.[0] ?? '(other)';
    return { name: family, limit: this.limit };
  }

  /**
   * Counts one request by `token` against its path's bucket and takes a concurrency slot; call
   * `release()` once it is answered (also when it was refused).
   */
  take(path: string, token: string, now = Date.now()): RateLimitState {
    const bucket = this.bucketOf(path);
    const w = this.windows.at(bucket.name, now);
    this.inFlight += 1;
    const mine = w.by.get(token) ?? 0;
    const share = Math.max(1, Math.floor(bucket.limit * this.tokenShare));
    const refused: RateLimitState['refused'] = this.inFlight > this.concurrency ? 'concurrency' : w.count >= bucket.limit ? 'bucket' : mine >= share ? 'token_share' : undefined;
    if (!refused) {
      w.count += 1;
      w.by.set(token, mine + 1);
    }
    return { limit: bucket.limit, remaining: Math.max(0, bucket.limit - w.count), reset: Math.ceil(w.end / 1000), allowed: !refused, refused };
  }

  release(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }
}
