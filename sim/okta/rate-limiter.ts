/** Fixed-window request budgets, one per bucket, like Okta's per-endpoint rate limits. */

export interface RateLimitOptions {
  limit: number;
  windowMs: number;
}

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Epoch seconds at which the window resets (the X-Rate-Limit-Reset header). */
  reset: number;
  allowed: boolean;
}

export class RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly opts: RateLimitOptions) {}

  /** Counts one request against `bucket`. */
  take(bucket: string, now = Date.now()): RateLimitState {
    let w = this.windows.get(bucket);
    if (!w || now >= w.resetAt) {
      w = { count: 0, resetAt: now + this.opts.windowMs };
      this.windows.set(bucket, w);
    }
    w.count += 1;
    return {
      limit: this.opts.limit,
      remaining: Math.max(0, this.opts.limit - w.count),
      reset: Math.ceil(w.resetAt / 1000),
      allowed: w.count <= this.opts.limit,
    };
  }
}
