/**
 * Apps without a vendor module: the diagnosis rests on Okta's side alone. For the common apps of
 * domain/generic-apps.ts the probe says, from Okta's records, what Okta holds to reach the vendor
 * (the credential's kind, the connection settings in `settings.app`); it calls no vendor, and never
 * reads or repeats a secret: a setting that looks like one is named by its key only.
 */
import type { VendorProbe } from '../../domain/types';
import { genericAppOf, heldConnection, secretKeys } from '../../domain/generic-apps';
import type { VendorContext, VendorModule } from './types';
import { VendorNotConfigured } from './types';

function probeOktaSide(ctx: VendorContext): VendorProbe {
  const { app } = ctx;
  const probe: VendorProbe = {
    vendor: 'generic',
    probed: false,
    findings: [],
    evidence: [],
    hints: [`${app.label} has no vendor module: the diagnosis uses Okta's records only.`],
    values: {},
    at: new Date().toISOString(),
  };
  const entry = genericAppOf(app.name);
  if (!entry) return probe;
  const connection = heldConnection(entry, ctx.oktaSettings);
  probe.values = { connection };
  probe.evidence.push(`Okta: ${app.label} is Okta's ${entry.vendor} integration (${app.name}), which holds ${entry.holds}.`);
  for (const { key, label } of entry.connection) {
    const value = connection[key];
    probe.evidence.push(value === undefined ? `Okta: the app shows no ${label} (settings.app.${key}).` : `Okta: the ${label} Okta holds is "${value}" (settings.app.${key}).`);
  }
  const secrets = secretKeys(ctx.oktaSettings);
  if (secrets.length > 0) probe.evidence.push(`Okta: settings.app also holds ${secrets.join(', ')}, not shown (${secrets.length > 1 ? 'secrets' : 'a secret'}).`);
  probe.hints.push(`Nothing was checked at ${entry.vendor} itself: the steps say what to check there, in order, with what Okta holds.`);
  return probe;
}

export const genericVendor: VendorModule = {
  async probe(ctx) {
    return probeOktaSide(ctx);
  },
  async findPerson(ctx) {
    throw new VendorNotConfigured(`${ctx.app.label} has no vendor module, so the pipeline cannot look people up there.`);
  },
  async answers() {
    // No vendor calls to make: nothing to wait for.
  },
  async removePerson(ctx) {
    throw new VendorNotConfigured(`${ctx.app.label} has no vendor module: remove the person in ${ctx.app.label} by hand.`);
  },
};
