/**
 * The System Log store and Okta's query semantics for `GET /api/v1/logs`:
 * - a query with `until` is bounded: [since, until) of `published`, and the next link stops once
 *   it is exhausted;
 * - a query without `until` (and sortOrder ASCENDING) is a polling query: `since` bounds the
 *   persistence time (when the event was written, which can be after its `published`), and it
 *   always returns a next link, even on an empty page, whose cursor picks up events written later.
 *   (Okta's API description, listLogEvents: `since` and `until`.)
 * The `after` cursor is the sequence number of the last event returned (opaque to clients).
 */
import { invalidSearch, validationFailed } from './errors';
import { FilterSyntaxError, parseFilter, type Predicate } from './filter';
import type { LogEvent } from './types';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const DEFAULT_LOOKBACK_MS = 7 * 24 * 3_600_000;
const MAX_KEYWORDS = 10;
const MAX_KEYWORD_LENGTH = 40;

/** Top-level LogEvent properties a filter may start with. */
const FILTER_ROOTS: ReadonlySet<string> = new Set([
  'actor',
  'authenticationContext',
  'client',
  'debugContext',
  'displayMessage',
  'eventType',
  'legacyEventType',
  'outcome',
  'published',
  'request',
  'securityContext',
  'severity',
  'target',
  'transaction',
  'uuid',
  'version',
]);

export interface LogPage {
  events: LogEvent[];
  /** The cursor for the next link, or undefined when a bounded query is exhausted. */
  nextAfter?: string;
}

interface Stored {
  seq: number;
  /** `published` */
  at: number;
  /** When it was written here. */
  persistedAt: number;
  event: LogEvent;
}

export class SystemLog {
  private readonly stored: Stored[] = [];
  private seq = 0;

  append(event: LogEvent): void {
    this.seq += 1;
    this.stored.push({ seq: this.seq, at: Date.parse(event.published), persistedAt: Date.now(), event });
  }

  all(): LogEvent[] {
    return this.stored.map((s) => structuredClone(s.event));
  }

  /** Runs a query given Okta's query parameters; throws OktaError (400) on bad parameters. */
  query(params: URLSearchParams, now = Date.now()): LogPage {
    const until = optionalTime(params, 'until');
    const since = optionalTime(params, 'since') ?? (until ?? now) - DEFAULT_LOOKBACK_MS;
    const order = params.get('sortOrder') ?? 'ASCENDING';
    if (order !== 'ASCENDING' && order !== 'DESCENDING') {
      throw validationFailed('sortOrder', 'sortOrder must be ASCENDING or DESCENDING');
    }
    const limit = parseLimit(params.get('limit'));
    const after = parseAfter(params.get('after'));
    const matches = compileFilter(params.get('filter'));
    const keywords = parseKeywords(params.get('q'));
    // Okta only polls in ascending order; a descending query without until ends at "now".
    const polling = until === undefined && order === 'ASCENDING';
    const upper = until ?? now;

    const ascending = order === 'ASCENDING';
    const candidates = this.stored.filter(
      (s) =>
        (polling ? s.persistedAt : s.at) >= since &&
        (polling || s.at < upper) &&
        (after === undefined || (ascending ? s.seq > after : s.seq < after)) &&
        matches(s.event) &&
        hasKeywords(s.event, keywords),
    );
    if (!ascending) candidates.reverse();
    const page = candidates.slice(0, limit);
    const last = page[page.length - 1];
    const events = page.map((s) => structuredClone(s.event));
    if (polling) return { events, nextAfter: String(last?.seq ?? after ?? 0) };
    return { events, nextAfter: candidates.length > page.length && last ? String(last.seq) : undefined };
  }
}

function optionalTime(params: URLSearchParams, name: 'since' | 'until'): number | undefined {
  const raw = params.get(name);
  if (raw === null) return undefined;
  const t = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(t)) {
    throw validationFailed(name, `${name}: '${raw}' is not an ISO 8601 timestamp`);
  }
  return t;
}

function parseLimit(raw: string | null): number {
  if (raw === null) return DEFAULT_LIMIT;
  if (!/^\d+$/.test(raw)) throw validationFailed('limit', `limit: '${raw}' is not an integer between 0 and ${MAX_LIMIT}`);
  return Math.min(Number(raw), MAX_LIMIT);
}

function parseAfter(raw: string | null): number | undefined {
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw)) throw validationFailed('after', `after: '${raw}' is not a cursor this server issued`);
  return Number(raw);
}

function compileFilter(raw: string | null): Predicate {
  if (raw === null || raw.trim() === '') return () => true;
  try {
    return parseFilter(raw, FILTER_ROOTS);
  } catch (err) {
    if (err instanceof FilterSyntaxError) throw invalidSearch(`filter: ${err.message}`);
    throw err;
  }
}

function parseKeywords(raw: string | null): string[] {
  if (raw === null) return [];
  const words = raw
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
  if (words.length > MAX_KEYWORDS || words.some((w) => w.length > MAX_KEYWORD_LENGTH)) {
    throw validationFailed('q', `q: at most ${MAX_KEYWORDS} keywords of at most ${MAX_KEYWORD_LENGTH} characters`);
  }
  return words;
}

/** `q` keywords must each appear (case-insensitively) in some string value of the event. */
function hasKeywords(event: LogEvent, keywords: string[]): boolean {
  if (keywords.length === 0) return true;
  const text: string[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === 'string') text.push(v.toLowerCase());
    else if (v && typeof v === 'object') Object.values(v).forEach(collect);
  };
  collect(event);
  return keywords.every((k) => text.some((t) => t.includes(k)));
}
