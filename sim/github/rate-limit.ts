/**
 * GitHub's primary rate limit: a fixed hourly budget per credential (per client IP when
 * anonymous) and per resource, reported on every response as x-ratelimit-* headers. GitHub meters
 * some endpoint families apart from the REST API's `core` budget; of those the simulator serves
 * SCIM, which GET /rate_limit reports as `resources.scim` (rate-limit-overview in GitHub's
 * description, contracts/github/).
 */

/** The buckets the simulator meters: `core` for the REST API, `scim` for organization SCIM. */
export type RateResource = 'core' | 'scim';

export interface RateLimitState {
  limit: number;
  remaining: number;
  used: number;
  /** Epoch seconds at which the window resets. */
  reset: number;
  allowed: boolean;
}

const HOUR_MS = 3_600_000;

export class RateLimiter {
  private readonly windows = new Map<string, { used: number; resetAt: number }>();

  /** Counts one request against `key`. A refused request is not counted: used stays at the limit. */
  take(key: string, limit: number, now = Date.now()): RateLimitState {
    const w = this.window(key, now);
    const allowed = w.used < limit;
    if (allowed) w.used += 1;
    return { limit, remaining: limit - w.used, used: w.used, reset: Math.ceil(w.resetAt / 1000), allowed };
  }

  /** The budget of `key` without counting a request (what GET /rate_limit shows). */
  peek(key: string, limit: number, now = Date.now()): RateLimitState {
    const w = this.window(key, now);
    return { limit, remaining: Math.max(0, limit - w.used), used: w.used, reset: Math.ceil(w.resetAt / 1000), allowed: w.used < limit };
  }

  private window(key: string, now: number): { used: number; resetAt: number } {
    let w = this.windows.get(key);
    if (!w || now >= w.resetAt) {
      w = { used: 0, resetAt: now + HOUR_MS };
      this.windows.set(key, w);
    }
    return w;
  }
}
