/** Counting the requests a simulator recorded, as tests do. */
import { pathMatches } from './faults';

export interface RequestFilter {
  /** Any method when omitted. */
  method?: string;
  path?: RegExp;
}

export function countRequests(log: ReadonlyArray<{ method: string; path: string }>, filter: RequestFilter = {}): number {
  const method = filter.method?.toUpperCase();
  return log.filter((r) => (!method || r.method === method) && (!filter.path || pathMatches(filter.path, r.path))).length;
}
