/** The vendor's side of a diagnosis, for the remediation and the dry run alike. */
import { withVendorProbe } from '../../domain/diagnosis';
import type { Diagnosis, VendorProbe } from '../../domain/types';
import { failureMessage, isActivityFailure, probeVendor } from './activities';
import { now } from './state';

/** Okta's diagnosis with the vendor probed; a vendor that cannot be checked now is said, not fatal. */
export async function withVendorSide(okta: Diagnosis): Promise<Diagnosis> {
  const probe = await probeVendor(`Diagnose: probe ${okta.app.vendor === 'generic' ? 'the vendor (none for this app)' : okta.app.vendor}`, {
    appId: okta.app.id,
    credentialFailing: okta.credentialFailing,
  }).catch((err: unknown): VendorProbe => {
    // The vendor cannot be checked now: diagnose from Okta's side and say why.
    if (!isActivityFailure(err)) throw err;
    return { vendor: okta.app.vendor, probed: false, findings: [], evidence: [], hints: [`The vendor could not be checked: ${failureMessage(err)}`], values: {}, at: now() };
  });
  return withVendorProbe(okta, probe);
}
