/**
 * Org records rendered as the JSON Okta's API returns. `base` is the simulator's URL, so API links
 * resolve against it; `orgName` fills the end-user and admin-console links, which point at Okta.
 */
import { createHash } from 'node:crypto';
import type { AppRecord, AppUserRecord, UserRecord } from './org';
import type { Application, ApplicationFeature, AppUser, OktaUser, ProvisioningConnectionResponse } from './types';

/** The org's default user type (every simulated user has it). */
const DEFAULT_USER_TYPE = 'oty1simdefaultusrtyp';

const PROVISIONING_FEATURES = ['PUSH_NEW_USERS', 'PUSH_PROFILE_UPDATES', 'PUSH_USER_DEACTIVATION', 'REACTIVATE_USERS'];
const EXTRA_FEATURES: Record<string, string[]> = {
  docusign: ['IMPORT_NEW_USERS', 'IMPORT_PROFILE_UPDATES'],
  githubcloud: ['GROUP_PUSH', 'IMPORT_NEW_USERS'],
};

export function renderApp(app: AppRecord, base: string, orgName: string): Application {
  const api = `${base}/api/v1/apps/${app.id}`;
  const saml = app.signOnMode === 'SAML_2_0';
  const linkName = `${app.name}_link`;
  return {
    id: app.id,
    name: app.name,
    label: app.label,
    status: 'ACTIVE',
    signOnMode: app.signOnMode,
    created: app.created,
    lastUpdated: app.lastUpdated,
    accessibility: { selfService: false },
    visibility: { autoSubmitToolbar: false, hide: { iOS: false, web: false }, appLinks: { [linkName]: true } },
    features: [...PROVISIONING_FEATURES, ...(EXTRA_FEATURES[app.name] ?? [])],
    credentials: saml
      ? { userNameTemplate: { template: '${source.email}', type: 'BUILT_IN' }, signing: { kid: signingKid(app.id) } }
      : {
          scheme: 'EDIT_USERNAME_AND_PASSWORD',
          userNameTemplate: { template: '${source.login}', type: 'BUILT_IN' },
          revealPassword: false,
          signing: {},
        },
    settings: {
      app: { ...app.settingsApp },
      notifications: { vpn: { network: { connection: 'DISABLED' } } },
      // AUTO_LOGIN (SWA) apps require a login URL; OIN SAML apps keep their sign-on defaults server-side.
      ...(saml ? {} : { signOn: { loginUrl: `https://${app.name}.example.com/login` } }),
    },
    _links: {
      appLinks: [{ name: linkName, href: `https://${orgName}.okta.com/home/${app.name}/${app.id}/${linkName}`, type: 'text/html' }],
      help: { href: `https://${orgName}-admin.okta.com/app/${app.name}/${app.id}/setup/help/${app.signOnMode}/external-doc`, type: 'text/html' },
      logo: [{ name: 'medium', href: `https://${orgName}.okta.com/assets/img/logos/${app.name}.png`, type: 'image/png' }],
      users: { href: `${api}/users` },
      groups: { href: `${api}/groups` },
      deactivate: { href: `${api}/lifecycle/deactivate` },
      ...(saml ? { metadata: { href: `${api}/sso/saml/metadata`, type: 'application/xml' } } : {}),
    },
  };
}

export function renderAppUser(app: AppRecord, u: AppUserRecord, base: string): AppUser {
  return {
    id: u.userId,
    ...(u.externalId ? { externalId: u.externalId } : {}),
    created: u.created,
    lastUpdated: u.lastUpdated,
    scope: 'USER',
    status: u.status,
    statusChanged: u.statusChanged,
    passwordChanged: null,
    syncState: u.syncState,
    ...(u.lastSync ? { lastSync: u.lastSync } : {}),
    credentials: { userName: u.userName },
    profile: { ...u.profile },
    _links: {
      app: { href: `${base}/api/v1/apps/${app.id}` },
      user: { href: `${base}/api/v1/users/${u.userId}` },
    },
  };
}

/** USER_PROVISIONING with the app's To App settings (Create Users, Update User Attributes, Deactivate Users). */
export function renderProvisioningFeature(app: AppRecord, base: string): ApplicationFeature {
  const status = (on: boolean) => (on ? 'ENABLED' : 'DISABLED');
  return {
    name: 'USER_PROVISIONING',
    status: app.provisioning === 'enabled' ? 'ENABLED' : 'DISABLED',
    description: 'User provisioning settings from Okta to a downstream application',
    capabilities: {
      create: { lifecycleCreate: { status: status(app.capabilities.create) } },
      update: {
        profile: { status: status(app.capabilities.updateProfile) },
        lifecycleDeactivate: { status: status(app.capabilities.deactivate) },
        password: { status: 'DISABLED', seed: 'RANDOM', change: 'KEEP_EXISTING' },
      },
    },
    _links: { self: { href: `${base}/api/v1/apps/${app.id}/features/USER_PROVISIONING`, hints: { allow: ['GET', 'PUT'] } } },
  };
}

/**
 * The provisioning connection API covers only a few OIN apps (Org2Org, Zscaler, Google Workspace,
 * Office 365, Slack, Zoom). For any other app the spec's documented answer is status UNKNOWN with
 * authScheme UNKNOWN ("provisioning isn't supported by the app, or the authentication method is
 * unknown"), so the connection never reveals whether the vendor credential works.
 */
export function renderConnection(app: AppRecord, base: string): ProvisioningConnectionResponse {
  return {
    profile: { authScheme: 'UNKNOWN' },
    status: 'UNKNOWN',
    _links: { self: { href: `${base}/api/v1/apps/${app.id}/connections/default` } },
  };
}

export function renderUser(u: UserRecord, base: string): OktaUser {
  return {
    id: u.id,
    status: 'ACTIVE',
    created: u.created,
    activated: u.created,
    statusChanged: u.created,
    lastLogin: null,
    lastUpdated: u.created,
    passwordChanged: u.created,
    type: { id: DEFAULT_USER_TYPE },
    profile: { login: u.login, email: u.email, firstName: u.firstName, lastName: u.lastName, mobilePhone: null, secondEmail: null },
    credentials: { password: {}, provider: { type: 'OKTA', name: 'OKTA' } },
    _links: { self: { href: `${base}/api/v1/users/${u.id}` } },
  };
}

/** A stable signing key id per app, shaped like Okta's (43 base64url characters). */
function signingKid(appId: string): string {
  return createHash('sha256').update(appId).digest('base64url').slice(0, 43);
}
