/**
 * One Okta rate budget per worker process, shared by every activity. It learns each bucket's
 * limit, remaining and reset from the X-Rate-Limit-* headers of every answer, spends at most its
 * share of each bucket (a token gets 50% by default) and keeps at most `concurrency` requests in
 * flight. A request waits for budget instead of failing: a 429 is a failure of this pacing.
 */

export interface RateBudgetOptions {
  /** The share of each bucket this worker may spend, in (0, 1]. */
  share: number;
  /** Requests in flight at once, across every bucket. */
  concurrency: number;
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
  /** By the worker's clock, converted from Okta's X-Rate-Limit-Reset and Date. */
  resetAtMs: number;
  resetEpoch: number;
  /** Requests this worker sent in the current window. */
  spent: number;
  /** After a 429: nothing more before its own reset. */
  blockedUntilMs: number;
  inFlight: number;
}

/** Okta's rate-limit families (see docs/simulators.md): an app user's GET and POST share `/api/v1/apps`. */
export function oktaBucketOf(pathname: string): string {
  const m = /^\/api\/v1\/[^/?]+/.exec(pathname);
  return m ? m[0] : pathname;
}

export class OktaRateBudget {
  readonly stats: RateBudgetStats = { requests: 0, throttled: 0, waitedMs: 0 };
  private readonly buckets = new Map<string, Bucket>();
  private inFlight = 0;
  private wake: Array<() => void> = [];

  constructor(readonly options: RateBudgetOptions) {
    if (!(options.share > 0 && options.share <= 1)) throw new Error(`share must be in (0, 1], got ${options.share}`);
    if (!(Number.isInteger(options.concurrency) && options.concurrency >= 1)) throw new Error(`concurrency must be a positive integer, got ${options.concurrency}`);
  }

  /** Waits until `bucket` has budget and a slot is free, then takes both. */
  async acquire(bucket: string): Promise<void> {
    const started = Date.now();
    for (;;) {
      const waitMs = this.waitFor(bucket, Date.now());
      if (waitMs === 0) break;
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
    const limit = Number(headers.get('x-rate-limit-limit'));
    const remaining = Number(headers.get('x-rate-limit-remaining'));
    const reset = Number(headers.get('x-rate-limit-reset'));
    if (Number.isFinite(limit) && limit > 0) b.limit = limit;
    if (Number.isFinite(reset) && reset > 0) {
      // Okta's reset is by Okta's clock: measure it from the answer's Date, not from ours.
      const date = Date.parse(headers.get('date') ?? '');
      const resetAtMs = receivedAt + (reset * 1000 - (Number.isNaN(date) ? receivedAt : date));
      if (status === 429) b.blockedUntilMs = Math.max(b.blockedUntilMs, resetAtMs);
      // A later reset still ahead is a new window; a stale answer from the last one is not.
      if (reset > b.resetEpoch && resetAtMs > receivedAt) {
        // Okta rolled over before we did: only requests still in flight count against it so far.
        if (b.resetEpoch !== 0) b.spent = b.inFlight;
        b.resetEpoch = reset;
        b.resetAtMs = resetAtMs;
        b.remaining = undefined;
      }
    }
    if (reset === b.resetEpoch && Number.isFinite(remaining) && headers.get('x-rate-limit-remaining') !== null) {
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
