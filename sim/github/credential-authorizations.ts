/**
 * `GET /orgs/{org}/credential-authorizations` (GitHub Enterprise Cloud; Octokit's
 * `orgs.listSamlSsoAuthorizations`, or `request(...)` where the installed Octokit lacks it): the
 * credentials the org's members authorized for its SAML SSO. Owners only; a probe reads it to
 * see whether the token Okta holds is SSO-authorized, by login and the token's last eight characters.
 */
import { samlBlocks } from './access';
import { GitHubError, notFound, samlRequired } from './errors';
import { paginate } from './paging';
import type { Reply } from '../http/reply';
import type { Route, RouteContext } from './server';
import { requireCaller } from './rest-routes';
import { grants } from './scopes';
import type { SamlAuthorization, TokenRecord, UserRecord } from './world';

const DOCS = 'https://docs.github.com/enterprise-cloud@latest/rest/orgs/orgs#list-saml-sso-authorizations-for-an-organization';
export const CREDENTIAL_AUTHORIZATION_SCOPES: readonly string[] = ['admin:org', 'read:org', 'write:org'];

const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function credentialAuthorizationRoutes(): Route[] {
  return [{ method: 'GET', template: '/orgs/{org}/credential-authorizations', acceptedScopes: CREDENTIAL_AUTHORIZATION_SCOPES, scim: false, handler: list }];
}

function list(ctx: RouteContext): Reply {
  const caller = requireCaller(ctx, DOCS);
  const org = ctx.world.org(ctx.params.org ?? '');
  if (!org) throw notFound(DOCS);
  if (samlBlocks(ctx.world, org, caller.token, caller.user)) throw samlRequired(org.login);
  // Like GitHub's other org-admin endpoints, a token without an org scope just finds nothing.
  if (!grants(caller.token.scopes, 'read:org')) throw notFound(DOCS);
  // The wording of this refusal is a guess; the status is what GitHub documents for non-owners.
  if (!ctx.world.isOwner(org, caller.user.id)) throw new GitHubError(403, 'You must be an organization owner to list credential authorizations.', DOCS);

  const login = ctx.query.get('login')?.toLowerCase();
  const entries = ctx.world
    .credentialAuthorizations(org)
    .filter((e) => login === undefined || e.user.login.toLowerCase() === login)
    .map((e) => credentialAuthorization(e.token, e.user, e.authorization));
  const page = paginate(entries, ctx.base, `/orgs/${org.login}/credential-authorizations`, ctx.query);
  return { status: 200, body: page.items, ...(page.link ? { headers: { Link: page.link } } : {}) };
}

/** One entry, as GitHub answers it for an OAuth app token or a personal access token (classic). */
export function credentialAuthorization(token: TokenRecord, user: UserRecord, authorization: SamlAuthorization): Record<string, unknown> {
  const expiresAt = token.expiresAt ?? (token.invalidated === 'expired' ? token.invalidatedAt : undefined);
  return {
    login: user.login,
    credential_id: token.id,
    credential_type: token.kind === 'pat' ? 'personal access token' : 'OAuth app token',
    token_last_eight: token.value.slice(-8),
    credential_authorized_at: iso(authorization.authorizedAt),
    credential_accessed_at: token.lastUsedAt ? iso(token.lastUsedAt) : null,
    authorized_credential_id: authorization.id,
    authorized_credential_note: token.note ?? null,
    authorized_credential_expires_at: expiresAt ? iso(expiresAt) : null,
    scopes: [...token.scopes],
    // Not in GitHub's published schema, but present in its answers: which OAuth app holds the token.
    application_name: token.application?.name ?? null,
    application_client_id: token.application?.clientId ?? null,
  };
}
