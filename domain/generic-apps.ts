/**
 * The generic path, concretely: the common Okta Integration Network apps that provision through an
 * API credential and show "The credentials used to connect to the API were invalid", with what the
 * admin checks at the vendor for each. Keyed by Okta's app `name` (GET /api/v1/apps/{id}). No
 * vendor is called: the pipeline knows these apps from Okta's side only (the settings Okta holds
 * in `settings.app`), and the steps say what to check where. Each fact names its source beside it.
 * Adding an app is one entry here (docs/vendors.md). Pure: safe in workflows.
 */
import type { StepValues } from './types';

/** What Okta holds to reach the vendor's API. */
export type CredentialKind = 'oauth-grant' | 'api-token' | 'admin-password';

/** A `settings.app` key that says where Okta connects (never a secret). */
export interface ConnectionSetting {
  key: string;
  /** The setting in the vendor's words: "Slack domain". */
  label: string;
  /** The vendor's address for the value, when the value is part of it. */
  url?: (value: string) => string;
}

export interface GenericApp {
  /** The vendor's display name. */
  vendor: string;
  credential: CredentialKind;
  /** What Okta holds, in words. */
  holds: string;
  /** Step 1: the vendor's admin account behind the credential still exists and is still an admin. */
  checkAdmin: string;
  /** Step 2: the token, grant or password was not rotated, expired or revoked. */
  checkSecret: string;
  /** The `settings.app` keys that name the connection ([] when Okta keeps no address for it). */
  connection: ConnectionSetting[];
  /** Step 3: the base URL or subdomain Okta holds is the vendor's current one; `held` says what Okta holds. */
  checkConnection: (held: string) => string;
  /** What to do on Okta's Provisioning > Integration page, after Edit. */
  reauth: string;
}

const currentSubdomain = (account: string) => (held: string) => `Check that ${held} is your ${account}'s current subdomain; if it changed, correct it on the app's General tab in Okta.`;
const revoked = (vendor: string) => `Check that the grant was not revoked or expired: nobody removed or deauthorized Okta's app at ${vendor}.`;

/** By Okta's app `name`. */
export const GENERIC_APPS: Readonly<Record<string, GenericApp>> = {
  // Name and settings.app.domain: contracts/okta/management.yaml.gz (Okta Admin Management 5.1.0),
  // SlackApplication "key name: `slack`", SlackApplicationSettingsApplication.domain.
  slack: {
    vendor: 'Slack',
    credential: 'oauth-grant',
    // https://help.okta.com/en-us/Content/Topics/Provisioning/Slack/slck-integrate-slack.htm ("Authenticate with Slack", "Authorize");
    // https://slack.dev/python-slack-sdk/scim/index.html (the SCIM API needs an OAuth token with the admin scope).
    holds: 'an OAuth grant (a token with Slack\'s admin scope) that a Slack Owner or Admin authorized with "Authenticate with Slack"',
    // https://help.okta.com/wf/en-us/content/topics/workflows/connector-reference/slackadmin/overviews/authorization.htm
    // (Business+: an Owner or Admin; Enterprise Grid: an Org Owner; the account must remain an Owner or Admin).
    checkAdmin: 'In Slack, check that the Owner or Admin who authorized Okta still has an active account and is still an Owner or Admin (on Enterprise Grid, an Org Owner): Okta acts as that account.',
    // https://docs.slack.dev/admins/scim-api ("The SCIM API is only available to Slack workspaces on Business+ or Enterprise plans").
    checkSecret: `${revoked('Slack')} The workspace must still be on a Business+ or Enterprise plan: Slack's SCIM API needs one.`,
    // https://help.okta.com/en-us/Content/Topics/Provisioning/Slack/slck-integrate-slack.htm ("If you're using Slack Enterprise Grid, include .enterprise in your domain name").
    connection: [{ key: 'domain', label: 'Slack domain', url: (v) => `https://${v}.slack.com` }],
    checkConnection: (held) => `Check that ${held} is your workspace's current Slack domain (with .enterprise on Enterprise Grid); if it changed, correct it on the app's General tab in Okta.`,
    reauth: 'Click "Authenticate with Slack", sign in to Slack as an Owner or Admin and click Authorize.',
  },

  // Name and settings.app.subDomain: contracts/okta/management.yaml.gz, ZoomUsApplication "key name: `zoomus`",
  // ZoomUsApplicationSettingsApplication.subDomain ("Your Zoom subdomain").
  zoomus: {
    vendor: 'Zoom',
    credential: 'oauth-grant',
    // https://support.okta.com/help/s/article/okta-user-management-with-zoom ("Authenticate with Zoom", "an admin's or owner's credentials", User Management > Users).
    holds: 'an OAuth grant that a Zoom admin or owner authorized with "Authenticate with Zoom"',
    checkAdmin: 'In the Zoom web portal (User Management > Users), check that the admin or owner who authorized Okta is still active and still an Admin or Owner.',
    checkSecret: revoked('Zoom'),
    connection: [{ key: 'subDomain', label: 'Zoom subdomain', url: (v) => `https://${v}.zoom.us` }],
    checkConnection: currentSubdomain('Zoom account'),
    reauth: 'Click "Authenticate with Zoom" and sign in with a Zoom admin\'s or owner\'s credentials.',
  },

  // Name and settings.app.instanceType (SANDBOX, PRODUCTION, GOVERNMENT: "Salesforce instance that you want to connect to"):
  // contracts/okta/management.yaml.gz, SalesforceApplication "key name: `salesforce`".
  salesforce: {
    vendor: 'Salesforce',
    credential: 'oauth-grant',
    // https://help.okta.com/en-us/content/topics/provisioning/salesforce/sfdc-enable-provisioning.htm: OAuth
    // ("Authentication with Salesforce.com") is the default for new orgs; the older integration holds the
    // username and "Password + Token"; "Whenever you reset this password, Salesforce provides you with a new
    // token"; a dedicated API account; its profile needs API Enabled and Manage Users, on the profile itself.
    holds: 'an OAuth grant made with "Authenticate with Salesforce.com" (older integrations: the API user\'s username and password + security token)',
    checkAdmin:
      'In Salesforce Setup, check that the dedicated API user Okta connects as is still active and that its profile still has API Enabled and Manage Users (on the profile itself, not through permission sets).',
    checkSecret: `Check that the API user's password was not reset: a reset issues a new security token, so Okta needs the new password + token, or a new grant. ${revoked('Salesforce')}`,
    connection: [{ key: 'instanceType', label: 'Salesforce instance type' }],
    checkConnection: (held) => `Check that ${held} is the instance (PRODUCTION, SANDBOX or GOVERNMENT) where that API user lives.`,
    reauth:
      'Click "Authenticate with Salesforce.com" and sign in as the API user (older integrations: enter its username, and its password followed by its current security token with nothing between them); click Test API Credentials.',
  },

  // Name and settings.app.domain ("Your Google company domain"): contracts/okta/management.yaml.gz,
  // GoogleApplication "key name: `google`" (Google Workspace).
  google: {
    vendor: 'Google Workspace',
    credential: 'oauth-grant',
    // https://www.vulongtran.com/how-to-set-up-provisioning-for-google-workspace-on-okta ("Authenticate with Google Workspace",
    // a Google admin; Security > API controls: "Restricted" blocks untrusted apps from Google Workspace Admin);
    // https://michaelbui.me/lab/Okta/Connecting%20Okta%20with%20Google%20Workspace ("a Google admin account that has user admin privileges").
    holds: 'an OAuth grant that a Google Workspace admin authorized with "Authenticate with Google Workspace"',
    checkAdmin: 'In the Google Admin console (admin.google.com), check that the admin who authorized Okta is still active and still holds an admin role that manages users.',
    checkSecret: `${revoked('Google')} In Security > API controls, Google Workspace Admin must not be restricted to trusted apps unless Okta is one.`,
    connection: [{ key: 'domain', label: 'Google Workspace domain' }],
    checkConnection: (held) => `Check that ${held} is your primary Google Workspace domain.`,
    reauth: 'Click "Authenticate with Google Workspace", sign in as that admin and allow the access Okta asks for.',
  },

  // Name, settings.app.domain and .msftTenant: contracts/okta/management.yaml.gz, Office365Application
  // "key name: `office365`"; Office365ProvisioningSettings adminUsername/adminPassword ("global administrator").
  office365: {
    vendor: 'Microsoft Office 365',
    credential: 'admin-password',
    // https://help.okta.com/en-us/content/topics/apps/office365-deployment/provision-users.htm ("Authenticate with Microsoft
    // Office 365", "Enter your Office 365 Global Administrator credentials", "Disable the Microsoft MFA for the Office 365
    // admin account ... If the MFA is enabled, it can break provisioning");
    // https://support.okta.com/help/s/article/Microsoft-Office-365-Global-Admin-Account-in-Okta (Global Administrator role).
    holds: 'the admin consent given with "Authenticate with Microsoft Office 365" and, where Okta asks for them, a Global Administrator\'s username and password',
    checkAdmin: 'In the Microsoft 365 admin center, check that the admin account whose username Okta holds still exists, is enabled and still has the Global Administrator role.',
    checkSecret: "Check that that account's password was not changed or expired, and that nobody turned on Microsoft MFA for it: MFA on this account breaks Okta's provisioning.",
    connection: [
      { key: 'msftTenant', label: 'Microsoft tenant name' },
      { key: 'domain', label: 'Office 365 domain' },
    ],
    checkConnection: (held) => `Check that ${held} still name your Microsoft 365 tenant and a domain verified in it.`,
    reauth:
      'Click "Authenticate with Microsoft Office 365" and accept the permissions; if Okta asks for them, enter the Global Administrator\'s username and current password; click Test API Credentials.',
  },

  // Name: contracts/okta/management.yaml.gz, ZscalerbyzApplication "key name: `zscalerbyz`" (Zscaler 2.0); its
  // provisioning connection holds a baseUrl and a TOKEN (examples ProvisioningConnectionTokenRequestEx,
  // ProvisioningConnectionTokenResponseWithProfileZscalerEx), not settings.app.
  zscalerbyz: {
    vendor: 'Zscaler',
    credential: 'api-token',
    // https://help.zscaler.com/zia/configuring-scim (Administration > Authentication Settings > Identity Providers > Edit:
    // Enable SCIM Provisioning, Base URL, Bearer Token; "The old SCIM Base URL marked as (Deprecated) will be removed");
    // https://help.zscaler.com/unified/scim-configuration-guide-okta (Base URL, API Token, Test API Credentials).
    holds: 'a SCIM bearer token and base URL copied from the ZIA Admin Portal',
    checkAdmin:
      'In the ZIA Admin Portal (Administration > Authentication Settings > Identity Providers), check that the identity provider Okta provisions still exists and still has Enable SCIM Provisioning on.',
    checkSecret: 'Check whether its Bearer Token was regenerated since Okta was set up: Okta would hold the old one.',
    // settings.app.siteDomain ("Your Zscaler domain") is not where Okta provisions: the base URL is in the connection.
    connection: [],
    checkConnection: () =>
      "Check that the Base URL on Okta's Provisioning > Integration page is the one the ZIA Admin Portal shows now, in its current format (a URL marked Deprecated there will stop working).",
    reauth: 'Enter the current Base URL and paste the Bearer Token as API Token; click Test API Credentials.',
  },

  // Name: https://developer.okta.com/docs/concepts/events-api-migration/ (Okta's event type mapping:
  // app.zendesk.api.error.validation.error -> application.integration.authentication_failure).
  // settings.app.companySubDomain: a public Terraform configuration of an okta_app_saml with preconfigured_app = "zendesk"
  // (app_settings_json {"companySubDomain": ...}), found with the code search; no Okta page names the key.
  zendesk: {
    vendor: 'Zendesk',
    credential: 'admin-password',
    // https://help.okta.com/en-us/Content/topics/provisioning/zendesk/zendesk-integrate.htm ("verified account credentials that
    // don't use two-factor authentication"; "append /token to the end of the agent's email address ... and use an active
    // API token as their Password"; Test API Credentials).
    holds: "a Zendesk admin's email and password, or the email followed by /token and an API token",
    checkAdmin:
      'In Zendesk, check that the admin whose email Okta holds as Username still exists and is still an admin, with a verified email and without two-factor authentication (Okta cannot sign in through it).',
    checkSecret: "Check that the admin's password was not changed or, when the Username ends in /token, that the API token Okta holds is still active in Zendesk.",
    connection: [{ key: 'companySubDomain', label: 'Zendesk subdomain', url: (v) => `https://${v}.zendesk.com` }],
    checkConnection: currentSubdomain('Zendesk account'),
    reauth: "Enter the admin's email as Username (followed by /token when you use an API token) and the current password or an active API token as Password; click Test API Credentials.",
  },

  // Name and settings.app.loginURL: Okta Developer, "Embedded Okta Cloud Connect (OCC)" (okta-developer-docs; no current
  // URL found) creates "servicenow_app2" with settings.app.loginURL, and its label error names it "ServiceNow - Eureka and
  // later releases"; https://developer.okta.com/docs/concepts/events-api-migration/ maps app.servicenow_app2.api.error.*.
  servicenow_app2: {
    vendor: 'ServiceNow',
    credential: 'admin-password',
    // https://saml-doc.okta.com/Provisioning_Docs/ServiceNow_Provisioning.html ("for ServiceNow - Eureka and later releases";
    // "configured your complete Login URL name under the General Settings tab"; Admin User Name "with administrator
    // permissions", Admin Password); Okta's Events API reference (okta-developer-docs): app.servicenow_app2.api.validation.failure,
    // "Could not verify the ServiceNow administrator login and password".
    holds: "a ServiceNow admin's user name and password (Admin User Name, Admin Password)",
    checkAdmin: 'In ServiceNow, check that the user Okta holds as Admin User Name is still active and still has administrator permissions.',
    checkSecret: "Check that that user's password was not changed or expired.",
    connection: [{ key: 'loginURL', label: 'ServiceNow Login URL' }],
    checkConnection: (held) => `Check that ${held} points at your current ServiceNow instance (after a rename or a clone it may not); correct it on the app's General tab in Okta.`,
    reauth: 'Enter the Admin User Name and its current Admin Password; click Test API Credentials.',
  },

  // Name: https://developer.okta.com/docs/concepts/events-api-migration/ (app.boxnet.api.error.personal_folder_sync_state);
  // Okta Developer, "Embedded Okta Cloud Connect (OCC)" ("boxnet" as the internal app id for Box). settings.app: no key
  // names the connection.
  boxnet: {
    vendor: 'Box',
    credential: 'oauth-grant',
    // https://help.okta.com/en-us/Content/Topics/provisioning/box/box-integrate-box.htm ("Authenticate with Box", "Box admin
    // email address and password", Authorize, "Grant access to Box"; "the Box admin who authenticated Okta to the Box API");
    // http://saml-doc.okta.com/Provisioning_Docs/Box_Provisioning.html (Okta acts "on the Box admin's behalf").
    holds: 'an OAuth token that a Box admin authorized with "Authenticate with Box"',
    checkAdmin: "In the Box Admin Console, check that the admin who authenticated Okta still exists and is still an admin: Okta acts on that admin's behalf.",
    checkSecret: revoked('Box'),
    connection: [],
    checkConnection: () => 'Okta holds no Box address: the grant decides which Box enterprise Okta provisions, so authenticate as an admin of that enterprise.',
    reauth: 'Click "Authenticate with Box", enter a Box admin\'s email and password, click Authorize, then Grant access to Box.',
  },

  // Name: Okta's SAML setup page for the app, https://saml-doc.okta.com/SAML_Docs/How-to-Configure-SAML-2.0-for-Dropbox.html?...&app=dropbox_for_business
  // (quoted in public write-ups found with the code search). settings.app: no key names the connection.
  dropbox_for_business: {
    vendor: 'Dropbox Business',
    credential: 'oauth-grant',
    // https://help.okta.com/en-us/Content/Topics/Provisioning/Dropbox/drbx-integrate-dropbox.htm ("Authenticate with Dropbox
    // Business", "Enter your email and password"); drbx-supported-features.htm (Team Admin permissions).
    holds: 'an OAuth grant made by signing in with "Authenticate with Dropbox Business"',
    checkAdmin: 'In the Dropbox admin console, check that the account that authenticated Okta is still a member of the team and still a team admin.',
    checkSecret: revoked('Dropbox'),
    connection: [],
    checkConnection: () => 'Okta holds no Dropbox address: the grant decides which team Okta provisions, so authenticate as an admin of that team.',
    reauth: 'Click "Authenticate with Dropbox Business" and sign in with a team admin\'s email and password.',
  },
};

/** The table's entry for an Okta app name, if it has one. */
export function genericAppOf(appName: string): GenericApp | undefined {
  const name = appName.toLowerCase();
  return Object.hasOwn(GENERIC_APPS, name) ? GENERIC_APPS[name] : undefined;
}

/** A `settings.app` key that holds a secret: its value is never read, shown or kept, only its key named. */
export function isSecretKey(key: string): boolean {
  return /password|passwd|passphrase|pwd|secret|token|api[-_]?key|private[-_]?key|access[-_]?key|credential|bearer/i.test(key);
}

/** A setting's value as the pipeline may show it: text only, a URL without its user, password, query or fragment. */
function shown(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
  let text = String(value).trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1').replace(/[?#].*$/, '');
  return text === '' ? undefined : text.slice(0, 200);
}

/** The connection settings Okta holds for a table app, from `settings.app`: the entry's keys only, never a secret. */
export function heldConnection(entry: GenericApp, oktaSettings: Record<string, unknown>): Record<string, string> {
  const held: Record<string, string> = {};
  for (const { key } of entry.connection) {
    const value = isSecretKey(key) ? undefined : shown(oktaSettings[key]);
    if (value !== undefined) held[key] = value;
  }
  return held;
}

/** The `settings.app` keys that look like secrets, named (their values are never read). */
export function secretKeys(oktaSettings: Record<string, unknown>): string[] {
  return Object.keys(oktaSettings).filter(isSecretKey).sort();
}

/** 'the Slack domain Okta holds ("acme", https://acme.slack.com)'; without the probe's reading, 'the Slack domain Okta holds'. */
function describeHeld(settings: ConnectionSetting[], read: Record<string, string> | undefined): string {
  return settings
    .map(({ key, label, url }) => {
      const value = read?.[key];
      return value === undefined ? `the ${label} Okta holds` : `the ${label} Okta holds ("${value}"${url ? `, ${url(value)}` : ''})`;
    })
    .join(' and ');
}

/**
 * What the admin checks at the vendor before re-authenticating, in order: the admin account, the
 * secret, the address Okta holds (or, when the probe read none, that Okta's app lacks it).
 */
export function vendorChecks(entry: GenericApp, values: StepValues): string[] {
  const read = values.connection;
  const missing = read ? entry.connection.filter(({ key }) => read[key] === undefined) : [];
  const held = entry.connection.filter((c) => !missing.includes(c));
  const steps = [entry.checkAdmin, entry.checkSecret];
  if (entry.connection.length === 0 || held.length > 0) steps.push(entry.checkConnection(describeHeld(held, read)));
  if (missing.length > 0) {
    const it = missing.length > 1 ? 'them' : 'it';
    steps.push(`Okta's app shows no ${missing.map((c) => c.label).join(' and no ')}: enter ${it} on the app's General tab in Okta, as ${entry.vendor} shows ${it} now.`);
  }
  return steps;
}
