/**
 * What an org SCIM provision or deprovision does on GitHub: the identity is created (or, for an
 * existing userName, updated) and, when a GitHub account with that email exists, linked to it
 * and invited to the org; removing the identity removes the linked account from the org.
 */
import type { ScimIdentity, ScimSeed } from './scim';
import type { OrgRecord, World } from './world';

export function provision(world: World, org: OrgRecord, seed: ScimSeed, now = new Date()): ScimIdentity {
  const identity = org.scim.upsert(seed, now);
  if (identity.userId === undefined) {
    const account = world.userByEmail(seed.email);
    if (account) identity.userId = account.id;
  }
  // The invitation: the user becomes a member once they accept it through SAML SSO.
  if (identity.userId !== undefined && !org.members.has(identity.userId)) {
    org.members.set(identity.userId, { role: 'member', state: 'pending' });
  }
  return identity;
}

export function deprovision(org: OrgRecord, identity: ScimIdentity): void {
  org.scim.remove(identity.id);
  if (identity.userId !== undefined) org.members.delete(identity.userId);
}
