/**
 * Simulator-only endpoints (not Okta's API) that stand in for what an admin does in the console
 * or what happens in the world: re-authenticate (with the settings typed) or break an app's credential, assign or unassign
 * a user, approve a person's sign-in at the verification page, and a view of the whole state. The CLI and the demo drive the simulator through these.
 */
import { validationFailed } from './errors';
import type { AdminRef, Org, ProvisioningState, PushCapabilities, UnchangedPost } from './org';
import { renderAppUser } from './render';
import type { Route, RouteContext } from './server';

export interface SimState {
  apps: Array<{
    id: string;
    name: string;
    label: string;
    credentialValid: boolean;
    users: Array<{ id: string; login: string; status: string; syncState: string; lastSync?: string }>;
  }>;
}

/** What the verification page does when a person allows (or denies) a device sign-in code. */
export type ApproveSignIn = (userCode: string, login: string, opts: { deny?: boolean }) => void;

export function adminRoutes(org: Org, approveSignIn: ApproveSignIn): Route[] {
  const appId = (ctx: RouteContext): string => ctx.params.appId ?? '';
  const userId = (ctx: RouteContext): string => ctx.params.userId ?? '';

  return [
    {
      method: 'POST',
      template: '/sim/v1/apps/{appId}/reauth',
      handler: (ctx) => {
        const { admin, settings } = reauthFrom(ctx.body);
        org.reauthenticate(appId(ctx), admin, settings);
        // For an app linked to a vendor simulator this is the vendor's verdict, which a wrong setting keeps false.
        return { status: 200, body: { appId: appId(ctx), credentialValid: org.credentialWorks(org.app(appId(ctx))) } };
      },
    },
    {
      method: 'POST',
      template: '/sim/v1/apps/{appId}/break',
      handler: (ctx) => {
        org.breakCredential(appId(ctx));
        return { status: 200, body: { appId: appId(ctx), credentialValid: false } };
      },
    },
    {
      method: 'POST',
      template: '/sim/v1/apps/{appId}/provisioning',
      handler: (ctx) => {
        const { state, capabilities, unchangedPost } = provisioningFrom(ctx.body);
        if (state) org.setProvisioning(appId(ctx), state);
        org.setPushBehaviour(appId(ctx), { capabilities, unchangedPost });
        const app = org.app(appId(ctx));
        return { status: 200, body: { appId: app.id, provisioning: app.provisioning, capabilities: app.capabilities, unchangedPost: app.unchangedPost } };
      },
    },
    {
      // Dashboard > Tasks > Retry Selected (Okta has no public API for it).
      method: 'POST',
      template: '/sim/v1/apps/{appId}/tasks/retry',
      handler: (ctx) => {
        const ids = (ctx.body as { userIds?: unknown } | undefined)?.userIds;
        if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string')) throw validationFailed('userIds', 'userIds must be a list of Okta user ids');
        org.retryTasks(appId(ctx), ids as string[]);
        return { status: 202, body: { appId: appId(ctx), retried: ids.length } };
      },
    },
    {
      method: 'POST',
      template: '/sim/v1/apps/{appId}/users/{userId}/assign',
      handler: (ctx) => {
        const record = org.assignUser(appId(ctx), userId(ctx), profileFrom(ctx.body));
        return { status: 200, body: renderAppUser(org.app(appId(ctx)), record, ctx.base) };
      },
    },
    {
      method: 'POST',
      template: '/sim/v1/apps/{appId}/users/{userId}/unassign',
      handler: (ctx) => {
        org.unassignUser(appId(ctx), userId(ctx));
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      template: '/sim/v1/sign-ins/{userCode}/approve',
      handler: (ctx) => {
        const body = (ctx.body ?? {}) as { login?: unknown; deny?: unknown };
        if (typeof body.login !== 'string') throw validationFailed('sign-in', 'login: the Okta login of who signs in is required');
        try {
          approveSignIn(ctx.params.userCode ?? '', body.login, { deny: body.deny === true });
        } catch (err) {
          throw validationFailed('sign-in', (err as Error).message);
        }
        return { status: 200, body: { userCode: ctx.params.userCode, login: body.login, approved: body.deny !== true } };
      },
    },
    {
      method: 'GET',
      template: '/sim/v1/state',
      handler: () => ({ status: 200, body: state(org) }),
    },
  ];
}

function state(org: Org): SimState {
  return {
    apps: org.listApps().map((a) => ({
      id: a.id,
      name: a.name,
      label: a.label,
      credentialValid: org.credentialWorks(a),
      users: [...a.users.values()].map((u) => ({
        id: u.userId,
        login: org.user(u.userId).login,
        status: u.status,
        syncState: u.syncState,
        ...(u.lastSync ? { lastSync: u.lastSync } : {}),
      })),
    })),
  };
}

/**
 * Optional body `{ login?, id?, settings? }`: who re-authenticated (for a linked app, the account
 * that signs in at the vendor; by default the one Okta's grant belongs to) and the provisioning
 * settings typed in the console (merged into settings.app, e.g. `{ apiAccountId }` for DocuSign).
 */
/** The console's provisioning settings: on, off or never set up; the To App checkboxes; and how the org treats an unchanged POST. */
function provisioningFrom(body: unknown): { state?: ProvisioningState; capabilities: Partial<PushCapabilities>; unchangedPost?: UnchangedPost } {
  const b = objectBody(body ?? {});
  if (b.state !== undefined && b.state !== 'enabled' && b.state !== 'disabled' && b.state !== 'not_set_up') throw validationFailed('state', 'state must be enabled, disabled or not_set_up');
  if (b.unchangedPost !== undefined && b.unchangedPost !== 'pushes' && b.unchangedPost !== 'ignored') throw validationFailed('unchangedPost', 'unchangedPost must be pushes or ignored');
  const capabilities: Partial<PushCapabilities> = {};
  for (const key of ['create', 'updateProfile', 'deactivate'] as const) {
    if (b[key] === undefined) continue;
    if (typeof b[key] !== 'boolean') throw validationFailed(key, `${key} must be true or false`);
    capabilities[key] = b[key];
  }
  return { state: b.state as ProvisioningState | undefined, capabilities, unchangedPost: b.unchangedPost as UnchangedPost | undefined };
}

function reauthFrom(body: unknown): { admin?: AdminRef; settings?: Record<string, unknown> } {
  if (body === undefined) return {};
  const b = objectBody(body);
  if (b.login !== undefined && (typeof b.login !== 'string' || b.login === '')) throw validationFailed('login', 'login must be a non-empty string');
  if (b.id !== undefined && typeof b.id !== 'string') throw validationFailed('id', 'id must be a string');
  if (b.id !== undefined && b.login === undefined) throw validationFailed('login', 'login is required with id');
  const settings = b.settings;
  if (settings !== undefined && (settings === null || typeof settings !== 'object' || Array.isArray(settings))) {
    throw validationFailed('settings', 'settings must be an object');
  }
  return {
    admin: typeof b.login === 'string' ? { login: b.login, id: b.id as string | undefined } : undefined,
    settings: settings as Record<string, unknown> | undefined,
  };
}

/** Optional body `{ profile }`: app-specific profile values for the assignment. */
function profileFrom(body: unknown): Record<string, unknown> | undefined {
  if (body === undefined) return undefined;
  const { profile } = objectBody(body);
  if (profile === undefined) return undefined;
  if (profile === null || typeof profile !== 'object' || Array.isArray(profile)) throw validationFailed('profile', 'profile must be an object');
  return profile as Record<string, unknown>;
}

function objectBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw validationFailed('body', 'the body must be a JSON object');
  return body as Record<string, unknown>;
}
