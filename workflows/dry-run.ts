/**
 * The dry run (`okta-remediate diagnose`): the remediation's diagnosis, Okta's side and the
 * vendor's, and its plan, with nothing changed anywhere. It reads only: no re-push, no removal, no
 * notice, no remediation left running.
 */
import { planRemediation, type DryRunResult } from '../domain/plan';
import { diagnoseApp } from './remediation/activities';
import { withVendorSide } from './remediation/vendor-side';

export async function dryRunRemediation(input: { appId: string }): Promise<DryRunResult> {
  const okta = await diagnoseApp('Dry run: read the app, its failures and app users in Okta', { appId: input.appId, paged: true });
  const diagnosis = await withVendorSide(okta);
  return { diagnosis, plan: planRemediation(diagnosis, okta.policy!) };
}
