/**
 * Just enough of the GraphQL language for the simulator's `POST /graphql`: one or more
 * operations with variable definitions, fields with aliases and arguments, and scalar literals or
 * variables as argument values. Fragments, directives, list and object literals are not parsed:
 * they are answered as errors (the simulator serves only the queries the pipeline sends).
 * Syntax errors are worded as graphql-ruby, GitHub's GraphQL server, words them
 * (`Parse error on "}" (RCURLY) at [1, 10]`).
 */

export interface Location {
  line: number;
  column: number;
}

export type TypeRef = { kind: 'named'; name: string } | { kind: 'list'; of: TypeRef } | { kind: 'nonNull'; of: TypeRef };

export type Value =
  | { kind: 'variable'; name: string; loc: Location }
  | { kind: 'string' | 'enum'; value: string; loc: Location }
  | { kind: 'int' | 'float'; value: number; loc: Location }
  | { kind: 'boolean'; value: boolean; loc: Location }
  | { kind: 'null'; loc: Location };

export interface Argument {
  name: string;
  value: Value;
  loc: Location;
}

export interface Field {
  alias?: string;
  name: string;
  args: Argument[];
  /** Undefined for a field written without braces. */
  selections?: Field[];
  loc: Location;
}

export interface VariableDefinition {
  name: string;
  type: TypeRef;
  defaultValue?: Value;
  loc: Location;
}

export interface Operation {
  type: 'query' | 'mutation' | 'subscription';
  name?: string;
  variables: VariableDefinition[];
  selections: Field[];
  loc: Location;
}

/** A document the simulator cannot read: GitHub answers these with `errors` and no `data`. */
export class GraphQLSyntaxError extends Error {
  constructor(
    message: string,
    readonly loc?: Location,
  ) {
    super(message);
  }
}

type TokenKind = 'punct' | 'name' | 'string' | 'int' | 'float' | 'eof';

interface Token {
  kind: TokenKind;
  value: string;
  loc: Location;
}

const PUNCT_NAMES: Record<string, string> = {
  '{': 'LCURLY',
  '}': 'RCURLY',
  '(': 'LPAREN',
  ')': 'RPAREN',
  '[': 'LBRACKET',
  ']': 'RBRACKET',
  ':': 'COLON',
  '!': 'BANG',
  $: 'VAR_SIGN',
  '=': 'EQUALS',
  '@': 'DIR_SIGN',
  '...': 'ELLIPSIS',
  '&': 'AMP',
  '|': 'PIPE',
};

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const loc = (at: number): Location => ({ line, column: at - lineStart + 1 });
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\n') {
      i += 1;
      line += 1;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === ',' || c === '\uFEFF') {
      i += 1;
      continue;
    }
    if (c === '#') {
      while (i < source.length && source[i] !== '\n') i += 1;
      continue;
    }
    const start = i;
    if (source.startsWith('...', i)) {
      tokens.push({ kind: 'punct', value: '...', loc: loc(start) });
      i += 3;
      continue;
    }
    if (c in PUNCT_NAMES) {
      tokens.push({ kind: 'punct', value: c, loc: loc(start) });
      i += 1;
      continue;
    }
    const name = /^[_A-Za-z][_0-9A-Za-z]*/.exec(source.slice(i));
    if (name) {
      tokens.push({ kind: 'name', value: name[0], loc: loc(start) });
      i += name[0].length;
      continue;
    }
    const number = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(source.slice(i));
    if (number) {
      tokens.push({ kind: number[1] || number[2] ? 'float' : 'int', value: number[0], loc: loc(start) });
      i += number[0].length;
      continue;
    }
    if (c === '"') {
      if (source.startsWith('"""', i))
        throw new GraphQLSyntaxError(`Parse error on "\\"\\"\\"" (BLOCK_STRING) at [${line}, ${start - lineStart + 1}]: block strings are not supported by the simulator`, loc(start));
      let value = '';
      i += 1;
      for (;;) {
        const ch = source[i];
        if (ch === undefined || ch === '\n') throw new GraphQLSyntaxError(`Parse error on bad Unicode escape sequence or unterminated string at [${line}, ${start - lineStart + 1}]`, loc(start));
        if (ch === '"') {
          i += 1;
          break;
        }
        if (ch === '\\') {
          const esc = source[i + 1];
          const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
          if (esc !== undefined && esc in simple) {
            value += simple[esc];
            i += 2;
            continue;
          }
          const hex = esc === 'u' ? /^[0-9A-Fa-f]{4}/.exec(source.slice(i + 2)) : null;
          if (!hex) throw new GraphQLSyntaxError(`Parse error on bad Unicode escape sequence at [${line}, ${start - lineStart + 1}]`, loc(start));
          value += String.fromCharCode(parseInt(hex[0], 16));
          i += 6;
          continue;
        }
        value += ch;
        i += 1;
      }
      tokens.push({ kind: 'string', value, loc: loc(start) });
      continue;
    }
    throw new GraphQLSyntaxError(`Parse error on "${c}" (error) at [${line}, ${start - lineStart + 1}]`, loc(start));
  }
  tokens.push({ kind: 'eof', value: '', loc: loc(i) });
  return tokens;
}

class Parser {
  private at = 0;

  constructor(private readonly tokens: Token[]) {}

  document(): Operation[] {
    const operations: Operation[] = [];
    while (this.peek().kind !== 'eof') operations.push(this.operation());
    if (operations.length === 0) throw new GraphQLSyntaxError('Unexpected end of document');
    return operations;
  }

  private operation(): Operation {
    const t = this.peek();
    if (t.kind === 'punct' && t.value === '{') return { type: 'query', variables: [], selections: this.selectionSet(), loc: t.loc };
    if (t.kind === 'name' && (t.value === 'query' || t.value === 'mutation' || t.value === 'subscription')) {
      this.next();
      const name = this.peek().kind === 'name' ? this.next().value : undefined;
      const variables = this.isPunct('(') ? this.variableDefinitions() : [];
      if (this.isPunct('@')) this.unsupported('directives');
      return { type: t.value, ...(name ? { name } : {}), variables, selections: this.selectionSet(), loc: t.loc };
    }
    if (t.kind === 'name' && t.value === 'fragment') this.unsupported('fragments');
    return this.unexpected(t);
  }

  private variableDefinitions(): VariableDefinition[] {
    this.expect('(');
    const defs: VariableDefinition[] = [];
    while (!this.isPunct(')')) {
      const loc = this.expect('$').loc;
      const name = this.expectName();
      this.expect(':');
      const type = this.typeRef();
      const defaultValue = this.isPunct('=') ? (this.next(), this.value(true)) : undefined;
      defs.push({ name, type, ...(defaultValue ? { defaultValue } : {}), loc });
    }
    this.expect(')');
    return defs;
  }

  private typeRef(): TypeRef {
    let type: TypeRef;
    if (this.isPunct('[')) {
      this.next();
      const of = this.typeRef();
      this.expect(']');
      type = { kind: 'list', of };
    } else {
      type = { kind: 'named', name: this.expectName() };
    }
    if (this.isPunct('!')) {
      this.next();
      return { kind: 'nonNull', of: type };
    }
    return type;
  }

  private selectionSet(): Field[] {
    this.expect('{');
    const fields: Field[] = [];
    while (!this.isPunct('}')) {
      if (this.isPunct('...')) this.unsupported('fragments');
      fields.push(this.field());
    }
    if (fields.length === 0) return this.unexpected(this.peek());
    this.expect('}');
    return fields;
  }

  private field(): Field {
    const loc = this.peek().loc;
    let name = this.expectName();
    let alias: string | undefined;
    if (this.isPunct(':')) {
      this.next();
      alias = name;
      name = this.expectName();
    }
    const args: Argument[] = [];
    if (this.isPunct('(')) {
      this.next();
      while (!this.isPunct(')')) {
        const argLoc = this.peek().loc;
        const argName = this.expectName();
        this.expect(':');
        args.push({ name: argName, value: this.value(false), loc: argLoc });
      }
      this.expect(')');
    }
    if (this.isPunct('@')) this.unsupported('directives');
    const selections = this.isPunct('{') ? this.selectionSet() : undefined;
    return { ...(alias ? { alias } : {}), name, args, ...(selections ? { selections } : {}), loc };
  }

  private value(constant: boolean): Value {
    const t = this.next();
    if (t.kind === 'punct' && t.value === '$' && !constant) return { kind: 'variable', name: this.expectName(), loc: t.loc };
    if (t.kind === 'string') return { kind: 'string', value: t.value, loc: t.loc };
    if (t.kind === 'int') return { kind: 'int', value: Number(t.value), loc: t.loc };
    if (t.kind === 'float') return { kind: 'float', value: Number(t.value), loc: t.loc };
    if (t.kind === 'name') {
      if (t.value === 'true' || t.value === 'false') return { kind: 'boolean', value: t.value === 'true', loc: t.loc };
      if (t.value === 'null') return { kind: 'null', loc: t.loc };
      return { kind: 'enum', value: t.value, loc: t.loc };
    }
    if (t.kind === 'punct' && (t.value === '[' || t.value === '{')) this.unsupported('list and input object values', t);
    return this.unexpected(t);
  }

  private peek(): Token {
    return this.tokens[this.at]!;
  }

  private next(): Token {
    const t = this.tokens[this.at]!;
    if (t.kind !== 'eof') this.at += 1;
    return t;
  }

  private isPunct(value: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.value === value;
  }

  private expect(value: string): Token {
    const t = this.next();
    if (t.kind !== 'punct' || t.value !== value) return this.unexpected(t);
    return t;
  }

  private expectName(): string {
    const t = this.next();
    if (t.kind !== 'name') return this.unexpected(t);
    return t.value;
  }

  private unexpected(t: Token): never {
    if (t.kind === 'eof') throw new GraphQLSyntaxError('Unexpected end of document', t.loc);
    const kind = t.kind === 'punct' ? PUNCT_NAMES[t.value]! : t.kind === 'name' ? 'IDENTIFIER' : t.kind.toUpperCase();
    throw new GraphQLSyntaxError(`Parse error on "${t.value}" (${kind}) at [${t.loc.line}, ${t.loc.column}]`, t.loc);
  }

  private unsupported(what: string, t = this.peek()): never {
    throw new GraphQLSyntaxError(`The GitHub simulator does not support ${what} (at [${t.loc.line}, ${t.loc.column}])`, t.loc);
  }
}

export function parseDocument(source: string): Operation[] {
  return new Parser(tokenize(source)).document();
}

export function typeName(t: TypeRef): string {
  return t.kind === 'named' ? t.name : t.kind === 'list' ? `[${typeName(t.of)}]` : `${typeName(t.of)}!`;
}

/** Reads a type written as the schema writes it: `String!`, `[ExternalIdentity]`. */
export function parseTypeRef(text: string): TypeRef {
  if (text.endsWith('!')) return { kind: 'nonNull', of: parseTypeRef(text.slice(0, -1)) };
  if (text.startsWith('[') && text.endsWith(']')) return { kind: 'list', of: parseTypeRef(text.slice(1, -1)) };
  return { kind: 'named', name: text };
}
