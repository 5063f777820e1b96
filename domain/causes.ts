/**
 * What each cause means and what the admin does about it, filled with this app's values. The
 * wording follows Okta's and the vendors' support articles. Pure: safe in workflows.
 */
import { genericAppOf, vendorChecks } from './generic-apps';
import type { AppSummary, CauseId, StepValues } from './types';

export function reauthCommand(appId: string): string {
  return `npx okta-remediate reauth-done --app ${appId} --by <your email>`;
}

interface CauseText {
  title: (app: AppSummary, v: StepValues) => string;
  steps: (app: AppSummary, v: StepValues) => string[];
}

const or = (value: string | undefined, fallback: string) => value ?? fallback;
const admin = (v: StepValues) => or(v.adminEmail, 'the DocuSign admin who authorizes Okta');
const account = (v: StepValues) => or(v.serviceAccount, 'the service account');
const org = (v: StepValues) => or(v.org, 'the organization');
const openIntegration = (app: AppSummary) => `Open ${app.label} in the Okta Admin Console (${app.provisioningUrl}), Provisioning > Integration > Edit.`;
const finish = (app: AppSummary) => `Save, then tell the pipeline: ${reauthCommand(app.id)}`;
const docusignHost = (v: StepValues) => (v.environment === 'demo' ? 'the DocuSign demo environment (appdemo.docusign.com)' : 'DocuSign (app.docusign.com)');
const docusignReauth = (app: AppSummary, v: StepValues) => [
  openIntegration(app),
  `Enter the API Account ID${v.apiAccountId ? ` ${v.apiAccountId}` : ''}, click "Authenticate with DocuSign" and sign in as ${admin(v)}.`,
  finish(app),
];
const githubReauth = (app: AppSummary, v: StepValues, as = account(v)) => [openIntegration(app), `Click "Re-authenticate with GitHub" and sign in as ${as}; grant access to ${org(v)}.`, finish(app)];
/** An app without a vendor module: for a common app (domain/generic-apps.ts) what to check at the vendor first, with what Okta holds. */
const genericReauth = (app: AppSummary, v: StepValues) => {
  const known = genericAppOf(app.name);
  if (!known) return [openIntegration(app), `Enter a current API credential for ${app.label} (or click its Authenticate button) and test it.`, finish(app)];
  return [...vendorChecks(known, v), openIntegration(app), known.reauth, finish(app)];
};

const CAUSES: Record<CauseId, CauseText> = {
  'credential-invalid': {
    title: (app) => `${app.label} rejects the API credential stored in Okta`,
    steps: (app, v) => {
      if (app.vendor === 'docusign') {
        return [`Sign in to ${docusignHost(v)} as ${admin(v)}, open Settings > Apps and Keys and copy the API Account ID.`, ...docusignReauth(app, v)];
      }
      if (app.vendor === 'github') {
        return [`Check that ${account(v)} is a dedicated service account, still an owner of ${org(v)}, with a current password and SAML authorization.`, ...githubReauth(app, v)];
      }
      return genericReauth(app, v);
    },
  },
  'provisioning-disabled': {
    title: (app) => (app.provisioningState === 'not_set_up' ? `Provisioning was never set up for ${app.label}` : `Provisioning is turned off for ${app.label}`),
    // A re-auth alone cannot help: the remediation ends, and starts again once provisioning is on.
    steps: (app) => [
      app.provisioningState === 'not_set_up'
        ? `Open ${app.label} in the Okta Admin Console (${app.provisioningUrl}), Provisioning > Configure API Integration: check Enable API integration, authenticate, Save.`
        : `${openIntegration(app)} Check Enable API integration, authenticate, Save.`,
      'Then Provisioning > To App > Edit: enable Create Users, Update User Attributes and Deactivate Users, and Save.',
      `Then start the remediation again, which retries every affected user: npx okta-remediate start --app ${app.id}`,
    ],
  },
  'to-app-settings-off': {
    title: (app) => {
      const off = toAppSettingsOff(app);
      return `${off.join(' and ')} ${off.length === 1 ? 'is' : 'are'} off for ${app.label} in Okta: ${app.pushCapabilities?.updateProfile === false ? 'a re-push pushes nothing' : 'Okta does not provision everything'}`;
    },
    steps: (app) => [
      `Open ${app.label} in the Okta Admin Console (${app.provisioningUrl}), Provisioning > To App > Edit: enable ${toAppSettingsOff(app).join(' and ')}, and Save.`,
      `Then the remediation's re-pushes reach ${app.label}; users Okta did not retry meanwhile are listed for Dashboard > Tasks > Retry Selected.`,
    ],
  },
  'other-provisioning-errors': {
    title: () => 'Other provisioning errors (not caused by the credential)',
    steps: () => ['These are reported, not remediated: review them in Okta (Dashboard > Tasks).'],
  },
  'docusign-account-id-mismatch': {
    title: (_app, v) => `The API Account ID in Okta${v.apiAccountId ? ` (${v.apiAccountId})` : ''} is not one of ${admin(v)}'s DocuSign accounts`,
    steps: (app, v) => [
      `Sign in to ${docusignHost(v)} as ${admin(v)}, open Settings > Apps and Keys and copy the API Account ID of the account Okta should provision.`,
      ...docusignReauth(app, { ...v, apiAccountId: undefined }),
    ],
  },
  'docusign-environment-mismatch': {
    title: (_app, v) =>
      `The API Account ID in Okta${v.apiAccountId ? ` (${v.apiAccountId})` : ''} belongs to the other DocuSign environment (demo vs production) than the one Okta authenticates against`,
    steps: (app, v) => [
      `Sign in to ${docusignHost(v)} as ${admin(v)} — the environment Okta's app uses — open Settings > Apps and Keys and copy that environment's API Account ID.`,
      ...docusignReauth(app, { ...v, apiAccountId: undefined }),
    ],
  },
  'docusign-admin-not-admin': {
    title: (_app, v) => `${admin(v)}, who authorized Okta, is no longer a DocuSign admin`,
    steps: (app, v) => [`In DocuSign Settings > Users, give ${admin(v)} the DS Admin permission profile again, or choose another active admin.`, ...docusignReauth(app, v)],
  },
  'docusign-admin-closed': {
    title: (_app, v) => `${admin(v)}, who authorized Okta, was closed in DocuSign`,
    steps: (app, v) => [`In DocuSign Settings > Users, reactivate ${admin(v)}, or choose another active admin.`, ...docusignReauth(app, v)],
  },
  'docusign-grant-revoked': {
    title: () => 'The OAuth grant Okta holds for DocuSign expired or was revoked (everything checks out at DocuSign)',
    steps: (app, v) => docusignReauth(app, v),
  },
  'github-account-unavailable': {
    title: (_app, v) => `The service account ${account(v)} was deleted or suspended`,
    steps: (app, v) => [`Restore ${account(v)} (or create a dedicated service account) and make it an owner of ${org(v)} (GitHub > ${org(v)} > People).`, ...githubReauth(app, v)],
  },
  'github-username-changed': {
    title: (_app, v) => `The service account ${account(v)} was renamed${v.renamedTo ? ` to ${v.renamedTo}` : ''}`,
    steps: (app, v) => [`Sign in to GitHub as ${or(v.renamedTo, 'the renamed account')}.`, ...githubReauth(app, v, or(v.renamedTo, account(v)))],
  },
  'github-not-owner': {
    title: (_app, v) => `The service account ${account(v)} is no longer an owner of ${org(v)}`,
    steps: (app, v) => [`In GitHub > ${org(v)} > People, change ${account(v)}'s role to Owner.`, ...githubReauth(app, v)],
  },
  'github-token-revoked': {
    title: (_app, v) => `The OAuth token Okta holds for ${account(v)} was revoked or expired, or its password changed (everything else checks out at GitHub)`,
    steps: (app, v) => githubReauth(app, v),
  },
  'github-saml-missing': {
    title: (_app, v) => `The service account's token is not authorized for ${org(v)}'s SAML single sign-on`,
    steps: (app, v) => [
      `Sign in to GitHub as ${account(v)} and complete SAML SSO for ${org(v)} (https://github.com/orgs/${org(v)}/sso).`,
      ...githubReauth(app, v),
      `If the error returns, authorize the Okta OAuth app for ${org(v)} under ${account(v)}'s Settings > Applications.`,
    ],
  },
  'github-not-dedicated': {
    title: (_app, v) => `Provisioning runs on a person's GitHub account (${account(v)}), not a dedicated service account`,
    steps: (app, v) => [
      `Create a dedicated service account (e.g. okta-provisioner) and make it an owner of ${org(v)}: a person's password change or departure breaks provisioning.`,
      ...githubReauth(app, v, 'that service account'),
    ],
  },
};

/** The To App settings Okta shows off, by their console names. */
export function toAppSettingsOff(app: AppSummary): string[] {
  const c = app.pushCapabilities;
  return [c?.create === false ? 'Create Users' : '', c?.updateProfile === false ? 'Update User Attributes' : '', c?.deactivate === false ? 'Deactivate Users' : ''].filter(Boolean);
}

export function causeTitle(id: CauseId, app: AppSummary, values: StepValues): string {
  return CAUSES[id].title(app, values);
}

export function causeSteps(id: CauseId, app: AppSummary, values: StepValues): string[] {
  return CAUSES[id].steps(app, values);
}
