/**
 * Fixed-window request counters, the rate-limit bookkeeping the three services share. A window of
 * a key opens at its first request (Okta, GitHub) or on a multiple of its length (DocuSign's clock
 * hours and 30-s bursts) and counts until it ends; what counts, and what is refused, is each
 * service's own rule.
 */
export interface Window {
  start: number;
  end: number;
  count: number;
  /** Counts within the window by a sub-key (Okta's per-token share of a bucket). */
  by: Map<string, number>;
}

export class Windows {
  private readonly byKey = new Map<string, Window>();

  constructor(
    private readonly ms: number,
    private readonly opens: 'at-first-request' | 'on-the-clock' = 'at-first-request',
  ) {}

  /** The window of `key` that holds `now`: a fresh one once the last has ended. */
  at(key: string, now = Date.now()): Window {
    let w = this.byKey.get(key);
    if (!w || now >= w.end) {
      const start = this.opens === 'on-the-clock' ? Math.floor(now / this.ms) * this.ms : now;
      w = { start, end: start + this.ms, count: 0, by: new Map() };
      this.byKey.set(key, w);
    }
    return w;
  }
}
