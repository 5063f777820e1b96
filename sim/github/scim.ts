/**
 * An organization's SCIM identities: what Okta creates when it provisions a user and removes when
 * it deprovisions one. Okta sends its user id as the identity's externalId, and its username as
 * userName. userName and emails compare without case (SCIM's default for strings that are not
 * caseExact); id and externalId compare exactly.
 */
import { ScimError } from './errors';
import { scimId } from './ids';

export interface ScimSeed {
  userName: string;
  email: string;
  givenName: string;
  familyName: string;
  externalId?: string;
}

export interface ScimIdentity {
  id: string;
  userName: string;
  email: string;
  givenName: string;
  familyName: string;
  externalId: string | null;
  active: boolean;
  created: Date;
  lastModified: Date;
  /** The GitHub account the identity is linked to (matched by email), if any. */
  userId?: number;
}

export type ScimPredicate = (identity: ScimIdentity) => boolean;

export class ScimDirectory {
  private readonly byId = new Map<string, ScimIdentity>();

  /**
   * Creates the identity, or updates the person's own one (a profile push): the one with the same
   * externalId (Okta's user id; Okta updates the identity it created even after the username
   * changed), else the one with the same userName.
   */
  upsert(seed: ScimSeed, now = new Date()): ScimIdentity {
    const existing = (seed.externalId !== undefined ? this.findByExternalId(seed.externalId) : undefined) ?? this.findByUserName(seed.userName);
    if (existing) {
      Object.assign(existing, fields(seed), { active: true, lastModified: now });
      return existing;
    }
    const identity: ScimIdentity = { id: scimId(), ...fields(seed), active: true, created: now, lastModified: now };
    this.byId.set(identity.id, identity);
    return identity;
  }

  get(id: string): ScimIdentity | undefined {
    return this.byId.get(id);
  }

  findByUserName(userName: string): ScimIdentity | undefined {
    const wanted = userName.toLowerCase();
    return [...this.byId.values()].find((i) => i.userName.toLowerCase() === wanted);
  }

  findByExternalId(externalId: string): ScimIdentity | undefined {
    return [...this.byId.values()].find((i) => i.externalId === externalId);
  }

  remove(id: string): ScimIdentity | undefined {
    const identity = this.byId.get(id);
    this.byId.delete(id);
    return identity;
  }

  /** Oldest first, so startIndex pages are stable while nothing changes. */
  list(predicate: ScimPredicate = () => true): ScimIdentity[] {
    return [...this.byId.values()].filter(predicate).sort((a, b) => a.created.getTime() - b.created.getTime());
  }

  /** Forget a deleted GitHub account: the identity stays, unlinked, as it does on GitHub. */
  unlinkUser(userId: number): void {
    for (const identity of this.byId.values()) if (identity.userId === userId) delete identity.userId;
  }
}

function fields(seed: ScimSeed): Omit<ScimIdentity, 'id' | 'active' | 'created' | 'lastModified'> {
  return {
    userName: seed.userName,
    email: seed.email,
    givenName: seed.givenName,
    familyName: seed.familyName,
    externalId: seed.externalId ?? null,
  };
}

/**
 * GitHub's organization SCIM filter: a single `attribute eq "value"` on id, userName, emails or
 * externalId. Anything else is a 400 invalidFilter, as SCIM prescribes.
 */
export function parseScimFilter(filter: string): ScimPredicate {
  const m = /^\s*([A-Za-z_.]+)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i.exec(filter);
  if (!m) throw new ScimError(400, `Unsupported filter: ${filter}`, 'invalidFilter');
  const attribute = (m[1] ?? '').toLowerCase();
  const value = (m[2] ?? '').replace(/\\(.)/g, '$1');
  const folded = value.toLowerCase();
  switch (attribute) {
    case 'id':
      return (i) => i.id === value;
    case 'externalid':
    case 'external_id':
      return (i) => i.externalId === value;
    case 'username':
      return (i) => i.userName.toLowerCase() === folded;
    case 'emails':
    case 'emails.value':
      return (i) => i.email.toLowerCase() === folded;
    default:
      throw new ScimError(400, `Unsupported filter attribute: ${m[1] ?? ''}`, 'invalidFilter');
  }
}
