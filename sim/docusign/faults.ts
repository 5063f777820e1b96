/** Injected failures: the next `count` requests whose path (and method, if given) match fail with `status`. */

export type FaultStatus = 401 | 429 | 500 | 503;

export interface FaultSpec {
  path: RegExp;
  status: FaultStatus;
  count: number;
  method?: string;
  /**
   * For 429: when the hourly budget starts again (X-RateLimit-Reset), from now. Default: the next
   * top of the hour, as DocuSign answers; a short one plays a limit hit just before the hour ends.
   */
  resetInMs?: number;
}

export class FaultInjector {
  private readonly pending: FaultSpec[] = [];

  add(f: FaultSpec): void {
    if (!Number.isInteger(f.count) || f.count < 1) throw new Error(`fault count must be a positive integer, got ${f.count}`);
    // A copy: the remaining count is ours to decrement.
    this.pending.push({ ...f, method: f.method?.toUpperCase() });
  }

  /** The fault this request must fail with, using up one occurrence of the first matching one. */
  take(method: string, path: string): Pick<FaultSpec, 'status' | 'resetInMs'> | undefined {
    const i = this.pending.findIndex((f) => (!f.method || f.method === method) && test(f.path, path));
    const f = this.pending[i];
    if (!f) return undefined;
    f.count -= 1;
    if (f.count === 0) this.pending.splice(i, 1);
    return { status: f.status, resetInMs: f.resetInMs };
  }

  clear(): void {
    this.pending.length = 0;
  }
}

function test(re: RegExp, path: string): boolean {
  // A /g or /y regex keeps lastIndex between calls; reset it so every request is judged alike.
  re.lastIndex = 0;
  return re.test(path);
}
