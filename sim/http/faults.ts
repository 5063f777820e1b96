/**
 * Injected failures, shared by the simulators: the next `count` requests whose path (and method,
 * if given) match fail as the spec says. Each simulator names the statuses it can play.
 */

export interface Fault<S extends number = number> {
  /** Any method when omitted. */
  method?: string;
  path: RegExp;
  status: S;
  count: number;
  /** Let this many matching requests through first (e.g. fail a resource's reads only after it was created). */
  skip?: number;
}

export class FaultInjector<F extends Fault> {
  private readonly pending: F[] = [];

  add(f: F): void {
    if (!Number.isInteger(f.count) || f.count < 1) throw new Error(`fault count must be a positive integer, got ${f.count}`);
    // A copy: the remaining count is ours to decrement.
    this.pending.push({ ...f, method: f.method?.toUpperCase() });
  }

  /** The fault this request must fail with, using up one occurrence of the first matching one. */
  take(method: string, path: string): F | undefined {
    const i = this.pending.findIndex((f) => (!f.method || f.method === method) && pathMatches(f.path, path));
    const f = this.pending[i];
    if (!f) return undefined;
    if (f.skip) {
      f.skip -= 1;
      return undefined;
    }
    f.count -= 1;
    if (f.count === 0) this.pending.splice(i, 1);
    return f;
  }

  clear(): void {
    this.pending.length = 0;
  }
}

export function pathMatches(re: RegExp, path: string): boolean {
  // A /g or /y regex keeps lastIndex between test() calls; reset it so every request is judged alike.
  re.lastIndex = 0;
  return re.test(path);
}
