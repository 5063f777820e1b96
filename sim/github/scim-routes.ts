/**
 * Organization SCIM, the API Okta provisions through: list (with filter and paging), get and
 * delete identities. Only an active org owner's token with admin:org gets in, SAML-authorized
 * where the org enforces SSO.
 */
import { scimDenial, SCIM_SCOPES } from './access';
import { samlRequired, ScimError } from './errors';
import { deprovision } from './provisioning';
import { scimList, scimUser } from './render';
import type { Route, RouteContext } from './server';
import { parseScimFilter, type ScimIdentity } from './scim';
import { requireCaller } from './rest-routes';
import type { OrgRecord } from './world';

const SCIM_AUTH_DOCS = 'https://docs.github.com/enterprise-cloud@latest/rest/scim/scim';
/** GitHub does not document a default page size; 100 is what its other list endpoints cap at. */
const DEFAULT_COUNT = 100;

export function scimRoutes(): Route[] {
  const base = '/scim/v2/organizations/{org}/Users';
  return [
    { method: 'GET', template: base, acceptedScopes: SCIM_SCOPES, scim: true, handler: listUsers },
    { method: 'GET', template: `${base}/{scim_user_id}`, acceptedScopes: SCIM_SCOPES, scim: true, handler: getUser },
    { method: 'DELETE', template: `${base}/{scim_user_id}`, acceptedScopes: SCIM_SCOPES, scim: true, handler: deleteUser },
  ];
}

function listUsers(ctx: RouteContext): { status: number; body: unknown } {
  const org = authorizedOrg(ctx);
  const filter = ctx.query.get('filter');
  const startIndex = positiveInt(ctx.query.get('startIndex'), 'startIndex', 1, 1);
  const count = positiveInt(ctx.query.get('count'), 'count', DEFAULT_COUNT, 0);
  const matching = org.scim.list(filter ? parseScimFilter(filter) : undefined);
  const page = matching.slice(startIndex - 1, startIndex - 1 + count).map((i) => scimUser(ctx.base, org, i));
  return { status: 200, body: scimList(page, matching.length, startIndex) };
}

function getUser(ctx: RouteContext): { status: number; body: unknown } {
  const org = authorizedOrg(ctx);
  return { status: 200, body: scimUser(ctx.base, org, identity(ctx, org)) };
}

function deleteUser(ctx: RouteContext): { status: number } {
  const org = authorizedOrg(ctx);
  deprovision(org, identity(ctx, org));
  return { status: 204 };
}

function authorizedOrg(ctx: RouteContext): OrgRecord {
  const caller = requireCaller(ctx, SCIM_AUTH_DOCS);
  const org = ctx.world.org(ctx.params.org ?? '');
  if (!org) throw new ScimError(404, `Organization '${ctx.params.org ?? ''}' not found`);
  switch (scimDenial(ctx.world, org, caller.token, caller.user)) {
    case 'saml_authorization_missing':
      // GitHub's SSO gate: its message and X-GitHub-SSO header, in the SCIM error shape (server.ts).
      throw samlRequired(org.login);
    case 'not_org_owner':
      throw new ScimError(403, `You must be an owner of the organization '${org.login}' to use SCIM.`);
    case 'missing_scope':
      throw new ScimError(
        403,
        `Your token has not been granted the required scopes to execute this query. The 'admin:org' scope is required, but your token has only been granted the [${caller.token.scopes.map((s) => `'${s}'`).join(', ')}] scopes.`,
      );
    case undefined:
      return org;
  }
}

function identity(ctx: RouteContext, org: OrgRecord): ScimIdentity {
  const id = ctx.params.scim_user_id ?? '';
  const found = org.scim.get(id);
  if (!found) throw new ScimError(404, `Resource ${id} not found.`);
  return found;
}

/** RFC 7644 §3.4.2.4: startIndex below 1 means 1, a negative count means 0; junk is a 400. */
function positiveInt(raw: string | null, name: string, fallback: number, min: number): number {
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new ScimError(400, `${name} must be an integer`, 'invalidValue');
  return Math.max(min, n);
}
