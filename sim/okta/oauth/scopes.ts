/**
 * The OAuth scope each management endpoint the simulator serves requires, as Okta's API
 * description (contracts/okta/management.yaml.gz, each operation's `security`) lists it; the
 * contract test holds this table to it. A `manage` scope includes its `read` (Okta's scopes guide).
 */
export const SCOPE_BY_OPERATION: Readonly<Record<string, string>> = {
  'GET /api/v1/apps': 'okta.apps.read',
  'GET /api/v1/apps/{appId}': 'okta.apps.read',
  'GET /api/v1/apps/{appId}/features': 'okta.apps.read',
  'GET /api/v1/apps/{appId}/features/{name}': 'okta.apps.read',
  'GET /api/v1/apps/{appId}/connections/default': 'okta.apps.read',
  'GET /api/v1/apps/{appId}/users': 'okta.apps.read',
  'GET /api/v1/apps/{appId}/users/{userId}': 'okta.apps.read',
  'POST /api/v1/apps/{appId}/users': 'okta.apps.manage',
  'POST /api/v1/apps/{appId}/users/{userId}': 'okta.apps.manage',
  'DELETE /api/v1/apps/{appId}/users/{userId}': 'okta.apps.manage',
  'GET /api/v1/users/{userId}': 'okta.users.read',
  'GET /api/v1/logs': 'okta.logs.read',
};

/** Whether `granted` covers `required`: itself, or the `manage` scope of the same resource. */
export function scopeCovers(granted: ReadonlySet<string>, required: string): boolean {
  return granted.has(required) || (required.endsWith('.read') && granted.has(`${required.slice(0, -'.read'.length)}.manage`));
}
