/**
 * Never trust a re-auth claim alone: Okta's audit says who changed the app, the vendor must check
 * out, and a canary push must succeed. A verification that cannot run is a failed one, not a
 * failed remediation.
 */
import { reauthCommand, withVendorProbe } from '../../domain/diagnosis';
import type { ReauthClaim, VendorProbe } from '../../domain/types';
import { failureMessage, isActivityFailure, oktaActivitySince, probeVendor, repushUser } from './activities';
import { notAllowed, signInProblem } from './messages';
import type { Remediation } from './state';

export async function verify(r: Remediation, claim: ReauthClaim): Promise<boolean> {
  const refused = claim.via !== 'auto-detection' ? (signInProblem(r, claim.subject !== undefined) ?? notAllowed(r, claim.by)) : undefined;
  if (refused) {
    // Checked here too: a signal that came before the app's policy was known.
    claim.verdict = `Ignored: ${refused}`;
    return false;
  }
  try {
    return await checkReauth(r, claim);
  } catch (err) {
    if (!isActivityFailure(err)) throw err;
    claim.verdict = `Could not verify: ${failureMessage(err)}`;
    return false;
  }
}

/** Okta's record of who changed the app since the failures began, set on the claim (with a mismatch, if any). */
async function audit(r: Remediation, claim: ReauthClaim): Promise<void> {
  const { state, appId } = r;
  // Any change since the failures began counts: an admin may have re-authenticated before the
  // remediation started and then reported it.
  const since = r.earliestFailedAt() ?? state.wait?.since ?? state.startedAt;
  const okta = await oktaActivitySince(`Audit: who changed the app in Okta since ${since}`, { appId, since });
  claim.oktaChanges = okta.changes;
  if (claim.via === 'auto-detection') return;
  const actors = [...new Set(okta.changes.map((c) => c.actor))];
  const cut = okta.truncatedBefore ? ` (only events after ${okta.truncatedBefore} were read: the log held more than one audit reads)` : '';
  if (actors.length === 0) claim.mismatch = `Okta's System Log shows no change of the app since the failures began (${since})${cut}.`;
  else if (!actors.some((a) => a.toLowerCase() === claim.by.trim().toLowerCase())) claim.mismatch = `Okta's System Log shows the app changed by ${actors.join(', ')}, not ${claim.by}.`;
}

async function checkReauth(r: Remediation, claim: ReauthClaim): Promise<boolean> {
  const { state, appId } = r;
  await audit(r, claim);
  // The vendor's outage, or the pipeline's own vendor credential refused, says nothing about the
  // re-auth: the canary push decides, and the verdict says the vendor was not checked.
  let probe: VendorProbe | undefined;
  let unchecked: string | undefined;
  try {
    probe = await probeVendor('Verify: probe the vendor', { appId, credentialFailing: true });
  } catch (err) {
    if (!isActivityFailure(err)) throw err;
    unchecked = `Vendor not checked (${failureMessage(err)}).`;
  }
  if (probe) r.setDiagnosis(withVendorProbe(state.diagnosis!, probe));
  const blocking = probe?.findings.filter((f) => f.blocking).sort((a, b) => b.confidence - a.confidence)[0];
  if (blocking) {
    const cause = state.diagnosis!.causes.find((c) => c.id === blocking.cause);
    claim.verdict = `${cause?.title ?? blocking.cause}. ${blocking.evidence[0] ?? ''}`.trim();
    return false;
  }
  // A canary no longer assigned in Okta proves nothing: record it and try the next one.
  for (;;) {
    const canary = r.firstPending();
    if (!canary && unchecked) {
      claim.verdict = `Could not verify: ${unchecked} No user is left to push at Okta as a canary.`;
      return false;
    }
    if (!canary) {
      claim.verdict = `${probe?.probed ? 'The vendor checks out; n' : 'N'}o user is left to push at Okta, so there is no canary to test.`;
      return true;
    }
    // A sync since the last refused claim counts: the admin may have retried the canary in Okta's Tasks page since.
    const syncedSince = state.reauthClaims.filter((c) => c !== claim && c.verified === false).at(-1)?.at;
    const result = await repushUser(`Verify: push canary ${canary.login}`, { appId, user: canary, force: true, ...(syncedSince ? { syncedSince } : {}) });
    if (result.outcome === 'skipped') {
      r.record(result);
      continue;
    }
    if (result.outcome === 'needs_manual_retry') return canaryNotTried(r, claim, canary.login, probe?.probed === true && !unchecked);
    if (result.outcome === 'succeeded') {
      r.record(result);
      claim.verdict = unchecked ? `${unchecked} Canary ${canary.login} synchronized.` : `${probe?.probed ? 'The vendor checks out and c' : 'C'}anary ${canary.login} synchronized.`;
      return true;
    }
    claim.verdict = `Canary ${canary.login} still fails: ${result.detail}`;
    return false;
  }
}

/**
 * Okta made no new attempt for the canary (a POST that changes nothing may start none), so the
 * push proves nothing either way. A vendor that checks out vouches for the credential: the retry
 * goes on, and the users Okta does not retry wait for Retry Selected. Without it, the admin retries
 * the canary in Okta and confirms again; a sync since then proves the credential.
 */
function canaryNotTried(r: Remediation, claim: ReauthClaim, login: string, vendorChecksOut: boolean): boolean {
  const none = `Okta made no new push attempt for canary ${login} after the pipeline's request`;
  if (vendorChecksOut) {
    claim.verdict = `The vendor checks out. ${none}, so it is left for Retry Selected in Okta.`;
    return true;
  }
  claim.verdict = `Could not verify: ${none}. Retry ${login} in the Okta Admin Console (Dashboard > Tasks > Retry Selected), then confirm again: ${reauthCommand(r.appId)}`;
  return false;
}
