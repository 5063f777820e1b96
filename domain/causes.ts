/**
 * What each cause means and what the admin does about it, filled with this app's values. The
 * wording follows Okta's and the vendors' support articles. Pure: safe in workflows.
 */
import { genericAppOf, vendorChecks } from './generic-apps';
import { finish, openIntegration, type CauseText } from './steps';
import type { AppSummary, CauseId, StepValues } from './types';
import { VENDOR_CAUSES, vendorProfile } from './vendors/registry';

/** An app without a vendor module: for a common app (domain/generic-apps.ts) what to check at the vendor first, with what Okta holds. */
const genericReauth = (app: AppSummary, v: StepValues) => {
  const known = genericAppOf(app.name);
  if (!known) return [openIntegration(app), `Enter a current API credential for ${app.label} (or click its Authenticate button) and test it.`, finish(app)];
  return [...vendorChecks(known, v), openIntegration(app), known.reauth, finish(app)];
};

const CAUSES: Record<CauseId, CauseText> = {
  'credential-invalid': {
    title: (app) => `${app.label} rejects the API credential stored in Okta`,
    steps: (app, v) => vendorProfile(app.vendor)?.credentialInvalidSteps(app, v) ?? genericReauth(app, v),
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
  ...VENDOR_CAUSES,
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
