/**
 * JSON shapes as GitHub returns them. API links point at the simulator (so a client can follow
 * them); html_url stays on github.com because it names a web page, not an API resource.
 */
import { nodeId } from './ids';
import type { ScimIdentity } from './scim';
import type { Membership, OrgRecord, UserRecord } from './world';

export const SCIM_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const SCIM_LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function simpleUser(base: string, u: UserRecord): Record<string, unknown> {
  const url = `${base}/users/${u.login}`;
  return {
    login: u.login,
    id: u.id,
    node_id: nodeId('User', u.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
    gravatar_id: '',
    url,
    html_url: `https://github.com/${u.login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: u.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

/** `GET /users/{username}`. */
export function publicUser(base: string, u: UserRecord): Record<string, unknown> {
  return {
    ...simpleUser(base, u),
    name: u.name,
    company: null,
    blog: '',
    location: null,
    email: u.email,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: iso(u.createdAt),
    updated_at: iso(u.updatedAt),
  };
}

/** `GET /user`: private profile fields only for tokens with the `user` scope, as GitHub documents. */
export function authenticatedUser(base: string, u: UserRecord, withPrivate: boolean): Record<string, unknown> {
  if (!withPrivate) return publicUser(base, u);
  return {
    ...publicUser(base, u),
    user_view_type: 'private',
    notification_email: u.email,
    private_gists: 0,
    total_private_repos: 0,
    owned_private_repos: 0,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: true,
    plan: { name: 'free', space: 976562499, collaborators: 0, private_repos: 10000 },
  };
}

export function simpleOrg(base: string, o: OrgRecord): Record<string, unknown> {
  const url = `${base}/orgs/${o.login}`;
  return {
    login: o.login,
    id: o.id,
    node_id: nodeId('Organization', o.id),
    url,
    repos_url: `${url}/repos`,
    events_url: `${url}/events`,
    hooks_url: `${url}/hooks`,
    issues_url: `${url}/issues`,
    members_url: `${url}/members{/member}`,
    public_members_url: `${url}/public_members{/member}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${o.id}?v=4`,
    description: null,
  };
}

/** `GET /orgs/{org}/memberships/{username}`. */
export function membership(base: string, o: OrgRecord, u: UserRecord, m: Membership): Record<string, unknown> {
  return {
    url: `${base}/orgs/${o.login}/memberships/${u.login}`,
    state: m.state,
    role: m.role,
    organization_url: `${base}/orgs/${o.login}`,
    organization: simpleOrg(base, o),
    user: simpleUser(base, u),
  };
}

export interface ScimUserResource {
  schemas: string[];
  id: string;
  externalId: string | null;
  userName: string;
  displayName: string;
  name: { givenName: string; familyName: string; formatted: string };
  emails: Array<{ value: string; primary: boolean; type: string }>;
  active: boolean;
  meta: { resourceType: 'User'; created: string; lastModified: string; location: string };
}

export function scimUser(base: string, o: OrgRecord, i: ScimIdentity): ScimUserResource {
  return {
    schemas: [SCIM_USER_SCHEMA],
    id: i.id,
    externalId: i.externalId,
    userName: i.userName,
    displayName: `${i.givenName} ${i.familyName}`,
    name: { givenName: i.givenName, familyName: i.familyName, formatted: `${i.givenName} ${i.familyName}` },
    emails: [{ value: i.email, primary: true, type: 'work' }],
    active: i.active,
    meta: {
      resourceType: 'User',
      created: iso(i.created),
      lastModified: iso(i.lastModified),
      location: `${base}/scim/v2/organizations/${o.login}/Users/${i.id}`,
    },
  };
}

export function scimList(resources: unknown[], total: number, startIndex: number): Record<string, unknown> {
  return {
    schemas: [SCIM_LIST_SCHEMA],
    totalResults: total,
    itemsPerPage: resources.length,
    startIndex,
    Resources: resources,
  };
}
