/** Apps without a vendor module: the diagnosis rests on Okta's side alone. */
import type { VendorModule } from './types';
import { VendorNotConfigured } from './types';

export const genericVendor: VendorModule = {
  async probe(ctx) {
    return {
      vendor: 'generic',
      probed: false,
      findings: [],
      evidence: [],
      hints: [`${ctx.app.label} has no vendor module: the diagnosis uses Okta's records only.`],
      values: {},
      at: new Date().toISOString(),
    };
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
