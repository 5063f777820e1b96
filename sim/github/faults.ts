/** Injected failures: the next N requests whose path matches fail with a given status. */

export type FaultStatus = 401 | 403 | 429 | 500 | 502 | 503;

export interface FaultSpec {
  /** Any method when omitted. */
  method?: string;
  path: RegExp;
  status: FaultStatus;
  count: number;
}

export class FaultInjector {
  private readonly pending: FaultSpec[] = [];

  add(f: FaultSpec): void {
    if (!Number.isInteger(f.count) || f.count < 1) throw new Error(`fault count must be a positive integer, got ${f.count}`);
    // Copy: the remaining count is ours to decrement.
    this.pending.push({ ...f, method: f.method?.toUpperCase() });
  }

  /** The status the request must fail with, consuming one use of the first matching fault. */
  take(method: string, path: string): FaultStatus | undefined {
    const i = this.pending.findIndex((f) => (!f.method || f.method === method) && matches(f.path, path));
    const f = this.pending[i];
    if (!f) return undefined;
    f.count -= 1;
    if (f.count === 0) this.pending.splice(i, 1);
    return f.status;
  }
}

function matches(re: RegExp, path: string): boolean {
  // A /g or /y regex keeps lastIndex between test() calls; reset it so every request is judged alike.
  re.lastIndex = 0;
  return re.test(path);
}
