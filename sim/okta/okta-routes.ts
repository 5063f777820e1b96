/** The Okta management API routes the simulator serves, at Okta's paths and with Okta's answers. */
import { invalidSearch, notFound, validationFailed } from './errors';
import { FilterSyntaxError, parseFilter, type Predicate } from './filter';
import type { Org, PushUpdate } from './org';
import { links, pageAfter, parseLimit } from './pagination';
import { renderApp, renderAppUser, renderConnection, renderProvisioningFeature, renderUser } from './render';
import type { Route, RouteContext } from './server';

/** The properties Okta lets `filter` use on the app list, plus label and signOnMode. */
const APP_FILTER_ROOTS: ReadonlySet<string> = new Set(['id', 'name', 'label', 'status', 'signOnMode', 'credentials', 'settings']);

export function oktaRoutes(org: Org, orgName: string): Route[] {
  const param = (ctx: RouteContext, name: string): string => ctx.params[name] ?? '';

  return [
    {
      method: 'GET',
      template: '/api/v1/apps',
      handler: (ctx) => {
        const q = ctx.query.get('q')?.toLowerCase();
        const matches = appFilter(ctx.query.get('filter'));
        const apps = org
          .listApps()
          .filter((a) => !q || a.name.toLowerCase().startsWith(q) || a.label.toLowerCase().startsWith(q))
          .map((a) => ({ seq: a.seq, json: renderApp(a, ctx.base, orgName) }))
          .filter((a) => matches(a.json));
        const limit = parseLimit(ctx.query.get('limit'), { default: 200, max: 200 });
        const { page, nextAfter } = pageAfter(apps, ctx.query.get('after'), limit);
        return { status: 200, body: page.map((a) => a.json), headers: { Link: links(ctx.base, ctx.path, ctx.query, nextAfter) } };
      },
    },
    {
      method: 'GET',
      template: '/api/v1/apps/{appId}',
      handler: (ctx) => ({ status: 200, body: renderApp(org.app(param(ctx, 'appId')), ctx.base, orgName) }),
    },
    {
      method: 'GET',
      template: '/api/v1/apps/{appId}/features',
      handler: (ctx) => {
        const app = org.app(param(ctx, 'appId'));
        // Assumption: an app whose provisioning was never set up lists no USER_PROVISIONING feature.
        const features = app.provisioning === 'not_set_up' ? [] : [renderProvisioningFeature(app, ctx.base)];
        return { status: 200, body: features, headers: { Link: links(ctx.base, ctx.path, ctx.query, undefined) } };
      },
    },
    {
      method: 'GET',
      template: '/api/v1/apps/{appId}/features/{name}',
      handler: (ctx) => {
        const app = org.app(param(ctx, 'appId'));
        const name = param(ctx, 'name');
        // Simulated apps push users to the vendor (USER_PROVISIONING) but never import from it.
        if (name !== 'USER_PROVISIONING' || app.provisioning === 'not_set_up') throw notFound(name, 'AppFeature');
        return { status: 200, body: renderProvisioningFeature(app, ctx.base) };
      },
    },
    {
      method: 'GET',
      template: '/api/v1/apps/{appId}/connections/default',
      handler: (ctx) => ({ status: 200, body: renderConnection(org.app(param(ctx, 'appId')), ctx.base) }),
    },
    {
      method: 'GET',
      template: '/api/v1/apps/{appId}/users',
      handler: (ctx) => {
        const app = org.app(param(ctx, 'appId'));
        const q = ctx.query.get('q')?.toLowerCase();
        const users = [...app.users.values()].filter(
          (u) => !q || [u.userName, u.profile.firstName, u.profile.lastName, u.profile.email].some((v) => typeof v === 'string' && v.toLowerCase().startsWith(q)),
        );
        const limit = parseLimit(ctx.query.get('limit'), { default: 50, max: 500 });
        const { page, nextAfter } = pageAfter(users, ctx.query.get('after'), limit);
        return {
          status: 200,
          body: page.map((u) => renderAppUser(app, u, ctx.base)),
          headers: { Link: links(ctx.base, ctx.path, ctx.query, nextAfter) },
        };
      },
    },
    {
      // The assignment: Okta answers with the new app user (SYNCING) and provisions in the background.
      method: 'POST',
      template: '/api/v1/apps/{appId}/users',
      handler: (ctx) => {
        const app = org.app(param(ctx, 'appId'));
        const { userId, update } = assignRequest(ctx.body);
        const record = org.beginAssign(app.id, userId, update);
        return { status: 200, body: renderAppUser(app, record, ctx.base) };
      },
    },
    {
      // The unassignment: 204 at once; the deactivation at the vendor is a background job.
      method: 'DELETE',
      template: '/api/v1/apps/{appId}/users/{userId}',
      handler: (ctx) => {
        org.beginUnassign(org.app(param(ctx, 'appId')).id, param(ctx, 'userId'));
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      template: '/api/v1/apps/{appId}/users/{userId}',
      handler: (ctx) => {
        const app = org.app(param(ctx, 'appId'));
        return { status: 200, body: renderAppUser(app, org.appUser(app.id, param(ctx, 'userId')), ctx.base) };
      },
    },
    {
      // The push: Okta accepts the update, shows SYNCING, and provisions in the background.
      method: 'POST',
      template: '/api/v1/apps/{appId}/users/{userId}',
      handler: (ctx) => {
        const app = org.app(param(ctx, 'appId'));
        const record = org.beginPush(app.id, param(ctx, 'userId'), pushUpdate(ctx.body));
        return { status: 200, body: renderAppUser(app, record, ctx.base) };
      },
    },
    {
      method: 'GET',
      template: '/api/v1/users/{userId}',
      handler: (ctx) => {
        const user = org.findUser(param(ctx, 'userId'));
        if (!user) throw notFound(param(ctx, 'userId'), 'User');
        return { status: 200, body: renderUser(user, ctx.base) };
      },
    },
    {
      method: 'GET',
      template: '/api/v1/logs',
      handler: (ctx) => {
        const { events, nextAfter } = org.log.query(ctx.query);
        return { status: 200, body: events, headers: { Link: links(ctx.base, ctx.path, ctx.query, nextAfter) } };
      },
    },
  ];
}

function appFilter(raw: string | null): Predicate {
  if (raw === null || raw.trim() === '') return () => true;
  try {
    return parseFilter(raw, APP_FILTER_ROOTS);
  } catch (err) {
    if (err instanceof FilterSyntaxError) throw invalidSearch(`filter: ${err.message}`);
    throw err;
  }
}

/** The body of `assignUserToApplication` (AppUserAssignRequest): an AppUser that names the Okta user. */
function assignRequest(body: unknown): { userId: string; update: PushUpdate } {
  const update = pushUpdate(body);
  const { id, scope } = body as { id?: unknown; scope?: unknown };
  if (typeof id !== 'string' || id === '') throw validationFailed('id', 'id is required: the Okta user to assign');
  // Group-scoped assignments come from group rules, not from this endpoint.
  if (scope !== undefined && scope !== 'USER') throw validationFailed('scope', "scope must be 'USER'");
  return { userId: id, update };
}

/** The body of `updateApplicationUser`: an AppUser carrying a profile and/or credentials. */
function pushUpdate(body: unknown): PushUpdate {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw validationFailed('appUser', 'the body must be an application user object');
  }
  const { profile, credentials } = body as { profile?: unknown; credentials?: { userName?: unknown } };
  if (profile !== undefined && (profile === null || typeof profile !== 'object' || Array.isArray(profile))) {
    throw validationFailed('profile', 'profile must be an object');
  }
  const userName = credentials?.userName;
  if (userName !== undefined && (typeof userName !== 'string' || userName.length === 0)) {
    throw validationFailed('credentials.userName', 'userName must be a non-empty string');
  }
  return { profile: profile as Record<string, unknown> | undefined, userName };
}
