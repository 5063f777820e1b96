/**
 * Okta's SCIM-like filter expressions (`filter=` on the System Log and app lists):
 * `attr op "value"`, `attr pr`, `and`, `or` and parentheses, over dotted attribute paths.
 * An array along a path (target.id) matches if any element matches. String comparisons ignore
 * case, as SCIM specifies for attributes that are not case-exact.
 */

export class FilterSyntaxError extends Error {
  override name = 'FilterSyntaxError';
}

export type Predicate = (subject: unknown) => boolean;

type Literal = string | number | boolean | null;
type Token = { kind: '(' | ')' } | { kind: 'string'; value: string } | { kind: 'word'; value: string };

const COMPARATORS = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const ATTRIBUTE = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

/**
 * Compiles `expr`. `roots`, when given, are the attribute names allowed at the start of a path;
 * anything else is a syntax error, as Okta rejects filters on attributes it does not know.
 */
export function parseFilter(expr: string, roots?: ReadonlySet<string>): Predicate {
  const tokens = tokenize(expr);
  let pos = 0;

  const peekWord = (): string | undefined => {
    const t = tokens[pos];
    return t?.kind === 'word' ? t.value.toLowerCase() : undefined;
  };

  const parseOr = (): Predicate => {
    const parts = [parseAnd()];
    while (peekWord() === 'or') {
      pos += 1;
      parts.push(parseAnd());
    }
    return parts.length === 1 ? parts[0]! : (s) => parts.some((p) => p(s));
  };

  const parseAnd = (): Predicate => {
    const parts = [parseFactor()];
    while (peekWord() === 'and') {
      pos += 1;
      parts.push(parseFactor());
    }
    return parts.length === 1 ? parts[0]! : (s) => parts.every((p) => p(s));
  };

  const parseFactor = (): Predicate => {
    const t = tokens[pos];
    if (!t) throw new FilterSyntaxError('unexpected end of filter');
    if (t.kind === '(') {
      pos += 1;
      const inner = parseOr();
      if (tokens[pos]?.kind !== ')') throw new FilterSyntaxError('missing )');
      pos += 1;
      return inner;
    }
    if (t.kind !== 'word' || !ATTRIBUTE.test(t.value)) throw new FilterSyntaxError(`expected an attribute at token ${pos + 1}`);
    const path = t.value.split('.');
    if (roots && !roots.has(path[0]!)) throw new FilterSyntaxError(`unknown attribute ${t.value}`);
    pos += 1;
    const op = peekWord();
    if (!op) throw new FilterSyntaxError(`expected an operator after ${t.value}`);
    pos += 1;
    if (op === 'pr') return (s) => valuesAt(s, path).some((v) => v !== null && v !== undefined);
    if (!COMPARATORS.has(op)) throw new FilterSyntaxError(`unknown operator ${op}`);
    const literal = parseLiteral();
    return comparison(op, path, literal);
  };

  const parseLiteral = (): Literal => {
    const t = tokens[pos];
    pos += 1;
    if (t?.kind === 'string') return t.value;
    if (t?.kind === 'word') {
      if (t.value === 'true') return true;
      if (t.value === 'false') return false;
      if (t.value === 'null') return null;
      if (/^-?\d+(\.\d+)?$/.test(t.value)) return Number(t.value);
    }
    throw new FilterSyntaxError('expected a value: a "quoted string", number, true, false or null');
  };

  const predicate = parseOr();
  if (pos !== tokens.length) throw new FilterSyntaxError(`unexpected token ${pos + 1}`);
  return predicate;
}

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c });
      i += 1;
    } else if (c === '"') {
      let value = '';
      i += 1;
      for (;;) {
        const d = expr[i];
        if (d === undefined) throw new FilterSyntaxError('unterminated string');
        i += 1;
        if (d === '"') break;
        if (d === '\\') {
          const escaped = expr[i];
          if (escaped === undefined) throw new FilterSyntaxError('unterminated string');
          value += escaped;
          i += 1;
        } else {
          value += d;
        }
      }
      tokens.push({ kind: 'string', value });
    } else {
      const start = i;
      while (i < expr.length && !/[\s()"]/.test(expr[i]!)) i += 1;
      tokens.push({ kind: 'word', value: expr.slice(start, i) });
    }
  }
  if (tokens.length === 0) throw new FilterSyntaxError('empty filter');
  return tokens;
}

/** Every value at `path`, descending into arrays at any step. */
function valuesAt(subject: unknown, path: string[]): unknown[] {
  let current: unknown[] = [subject];
  for (const key of path) {
    const next: unknown[] = [];
    for (const v of current.flatMap((c) => (Array.isArray(c) ? c : [c]))) {
      if (v !== null && typeof v === 'object' && key in v) next.push((v as Record<string, unknown>)[key]);
    }
    current = next;
  }
  return current.flatMap((c) => (Array.isArray(c) ? c : [c]));
}

function comparison(op: string, path: string[], literal: Literal): Predicate {
  const test = (v: unknown): boolean => {
    if (typeof v === 'string' && typeof literal === 'string') {
      const a = v.toLowerCase();
      const b = literal.toLowerCase();
      switch (op) {
        case 'eq':
          return a === b;
        case 'co':
          return a.includes(b);
        case 'sw':
          return a.startsWith(b);
        case 'ew':
          return a.endsWith(b);
        case 'gt':
          return a > b;
        case 'ge':
          return a >= b;
        case 'lt':
          return a < b;
        case 'le':
          return a <= b;
      }
      return false;
    }
    if (typeof v === 'number' && typeof literal === 'number') {
      switch (op) {
        case 'eq':
          return v === literal;
        case 'gt':
          return v > literal;
        case 'ge':
          return v >= literal;
        case 'lt':
          return v < literal;
        case 'le':
          return v <= literal;
      }
      return false;
    }
    return op === 'eq' && v === literal;
  };
  if (op === 'ne') {
    const eq = comparison('eq', path, literal);
    return (s) => !eq(s);
  }
  return (s) => valuesAt(s, path).some(test);
}
