/**
 * GitHub's GraphQL API (`POST /graphql`), only as far as the pipeline reads it: an organization's
 * SAML identity provider and its external identities, each with its SCIM and SAML attributes and
 * the GitHub account linked to it. That is how a SCIM identity (which names no account) leads to a
 * login whose org membership can be checked. The types and fields are GitHub's (GitHub Docs,
 * GraphQL reference: Organization.samlIdentityProvider, OrganizationIdentityProvider
 * .externalIdentities(first, after, last, before, login, membersOnly, userName), ExternalIdentity,
 * ExternalIdentityScimAttributes, ExternalIdentitySamlAttributes); a field the simulator does not
 * serve is answered as GitHub answers a field its schema lacks, with `errors` and no `data`.
 *
 * Who sees what: any token may name an organization; its samlIdentityProvider is visible to
 * organization owners whose token has read:org or admin:org (GitHub's GraphQL reference, and the
 * changelog of 2023-03-30, "SAMLIdentity GraphQL object now supports read scope"), and is null to
 * everyone else. Every query costs one point of the token's `graphql` budget (GitHub Docs, "Rate
 * limits and query limits for the GraphQL API": a query needing fewer than 100 requests costs 1).
 */
import { samlBlocks } from './access';
import { GitHubError } from './errors';
import { GraphQLSyntaxError, parseDocument, parseTypeRef, typeName, type Field, type Location, type Operation, type TypeRef, type Value } from './graphql-parse';
import type { Reply } from '../http/reply';
import type { Route, RouteContext } from './server';
import type { ScimIdentity } from './scim';
import { grants } from './scopes';
import type { OrgRecord, TokenRecord, UserRecord, World } from './world';

const GRAPHQL_DOCS = 'https://docs.github.com/graphql';
const GRAPHQL_AUTH_DOCS = 'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql';
/** GitHub's cap on `first` and `last` of a connection. */
const MAX_PAGE = 100;

export function graphqlRoutes(): Route[] {
  return [{ method: 'POST', template: '/graphql', acceptedScopes: [], scim: false, resource: 'graphql', handler: answer }];
}

export interface GraphQLError {
  message: string;
  type?: string;
  code?: string;
  path?: Array<string | number>;
  locations?: Location[];
  extensions?: Record<string, unknown>;
}

async function answer(ctx: RouteContext): Promise<Reply> {
  const caller = ctx.caller;
  if (!caller) throw new GitHubError(401, 'This endpoint requires you to be authenticated.', GRAPHQL_AUTH_DOCS);
  let request: { query?: unknown; variables?: unknown; operationName?: unknown };
  try {
    const text = (await ctx.body()).toString('utf8');
    request = JSON.parse(text) as typeof request;
  } catch {
    throw new GitHubError(400, 'Problems parsing JSON', GRAPHQL_DOCS);
  }
  if (typeof request !== 'object' || request === null || typeof request.query !== 'string') {
    return { status: 200, body: { errors: [{ message: 'A query attribute must be specified and must be a string.' }] } };
  }
  const variables = request.variables === undefined || request.variables === null ? {} : request.variables;
  if (typeof variables !== 'object' || Array.isArray(variables)) return { status: 200, body: { errors: [{ message: 'Variables are invalid JSON.' }] } };

  let operations: Operation[];
  try {
    operations = parseDocument(request.query);
  } catch (err) {
    if (!(err instanceof GraphQLSyntaxError)) throw err;
    return { status: 200, body: { errors: [{ message: err.message, ...(err.loc ? { locations: [err.loc] } : {}) }] } };
  }
  const named = typeof request.operationName === 'string' ? operations.find((o) => o.name === request.operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!named) {
    const message = typeof request.operationName === 'string' ? `No operation named "${request.operationName}"` : 'An operation name is required';
    return { status: 200, body: { errors: [{ message }] } };
  }
  const invalid = validate(named);
  if (invalid.length > 0) return { status: 200, body: { errors: invalid } };
  const coerced = coerceVariables(named, variables as Record<string, unknown>);
  if ('errors' in coerced) return { status: 200, body: { errors: coerced.errors } };

  const exec: Exec = { world: ctx.world, token: caller.token, user: caller.user, variables: coerced.values, errors: [], headers: {} };
  const data = completeObject(exec, 'Query', {}, named.selections, []);
  const body = { data: data === BUBBLE ? null : data, ...(exec.errors.length > 0 ? { errors: exec.errors } : {}) };
  return { status: 200, body, headers: exec.headers };
}

// ---- the schema the simulator serves ----

interface Exec {
  world: World;
  token: TokenRecord;
  user: UserRecord;
  variables: Record<string, unknown>;
  errors: GraphQLError[];
  headers: Record<string, string>;
}

type Args = Record<string, unknown>;

interface FieldDef {
  type: string;
  args?: Record<string, string>;
  /** Default: the source's property of the field's name. */
  resolve?: (source: never, args: Args, exec: Exec) => unknown;
}

/** An error of one field (GitHub's `type`: NOT_FOUND, FORBIDDEN, ...): the field is null, the rest of the answer stands. */
class FieldError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const SCALARS = new Set(['String', 'Int', 'Boolean', 'ID']);

interface IdentitySource {
  org: OrgRecord;
  identity: ScimIdentity;
}

const TYPES: Record<string, Record<string, FieldDef>> = {
  Query: {
    organization: {
      type: 'Organization',
      args: { login: 'String!' },
      resolve: (_: never, args: Args, exec: Exec) => {
        const login = String(args.login);
        const org = exec.world.org(login);
        if (!org) throw new FieldError('NOT_FOUND', `Could not resolve to an Organization with the login of '${login}'.`);
        if (samlBlocks(exec.world, org, exec.token, exec.user)) {
          // Assumption: GraphQL leaves out what SAML SSO withholds and names the org in X-GitHub-SSO, as
          // GitHub documents for answers that span organizations ("partial-results; organizations=<ids>").
          exec.headers['X-GitHub-SSO'] = `partial-results; organizations=${org.id}`;
          throw new FieldError('FORBIDDEN', 'Resource protected by organization SAML enforcement. You must grant your OAuth token access to this organization.');
        }
        return org;
      },
    },
  },
  Organization: {
    login: { type: 'String!' },
    samlIdentityProvider: {
      type: 'OrganizationIdentityProvider',
      // Every simulated org has SAML SSO (organization SCIM needs it); only owners see its provider.
      resolve: (org: never, _args: Args, exec: Exec) => (exec.world.isOwner(org as OrgRecord, exec.user.id) && grants(exec.token.scopes, 'read:org') ? { org } : null),
    },
  },
  OrganizationIdentityProvider: {
    externalIdentities: {
      type: 'ExternalIdentityConnection!',
      args: { first: 'Int', after: 'String', last: 'Int', before: 'String', login: 'String', membersOnly: 'Boolean', userName: 'String' },
      resolve: (source: never, args: Args, exec: Exec) => externalIdentities(exec, (source as { org: OrgRecord }).org, args),
    },
  },
  ExternalIdentityConnection: {
    nodes: { type: '[ExternalIdentity]' },
    edges: { type: '[ExternalIdentityEdge]' },
    pageInfo: { type: 'PageInfo!' },
    totalCount: { type: 'Int!' },
  },
  ExternalIdentityEdge: {
    cursor: { type: 'String!' },
    node: { type: 'ExternalIdentity' },
  },
  PageInfo: {
    hasNextPage: { type: 'Boolean!' },
    hasPreviousPage: { type: 'Boolean!' },
    startCursor: { type: 'String' },
    endCursor: { type: 'String' },
  },
  ExternalIdentity: {
    // Assumption: the guid is the SCIM identity's id (the pipeline does not rely on it).
    guid: { type: 'String!', resolve: (s: never) => (s as IdentitySource).identity.id },
    scimIdentity: {
      type: 'ExternalIdentityScimAttributes',
      resolve: (s: never) => {
        const { identity } = s as IdentitySource;
        return { username: identity.userName, givenName: identity.givenName, familyName: identity.familyName };
      },
    },
    // Assumption: the SAML NameID is the SCIM userName, which GitHub requires for the two to link
    // ("Troubleshooting identity and access management for your organization"); none until linked.
    samlIdentity: {
      type: 'ExternalIdentitySamlAttributes',
      resolve: (s: never, _args: Args, exec: Exec) => {
        const { org, identity } = s as IdentitySource;
        return linkedUser(exec.world, org, identity) ? { nameId: identity.userName, username: identity.userName } : null;
      },
    },
    user: { type: 'User', resolve: (s: never, _args: Args, exec: Exec) => linkedUser(exec.world, (s as IdentitySource).org, (s as IdentitySource).identity) ?? null },
  },
  ExternalIdentityScimAttributes: {
    username: { type: 'String' },
    givenName: { type: 'String' },
    familyName: { type: 'String' },
  },
  ExternalIdentitySamlAttributes: {
    nameId: { type: 'String' },
    username: { type: 'String' },
  },
  User: {
    login: { type: 'String!' },
  },
};

/**
 * The account an identity is linked to. GitHub links a SCIM identity to an account when the person
 * accepts the invitation through SAML SSO ("List SCIM provisioned identities" in GitHub's REST
 * description), so a pending invitation shows no account; a link outlives a removal made outside
 * SCIM (the same description's "stale SAML/SCIM identity").
 */
function linkedUser(world: World, org: OrgRecord, identity: ScimIdentity): UserRecord | undefined {
  if (identity.userId === undefined) return undefined;
  if (world.membership(org, identity.userId)?.state === 'pending') return undefined;
  return world.userById(identity.userId);
}

const cursorOf = (index: number) => Buffer.from(`cursor:v2:${index}`).toString('base64');
function indexOf(cursor: unknown): number {
  const m = typeof cursor === 'string' ? /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8')) : null;
  if (!m) throw new FieldError('INVALID_CURSOR_ARGUMENTS', `\`${String(cursor)}\` does not appear to be a valid cursor.`);
  return Number(m[1]);
}

function externalIdentities(exec: Exec, org: OrgRecord, args: Args): unknown {
  const { first, last } = args as { first?: number; last?: number };
  if (first === undefined && last === undefined) {
    throw new FieldError('MISSING_PAGINATION_BOUNDARIES', 'You must provide a `first` or `last` value to properly paginate the `externalIdentities` connection.');
  }
  for (const [name, n] of [
    ['first', first],
    ['last', last],
  ] as const) {
    if (n !== undefined && n > MAX_PAGE)
      throw new FieldError('EXCESSIVE_PAGINATION', `Requesting ${n} records on the \`externalIdentities\` connection exceeds the \`${name}\` limit of ${MAX_PAGE} records.`);
    if (n !== undefined && n < 0) throw new FieldError('INVALID_PAGINATION', `\`${name}\` on \`externalIdentities\` cannot be less than zero.`);
  }
  const login = typeof args.login === 'string' ? args.login.toLowerCase() : undefined;
  const userName = typeof args.userName === 'string' ? args.userName.toLowerCase() : undefined;
  const all = org.scim.list().filter((identity) => {
    const user = linkedUser(exec.world, org, identity);
    if (login !== undefined && user?.login.toLowerCase() !== login) return false;
    if (args.membersOnly === true && !(user && exec.world.isActiveMember(org, user.id))) return false;
    // The userName/NameID attribute: the SCIM userName, which is also the SAML NameID here.
    if (userName !== undefined && identity.userName.toLowerCase() !== userName) return false;
    return true;
  });
  let start = args.after !== undefined ? indexOf(args.after) + 1 : 0;
  let end = args.before !== undefined ? Math.min(indexOf(args.before), all.length) : all.length;
  if (first !== undefined) end = Math.min(end, start + first);
  if (last !== undefined) start = Math.max(start, end - last);
  const page = all.slice(start, end).map((identity, i) => ({ cursor: cursorOf(start + i), node: { org, identity } satisfies IdentitySource }));
  return {
    nodes: page.map((e) => e.node),
    edges: page,
    totalCount: all.length,
    pageInfo: { hasNextPage: end < all.length, hasPreviousPage: start > 0, startCursor: page[0]?.cursor ?? null, endCursor: page.at(-1)?.cursor ?? null },
  };
}

// ---- validation: what graphql-ruby (GitHub's server) refuses before running anything ----

function baseName(t: TypeRef): string {
  return t.kind === 'named' ? t.name : baseName(t.of);
}

function validate(op: Operation): GraphQLError[] {
  const errors: GraphQLError[] = [];
  const label = op.name ? `${op.type} ${op.name}` : op.type;
  const who = op.name ?? `anonymous ${op.type}`;
  if (op.type !== 'query') return [{ message: `The GitHub simulator serves no ${op.type}s`, locations: [op.loc], path: [label] }];
  const declared = new Map(op.variables.map((v) => [v.name, v]));
  const used = new Set<string>();

  const walk = (type: string, fields: Field[], path: string[]) => {
    for (const f of fields) {
      const key = f.alias ?? f.name;
      const here = [...path, key];
      if (f.name === '__typename') {
        if (f.selections) errors.push(selectionError(f, 'String!', here));
        continue;
      }
      const def = TYPES[type]?.[f.name];
      if (!def) {
        errors.push({ message: `Field '${f.name}' doesn't exist on type '${type}'`, locations: [f.loc], path: here, extensions: { code: 'undefinedField', typeName: type, fieldName: f.name } });
        continue;
      }
      const accepted = def.args ?? {};
      for (const a of f.args) {
        const expected = accepted[a.name];
        if (!expected) {
          errors.push({
            message: `Field '${f.name}' doesn't accept argument '${a.name}'`,
            locations: [a.loc],
            path: [...here, a.name],
            extensions: { code: 'argumentNotAccepted', name: f.name, typeName: 'Field', argumentName: a.name },
          });
          continue;
        }
        const want = parseTypeRef(expected);
        if (a.value.kind === 'variable') {
          used.add(a.value.name);
          const v = declared.get(a.value.name);
          if (!v) {
            errors.push({
              message: `Variable $${a.value.name} is used by ${who} but not declared`,
              locations: [a.value.loc],
              path: [...here, a.name],
              extensions: { code: 'variableNotDefined', variableName: a.value.name },
            });
          } else if (baseName(v.type) !== baseName(want) || v.type.kind === 'list' || (want.kind === 'nonNull' && v.type.kind !== 'nonNull' && !v.defaultValue)) {
            const kind = baseName(v.type) === baseName(want) ? 'Nullability' : 'Type';
            errors.push({
              message: `${kind} mismatch on variable $${v.name} and argument ${a.name} (${typeName(v.type)} / ${expected})`,
              locations: [a.loc],
              path: [...here, a.name],
              extensions: { code: 'variableMismatch', variableName: v.name, typeName: typeName(v.type), argumentName: a.name, errorMessage: `${kind} mismatch` },
            });
          }
        } else if (!literalFits(a.value, want)) {
          errors.push({
            message: `Argument '${a.name}' on Field '${f.name}' has an invalid value (${literalText(a.value)}). Expected type '${expected}'.`,
            locations: [a.loc],
            path: [...here, a.name],
            extensions: { code: 'argumentLiteralsIncompatible', typeName: 'Field', argumentName: a.name },
          });
        }
      }
      const missing = Object.entries(accepted)
        .filter(([name, t]) => t.endsWith('!') && !f.args.some((a) => a.name === name))
        .map(([name]) => name);
      if (missing.length > 0) {
        errors.push({
          message: `Field '${f.name}' is missing required arguments: ${missing.join(', ')}`,
          locations: [f.loc],
          path: here,
          extensions: { code: 'missingRequiredArguments', className: 'Field', name: f.name, arguments: missing.join(', ') },
        });
      }
      const base = baseName(parseTypeRef(def.type));
      if (SCALARS.has(base)) {
        if (f.selections) errors.push(selectionError(f, def.type, here));
      } else if (!f.selections) {
        errors.push({
          message: `Field must have selections (field '${f.name}' returns ${base} but has no selections. Did you mean '${f.name} { ... }'?)`,
          locations: [f.loc],
          path: here,
          extensions: { code: 'selectionMismatch', nodeName: `field '${f.name}'`, typeName: base },
        });
      } else {
        walk(base, f.selections, here);
      }
    }
  };
  walk('Query', op.selections, [label]);
  for (const v of op.variables) {
    if (!used.has(v.name)) {
      errors.push({ message: `Variable $${v.name} is declared by ${who} but not used`, locations: [v.loc], path: [label], extensions: { code: 'variableNotUsed', variableName: v.name } });
    }
  }
  return errors;
}

function selectionError(f: Field, type: string, path: string[]): GraphQLError {
  const names = (f.selections ?? []).map((s) => s.name).join(', ');
  return {
    message: `Selections can't be made on scalars (field '${f.name}' returns ${type.replace(/!$/, '')} but has selections [${names}])`,
    locations: [f.loc],
    path,
    extensions: { code: 'selectionMismatch', nodeName: `field '${f.name}'`, typeName: type.replace(/!$/, '') },
  };
}

function literalFits(v: Value, want: TypeRef): boolean {
  if (want.kind === 'nonNull') return v.kind !== 'null' && literalFits(v, want.of);
  if (v.kind === 'null') return true;
  if (want.kind === 'list') return false;
  switch (want.name) {
    case 'String':
      return v.kind === 'string';
    case 'ID':
      return v.kind === 'string' || v.kind === 'int';
    case 'Int':
      return v.kind === 'int' && Math.abs(v.value) <= 2 ** 31 - 1;
    case 'Boolean':
      return v.kind === 'boolean';
    default:
      return false;
  }
}

function literalText(v: Value): string {
  if (v.kind === 'null') return 'null';
  if (v.kind === 'variable') return `$${v.name}`;
  return v.kind === 'string' ? JSON.stringify(v.value) : String(v.value);
}

/** The variables' values, checked against their declared types (no lists: the simulator serves no list arguments). */
function coerceVariables(op: Operation, given: Record<string, unknown>): { values: Record<string, unknown> } | { errors: GraphQLError[] } {
  const values: Record<string, unknown> = {};
  const errors: GraphQLError[] = [];
  for (const v of op.variables) {
    const raw = v.name in given ? given[v.name] : v.defaultValue && v.defaultValue.kind !== 'variable' ? (v.defaultValue.kind === 'null' ? null : v.defaultValue.value) : undefined;
    const problem = (explanation: string) =>
      errors.push({
        message: `Variable $${v.name} of type ${typeName(v.type)} was provided invalid value`,
        locations: [v.loc],
        extensions: { value: raw ?? null, problems: [{ path: [], explanation }] },
      });
    if (raw === undefined || raw === null) {
      if (v.type.kind === 'nonNull') problem('Expected value to not be null');
      continue;
    }
    const base = baseName(v.type);
    const ok =
      (base === 'String' && typeof raw === 'string') ||
      (base === 'ID' && (typeof raw === 'string' || Number.isInteger(raw))) ||
      (base === 'Int' && Number.isInteger(raw) && Math.abs(raw as number) <= 2 ** 31 - 1) ||
      (base === 'Boolean' && typeof raw === 'boolean');
    if (!ok) problem(`Could not coerce value ${JSON.stringify(raw)} to ${base}`);
    else values[v.name] = base === 'ID' ? String(raw) : raw;
  }
  return errors.length > 0 ? { errors } : { values };
}

// ---- execution ----

/** A non-null field came out null: its parent is null instead (GraphQL's null propagation). */
const BUBBLE = Symbol('null');

function argValues(f: Field, exec: Exec): Args {
  const args: Args = {};
  for (const a of f.args) {
    const v = a.value;
    if (v.kind === 'variable') {
      if (v.name in exec.variables) args[a.name] = exec.variables[v.name];
    } else if (v.kind !== 'null') {
      args[a.name] = v.value;
    }
  }
  return args;
}

function completeObject(exec: Exec, type: string, source: unknown, fields: Field[], path: Array<string | number>): Record<string, unknown> | typeof BUBBLE {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const key = f.alias ?? f.name;
    if (f.name === '__typename') {
      out[key] = type;
      continue;
    }
    const def = TYPES[type]![f.name]!;
    const here = [...path, key];
    let value: unknown;
    try {
      value = def.resolve ? def.resolve(source as never, argValues(f, exec), exec) : (source as Record<string, unknown>)[f.name];
    } catch (err) {
      if (!(err instanceof FieldError)) throw err;
      exec.errors.push({ type: err.type, path: here, locations: [f.loc], message: err.message });
      value = null;
    }
    const completed = completeValue(exec, parseTypeRef(def.type), value, f, here);
    if (completed === BUBBLE) return BUBBLE;
    out[key] = completed;
  }
  return out;
}

function completeValue(exec: Exec, type: TypeRef, value: unknown, f: Field, path: Array<string | number>): unknown {
  if (type.kind === 'nonNull') {
    const inner = completeValue(exec, type.of, value, f, path);
    return inner === null || inner === undefined || inner === BUBBLE ? BUBBLE : inner;
  }
  if (value === null || value === undefined) return null;
  if (type.kind === 'list') {
    const items = (value as unknown[]).map((item, i) => completeValue(exec, type.of, item, f, [...path, i]));
    return items.includes(BUBBLE) ? null : items;
  }
  if (SCALARS.has(type.name)) return value;
  const object = completeObject(exec, type.name, value, f.selections ?? [], path);
  return object === BUBBLE ? null : object;
}
