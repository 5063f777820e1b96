/** The REST endpoints the pipeline probes with its own token: who am I, who is X (by login or id), is X an owner. */
import { MEMBERSHIP_SCOPES, samlBlocks } from './access';
import { notFound, requiresAuthentication, samlRequired } from './errors';
import { authenticatedUser, membership, publicUser } from './render';
import type { Caller, Route, RouteContext } from './server';
import { grants, grantsAny } from './scopes';

const USER_DOCS = 'https://docs.github.com/rest/users/users#get-the-authenticated-user';
const USERS_DOCS = 'https://docs.github.com/rest/users/users#get-a-user';
const USER_BY_ID_DOCS = 'https://docs.github.com/rest/users/users#get-a-user-using-their-id';
const MEMBERSHIP_DOCS = 'https://docs.github.com/rest/orgs/members#get-organization-membership-for-a-user';

export function restRoutes(): Route[] {
  return [
    {
      method: 'GET',
      template: '/user',
      acceptedScopes: [],
      scim: false,
      handler: (ctx) => {
        const caller = requireCaller(ctx, USER_DOCS);
        return { status: 200, body: authenticatedUser(ctx.base, caller.user, grants(caller.token.scopes, 'user')) };
      },
    },
    {
      method: 'GET',
      template: '/users/{username}',
      acceptedScopes: [],
      scim: false,
      handler: (ctx) => {
        const user = ctx.world.user(ctx.params.username ?? '');
        // Suspended accounts are hidden from everyone else, as deleted ones are.
        if (!user || user.suspendedAt) throw notFound(USERS_DOCS);
        return { status: 200, body: publicUser(ctx.base, user) };
      },
    },
    {
      // The durable id outlives renames: how a probe finds an account whose login changed.
      method: 'GET',
      template: '/user/{account_id}',
      acceptedScopes: [],
      scim: false,
      handler: (ctx) => {
        const raw = ctx.params.account_id ?? '';
        const user = /^[1-9]\d{0,15}$/.test(raw) ? ctx.world.userById(Number(raw)) : undefined;
        if (!user || user.suspendedAt) throw notFound(USER_BY_ID_DOCS);
        return { status: 200, body: publicUser(ctx.base, user) };
      },
    },
    {
      method: 'GET',
      template: '/orgs/{org}/memberships/{username}',
      acceptedScopes: MEMBERSHIP_SCOPES,
      scim: false,
      handler: getMembership,
    },
  ];
}

/**
 * Visible to the org's active members (pending ones only to owners) and to the user themselves.
 * Everything GitHub will not show comes back as 404, including a token without an org scope,
 * so "not a member" and "cannot see" look alike; X-Accepted-OAuth-Scopes is the hint.
 */
function getMembership(ctx: RouteContext): { status: number; body: unknown } {
  const caller = requireCaller(ctx, MEMBERSHIP_DOCS);
  const org = ctx.world.org(ctx.params.org ?? '');
  if (!org) throw notFound(MEMBERSHIP_DOCS);
  if (samlBlocks(ctx.world, org, caller.token, caller.user)) throw samlRequired(org.login);
  if (!grantsAny(caller.token.scopes, MEMBERSHIP_SCOPES)) throw notFound(MEMBERSHIP_DOCS);

  const target = ctx.world.user(ctx.params.username ?? '');
  if (!target || target.suspendedAt) throw notFound(MEMBERSHIP_DOCS);
  const m = ctx.world.membership(org, target.id);
  if (!m) throw notFound(MEMBERSHIP_DOCS);

  const self = target.id === caller.user.id;
  if (!self && !ctx.world.isActiveMember(org, caller.user.id)) throw notFound(MEMBERSHIP_DOCS);
  if (!self && m.state === 'pending' && !ctx.world.isOwner(org, caller.user.id)) throw notFound(MEMBERSHIP_DOCS);
  return { status: 200, body: membership(ctx.base, org, target, m) };
}

export function requireCaller(ctx: RouteContext, docs: string): Caller {
  if (!ctx.caller) throw requiresAuthentication(docs);
  return ctx.caller;
}
