/**
 * Who may do what in an organization. The HTTP routes and the Okta integration's health verdict
 * both ask here, so "would Okta's push work" can never disagree with what the API answers.
 */
import { grants } from './scopes';
import type { OrgRecord, TokenRecord, UserRecord, World } from './world';

export type ScimDenial = 'saml_authorization_missing' | 'not_org_owner' | 'missing_scope';

/**
 * SAML enforcement applies to the org's members: their tokens must be authorized for the org's
 * SSO before they reach anything in it. Non-members are not asked to SSO; they just see less.
 */
export function samlBlocks(world: World, org: OrgRecord, token: TokenRecord, user: UserRecord): boolean {
  return org.samlEnforced && world.isActiveMember(org, user.id) && !token.samlAuthorizations.has(org.id);
}

/** Org SCIM needs an active owner's token with admin:org, SAML-authorized where enforced. */
export function scimDenial(world: World, org: OrgRecord, token: TokenRecord, user: UserRecord): ScimDenial | undefined {
  if (samlBlocks(world, org, token, user)) return 'saml_authorization_missing';
  if (!world.isOwner(org, user.id)) return 'not_org_owner';
  if (!grants(token.scopes, 'admin:org')) return 'missing_scope';
  return undefined;
}

/** Reading someone's org membership needs an org-reading scope. */
export const MEMBERSHIP_SCOPES: readonly string[] = ['admin:org', 'read:org', 'repo', 'user', 'write:org'];
export const SCIM_SCOPES: readonly string[] = ['admin:org'];
