/**
 * GitHub's primary rate limit: a fixed hourly budget per credential (per client IP when
 * anonymous), reported on every response as x-ratelimit-* headers.
 */

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
    let w = this.windows.get(key);
    if (!w || now >= w.resetAt) {
      w = { used: 0, resetAt: now + HOUR_MS };
      this.windows.set(key, w);
    }
    const allowed = w.used < limit;
    if (allowed) w.used += 1;
    return { limit, remaining: limit - w.used, used: w.used, reset: Math.ceil(w.resetAt / 1000), allowed };
  }
}
