/**
 * GitHub's page-number pagination: `per_page` (default 30, at most 100) and `page` (from 1), with
 * a Link header naming the first, previous, next and last pages, which Octokit's paginate follows.
 */
export interface Page<T> {
  items: T[];
  /** The Link header, absent when everything fits on one page. */
  link?: string;
}

const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

export function paginate<T>(all: readonly T[], base: string, path: string, query: URLSearchParams): Page<T> {
  const perPage = Math.min(positive(query.get('per_page'), DEFAULT_PER_PAGE), MAX_PER_PAGE);
  const page = positive(query.get('page'), 1);
  const items = all.slice((page - 1) * perPage, page * perPage);
  const last = Math.max(1, Math.ceil(all.length / perPage));
  if (last === 1 && page === 1) return { items };
  const url = (n: number): string => {
    const q = new URLSearchParams(query);
    q.set('per_page', String(perPage));
    q.set('page', String(n));
    return `<${base}${path}?${q.toString()}>`;
  };
  const rels: string[] = [];
  if (page > 1) rels.push(`${url(Math.min(page - 1, last))}; rel="prev"`);
  if (page < last) rels.push(`${url(page + 1)}; rel="next"`, `${url(last)}; rel="last"`);
  if (page > 1) rels.push(`${url(1)}; rel="first"`);
  return { items, link: rels.join(', ') };
}

/** GitHub quietly falls back to the default for paging values it cannot use. */
function positive(raw: string | null, fallback: number): number {
  const n = Number(raw);
  return raw !== null && Number.isInteger(n) && n >= 1 ? n : fallback;
}
