/**
 * Admin roles of a service app: Okta checks the role as well as the token's scopes ("Implement
 * OAuth for Okta with a service app": the admin roles need enough permissions for the scopes).
 * Modelled: the standard roles the README names and a custom role on a resource set of apps.
 * Sources: Okta help, "Administrator roles comparison", "Read-only administrator", "Report
 * administrator", "Custom admin roles"; Okta Developer, "Role assignment" (permissions
 * okta.apps.read, okta.apps.manage, okta.apps.assignment.manage, okta.users.read).
 */

export type StandardRole = 'SUPER_ADMIN' | 'ORG_ADMIN' | 'READ_ONLY_ADMIN' | 'REPORT_ADMIN' | 'APP_ADMIN';

/** A custom role's permissions, bound to a resource set: these apps (all apps when absent), and all users. */
export interface CustomRole {
  permissions: readonly string[];
  appIds?: readonly string[];
}

export type AdminRole = StandardRole | CustomRole;

/** What an operation needs of the caller's roles. */
export type Need = { permission: 'okta.apps.read' | 'okta.apps.manage'; appId: string } | { permission: 'okta.users.read' } | { permission: 'okta.logs.read' };

/** Standard roles that read everything, and those that may change apps' assignments. */
const READS_ALL: ReadonlySet<StandardRole> = new Set(['SUPER_ADMIN', 'ORG_ADMIN', 'READ_ONLY_ADMIN']);
const MANAGES_APPS: ReadonlySet<StandardRole> = new Set(['SUPER_ADMIN', 'ORG_ADMIN', 'APP_ADMIN']);

function allows(role: AdminRole, need: Need): boolean {
  if (typeof role === 'string') {
    if (need.permission === 'okta.logs.read') return READS_ALL.has(role) || role === 'REPORT_ADMIN';
    if (need.permission === 'okta.apps.manage') return MANAGES_APPS.has(role);
    // Assumption: an App Administrator reads the users it assigns (the comparison lists it for apps' people).
    return READS_ALL.has(role) || role === 'APP_ADMIN';
  }
  // Okta documents no custom-role permission for the System Log.
  if (need.permission === 'okta.logs.read') return false;
  if (need.permission === 'okta.users.read') return role.permissions.includes('okta.users.read');
  // Listing apps is allowed; Okta would filter the list to the resource set, which is not modelled.
  const onApp = !role.appIds || need.appId === '*' || role.appIds.includes(need.appId);
  const manage = role.permissions.includes('okta.apps.manage') || role.permissions.includes('okta.apps.assignment.manage');
  return onApp && (need.permission === 'okta.apps.read' ? manage || role.permissions.includes('okta.apps.read') : manage);
}

export function rolesAllow(roles: readonly AdminRole[], need: Need): boolean {
  return roles.some((role) => allows(role, need));
}

/** What each operation the simulator serves needs of the roles (beside its scope, scopes.ts). */
export function needOf(method: string, template: string, params: Record<string, string>): Need | undefined {
  if (template === '/api/v1/logs') return { permission: 'okta.logs.read' };
  if (template.startsWith('/api/v1/users/')) return { permission: 'okta.users.read' };
  if (template === '/api/v1/apps') return { permission: 'okta.apps.read', appId: '*' };
  if (!template.startsWith('/api/v1/apps/')) return undefined;
  return { permission: method === 'GET' ? 'okta.apps.read' : 'okta.apps.manage', appId: params.appId ?? '*' };
}
