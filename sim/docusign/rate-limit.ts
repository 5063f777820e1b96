/**
 * DocuSign's per-account request budgets: an hourly one that resets at the top of each clock hour
 * (X-RateLimit-*), and a 30-second burst one (X-BurstLimit-*). Every app calling the account shares
 * them, so one limiter per account, not per token.
 */

import { Windows } from '../http/windows';

export interface RateLimits {
  /** Requests per clock hour per account; DocuSign's default is 3000. */
  hourly: number;
  /** Requests per 30 s per account; DocuSign documents 200 in demo and 500 in production. */
  burst: number;
  /**
   * The HTTP status of the limit errors. DocuSign documents the error (its code and "The maximum
   * number of hourly API invocations has been exceeded"), not the status: 429 in newer answers,
   * 400 in older integrations' reports. Default 429.
   */
  status?: 400 | 429;
}

export interface RateLimitVerdict {
  allowed: boolean;
  /** Which budget ran out, when one did. */
  exceeded?: 'hourly' | 'burst';
  headers: Record<string, string>;
}

export class AccountRateLimiter {
  private readonly hourly = new Windows(3_600_000, 'on-the-clock');
  private readonly burst = new Windows(30_000, 'on-the-clock');

  constructor(readonly limits: RateLimits) {}

  /** Counts one request against the account's budgets. */
  take(accountKey: string, now = Date.now()): RateLimitVerdict {
    const hour = this.hourly.at(accountKey, now);
    const burst = this.burst.at(accountKey, now);
    hour.count += 1;
    burst.count += 1;
    const headers = {
      'X-RateLimit-Limit': String(this.limits.hourly),
      'X-RateLimit-Remaining': String(Math.max(0, this.limits.hourly - hour.count)),
      // Epoch seconds of the next top of the hour, when the hourly count starts again.
      'X-RateLimit-Reset': String(hour.end / 1000),
      'X-BurstLimit-Limit': String(this.limits.burst),
      'X-BurstLimit-Remaining': String(Math.max(0, this.limits.burst - burst.count)),
    };
    if (hour.count > this.limits.hourly) return { allowed: false, exceeded: 'hourly', headers };
    if (burst.count > this.limits.burst) return { allowed: false, exceeded: 'burst', headers };
    return { allowed: true, headers };
  }
}
