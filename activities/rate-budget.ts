/**
 * One rate budget per service per worker process, shared by every activity. It learns each
 * bucket's limit, remaining and reset from the rate-limit headers of every answer (Okta's
 * X-Rate-Limit-*, GitHub's and DocuSign's X-RateLimit-*), spends at most its share of each bucket
 * (an Okta token gets 50% by default) and keeps at most `concurrency` requests in flight. A
 * request waits for budget instead of failing: a 429 is a failure of this pacing. A wait longer
 * than `maxWaitMs` (a vendor's hourly window) is not spent inside an activity: `acquire` throws
 * BudgetSpent, and the call is tried again on a durable timer at the reset.
 */

export interface RateBudgetOptions {
  /** The share of each bucket this worker may spend, in (0, 1]. */
  share: number;
  /** Requests in flight at once, across every bucket. */
  concurrency: number;
  /** The headers' prefix: `x-rate-limit` (Okta, the default) or `x-ratelimit` (GitHub, DocuSign). */
  headerPrefix?: 'x-rate-limit' | 'x-ratelimit';
  /** The longest wait spent inside a call; none: any. */
  maxWaitMs?: number;
}

/**
 * The vendors' budgets (hourly windows): a share of the limit (GitHub's is shared by all of a
 * user's tokens, DocuSign's by every integration of the account), a few requests at once
 * (GitHub's secondary limits punish more), and waits of up to 20 s inside a call.
 */
export const VENDOR_PACING = { share: 0.5, concurrency: 4, maxWaitMs: 20_000, headerPrefix: 'x-ratelimit' } as const;

/** A plain header record (Octokit's, axios') as the budget reads headers. */
export const headersOf = (h: Record<string, unknown> | undefined) => ({ get: (name: string) => (h?.[name] === undefined ? null : String(h[name])) });

/** The budget of a bucket is spent until `resetAtMs`, too far off to wait for inside a call. */
export class BudgetSpent extends Error {
  constructor(
    readonly bucket: string,
    readonly resetAtMs: number,
  ) {
    super(`the worker's share of the ${bucket} rate limit is spent until ${new Date(resetAtMs).toISOString()}`);
  }
}

export interface RateBudgetStats {
  requests: number;
  /** 429 answers: each one is a pacing failure, retried after its reset. */
  throttled: number;
  /** Time requests spent waiting for budget. */
  waitedMs: number;
}

interface Bucket {
  /** Learned from X-Rate-Limit-Limit; until then one request at a time finds it out. */
  limit?: number;
  /** The org-wide remaining, as last seen in this window. */
  remaining?: number;
  /** By the worker's clock, converted from the service's reset header and Date. */
  resetAtMs: number;
  resetEpoch: number;
  /** Requests this worker sent in the current window. */
  spent: number;
  /** After a 429: nothing more before its own reset. */
  blockedUntilMs: number;
  inFlight: number;
}

export class RateBudget {
  readonly stats: RateBudgetStats = { requests: 0, throttled: 0, waitedMs: 0 };
  private readonly buckets = new Map<string, Bucket>();
  private inFlight = 0;
  private wake: Array<() => void> = [];
  private readonly prefix: string;

  constructor(readonly options: RateBudgetOptions) {
    if (!(options.share > 0 && options.share <= 1)) throw new Error(`share must be in (0, 1], got ${options.share}`);
    if (!(Number.isInteger(options.concurrency) && options.concurrency >= 1)) throw new Error(`concurrency must be a positive integer, got ${options.concurrency}`);
    this.prefix = options.headerPrefix ?? 'x-rate-limit';
  }

  /** Waits until `bucket` has budget and a slot is free, then takes both. */
  async acquire(bucket: string): Promise<void> {
    const started = Date.now();
    for (;;) {
      const waitMs = this.waitFor(bucket, Date.now());
      if (waitMs === 0) break;
      if (this.options.maxWaitMs !== undefined && waitMs > this.options.maxWaitMs) throw new BudgetSpent(bucket, Date.now() + waitMs);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(waitMs, 1000));
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wake.push(done);
      });
    }
    const b = this.bucket(bucket);
    b.spent += 1;
    b.inFlight += 1;
    this.inFlight += 1;
    this.stats.requests += 1;
    this.stats.waitedMs += Date.now() - started;
  }

  /** Records an answer's headers (any status) and frees the request's slot. */
  release(bucket: string, headers: { get(name: string): string | null }, status: number, receivedAt = Date.now()): void {
    const b = this.bucket(bucket);
    b.inFlight = Math.max(0, b.inFlight - 1);
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (status === 429) this.stats.throttled += 1;
    const limit = Number(headers.get(`${this.prefix}-limit`));
    const remaining = Number(headers.get(`${this.prefix}-remaining`));
    const reset = Number(headers.get(`${this.prefix}-reset`));
    if (Number.isFinite(limit) && limit > 0) b.limit = limit;
    // A Retry-After (GitHub's secondary limits) says when to try again; else the window's reset does.
    const retryAfterMs = Number(headers.get('retry-after')) * 1000;
    if (status === 429 && retryAfterMs > 0) b.blockedUntilMs = Math.max(b.blockedUntilMs, receivedAt + retryAfterMs);
    if (Number.isFinite(reset) && reset > 0) {
      // The reset is by the service's clock: measure it from the answer's Date, not from ours.
      const date = Date.parse(headers.get('date') ?? '');
      const resetAtMs = receivedAt + (reset * 1000 - (Number.isNaN(date) ? receivedAt : date));
      if (status === 429 && !retryAfterMs) b.blockedUntilMs = Math.max(b.blockedUntilMs, resetAtMs);
      // A later reset still ahead is a new window; a stale answer from the last one is not.
      if (reset > b.resetEpoch && resetAtMs > receivedAt) {
        // The service rolled over before we did: only requests still in flight count against it so far.
        if (b.resetEpoch !== 0) b.spent = b.inFlight;
        b.resetEpoch = reset;
        b.resetAtMs = resetAtMs;
        b.remaining = undefined;
      }
    }
    if (reset === b.resetEpoch && Number.isFinite(remaining) && headers.get(`${this.prefix}-remaining`) !== null) {
      b.remaining = b.remaining === undefined ? remaining : Math.min(b.remaining, remaining);
    }
    const waiting = this.wake;
    this.wake = [];
    for (const w of waiting) w();
  }

  /** How long until `bucket` may take one more request (0: now). */
  private waitFor(name: string, now: number): number {
    const b = this.bucket(name);
    if (now >= b.resetAtMs && b.resetEpoch > 0) {
      b.spent = b.inFlight;
      b.remaining = undefined;
      b.resetEpoch = 0;
    }
    if (now < b.blockedUntilMs) return b.blockedUntilMs - now;
    if (this.inFlight >= this.options.concurrency) return 1000; // woken by a release
    if (b.limit === undefined) return b.inFlight > 0 ? 1000 : 0; // one request learns the limits
    const allowance = Math.max(1, Math.floor(b.limit * this.options.share));
    const untilReset = Math.max(1, b.resetAtMs - now);
    if (b.spent >= allowance) return untilReset;
    if (b.remaining !== undefined && b.remaining - b.inFlight <= 0) return untilReset;
    return 0;
  }

  private bucket(name: string): Bucket {
    let b = this.buckets.get(name);
    if (!b) {
      b = { resetAtMs: 0, resetEpoch: 0, spent: 0, inFlight: 0, blockedUntilMs: 0 };
      this.buckets.set(name, b);
    }
    return b;
  }
}
