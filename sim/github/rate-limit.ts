/**
 * GitHub's primary rate limit: a fixed hourly budget per credential (per client IP when
 * anonymous) and per resource, reported on every response as x-ratelimit-* headers. GitHub meters
 * some endpoint families apart from the REST API's `core` budget; of those the simulator serves
 * SCIM and GraphQL, which GET /rate_limit reports as `resources.scim` and `resources.graphql`
 * (rate-limit-overview in GitHub's description, contracts/github/).
 */

import { Windows } from '../http/windows';

/** The buckets the simulator meters: `core` for the REST API, `scim` for organization SCIM, `graphql` for `POST /graphql` (one point a query). */
export type RateResource = 'core' | 'scim' | 'graphql';

export interface RateLimitState {
  limit: number;
  remaining: number;
  used: number;
  /** Epoch seconds at which the window resets. */
  reset: number;
  allowed: boolean;
}

export class RateLimiter {
  private readonly windows: Windows;

  constructor(windowMs = 3_600_000) {
    if (!(Number.isInteger(windowMs) && windowMs >= 100)) throw new Error(`rateWindowMs must be a whole number of milliseconds, at least 100, got ${windowMs}`);
    this.windows = new Windows(windowMs);
  }

  /** Counts one request against `key`. A refused request is not counted: used stays at the limit. */
  take(key: string, limit: number, now = Date.now()): RateLimitState {
    const w = this.windows.at(key, now);
    const allowed = w.count < limit;
    if (allowed) w.count += 1;
    return { limit, remaining: limit - w.count, used: w.count, reset: Math.ceil(w.end / 1000), allowed };
  }

  /** The budget of `key` without counting a request (what GET /rate_limit shows). */
  peek(key: string, limit: number, now = Date.now()): RateLimitState {
    const w = this.windows.at(key, now);
    return { limit, remaining: Math.max(0, limit - w.count), used: w.count, reset: Math.ceil(w.end / 1000), allowed: w.count < limit };
  }
}
