import { parseAppConfig } from '../../config/app-config';
import { causeSteps, causeTitle } from '../../domain/causes';
import { reauthCommand } from '../../domain/steps';
import type { AppSummary, CauseId } from '../../domain/types';
import { VENDOR_PROFILES, VENDOR_STATUS_PAGES, VENDORS, vendorOf } from '../../domain/vendors/registry';

const profiles = Object.values(VENDOR_PROFILES);
const appOf = (vendor: (typeof profiles)[number]): AppSummary => ({
  id: '0oaAPP',
  name: vendor.oktaAppNames[0]!,
  label: vendor.service,
  status: 'ACTIVE',
  vendor: vendor.id,
  provisioningEnabled: true,
  provisioningUrl: `https://acme-admin.okta.com/admin/app/${vendor.oktaAppNames[0]}/instance/0oaAPP/`,
});

describe('the vendor registry: each vendor is its profile, and the rest reads it from there', () => {
  it.each(profiles.map((p) => [p.id, p] as const))('%s: Okta app names, status page, config block and the CLI filter come from its profile', (id, profile) => {
    for (const name of profile.oktaAppNames) expect(vendorOf(name.toUpperCase())).toBe(id);
    expect(VENDOR_STATUS_PAGES[profile.service]).toBe(profile.statusPage);
    expect(VENDORS).toContain(id);
    expect(() => parseAppConfig({ apps: { '0oaAPP00': { vendor: id, [id]: { unknownKey: 1 } } } })).toThrow(`at apps.0oaAPP00.${id}`);
  });

  it.each(profiles.flatMap((p) => Object.keys(p.causes).map((cause) => [cause as CauseId, p] as const)))(
    '%s: a title and steps that open the app in Okta and end at the pipeline',
    (cause, profile) => {
      const app = appOf(profile);
      expect(causeTitle(cause, app, {})).not.toMatch(/undefined/);
      const steps = causeSteps(cause, app, {});
      expect(steps.join('\n')).toContain(app.provisioningUrl);
      expect(steps.join('\n')).toContain(reauthCommand(app.id));
    },
  );

  it("an app of no registered vendor takes the generic path, whose credential steps are not a vendor's", () => {
    expect(vendorOf('some_custom_scim_app')).toBe('generic');
    const app = { ...appOf(VENDOR_PROFILES.github), vendor: 'generic' as const, name: 'some_custom_scim_app', label: 'Custom SCIM' };
    expect(causeSteps('credential-invalid', app, {}).join('\n')).not.toMatch(/GitHub|DocuSign/);
  });
});
