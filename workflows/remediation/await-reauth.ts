/**
 * The wait for an admin's re-auth: verifies each claim, reminds, escalates, auto-detects a fixed
 * credential, removes new leavers meanwhile, and gives up at the deadline.
 */
import { condition, log } from '@temporalio/workflow';
import type { RemediationStatus } from '../../domain/types';
import { isActivityFailure, oktaActivitySince, probeVendor } from './activities';
import { notify } from './notify';
import { work } from './retry';
import { now, type Remediation } from './state';
import { verify } from './verify';

/** Did the credential start working without anyone saying so? The vendor checks out and Okta shows a change or a success. */
async function credentialLooksFixed(r: Remediation, since: string): Promise<string | undefined> {
  const okta = await oktaActivitySince('Auto-detect: recent changes and pushes in Okta', { appId: r.appId, since });
  if (okta.changes.length === 0 && okta.successfulPushes === 0) return undefined;
  const probe = await probeVendor('Auto-detect: probe the vendor', { appId: r.appId, credentialFailing: true });
  if (probe.findings.some((f) => f.blocking)) return undefined;
  const change = okta.changes.at(-1);
  return change ? `Okta shows ${change.eventType} by ${change.actor} at ${change.at}` : `Okta shows ${okta.successfulPushes} successful pushes since ${since}`;
}

/** Verifies the claims that arrived: the latest a person made is the one answered (and audited). */
async function verifyClaims(r: Remediation): Promise<boolean> {
  r.enter('verifying');
  const batch = r.unverifiedClaims.splice(0);
  // Auto-detection yields to a person's claim.
  const claim = batch.filter((c) => c.via !== 'auto-detection').at(-1) ?? batch.at(-1)!;
  claim.verified = await verify(r, claim);
  log.info(`Re-auth of app ${r.appId} reported by ${claim.by} ${claim.verified ? 'verified' : 'not verified'}: ${claim.verdict ?? ''}`, { appId: r.appId, via: claim.via, verified: claim.verified });
  for (const other of batch) if (other !== claim) Object.assign(other, { verified: claim.verified, verdict: `Answered with ${claim.by}'s report: ${claim.verdict}` });
  return claim.verified;
}

/** Waits for a re-auth that verifies, reminding, escalating and auto-detecting, until the deadline. */
export async function awaitVerifiedReauth(r: Remediation, announce: () => void): Promise<'verified' | 'timed_out'> {
  const w = r.policy!.wait;
  const since = now();
  const wait: NonNullable<RemediationStatus['wait']> = { since, reminders: 0, deadline: new Date(Date.now() + w.giveUpAfterMs).toISOString(), autoChecks: 0 };
  r.state.wait = wait;
  let nextReminder = Date.now() + w.remindEveryMs;
  let nextCheck = Date.now() + w.autoDetectEveryMs;
  // Auto-detection looks only at Okta evidence newer than the last verification.
  let evidenceSince = since;
  r.enter('awaiting_reauth');
  announce(); // the first notice already says "awaiting re-auth", with the wait on record
  for (;;) {
    // Only a real phase change moves phaseChangedAt: notices say "waiting since" from it.
    if (r.state.phase !== 'awaiting_reauth') r.enter('awaiting_reauth');
    const reminderAt = Math.max(nextReminder, wait.snoozedUntil ? Date.parse(wait.snoozedUntil) : 0);
    const wakeAt = Math.min(reminderAt, Date.parse(wait.deadline), w.autoDetect ? nextCheck : Infinity);
    const snoozed = r.snoozes;
    await condition(() => r.unverifiedClaims.length > 0 || r.snoozes !== snoozed || r.deprovisionPending(), Math.max(wakeAt - Date.now(), 1), {
      summary: `until ${new Date(wakeAt).toISOString()}: a re-auth, the next reminder, check or the deadline`,
    });
    if (r.unverifiedClaims.length > 0) {
      const judgedAt = now();
      if (await verifyClaims(r)) return 'verified';
      evidenceSince = judgedAt;
      notify(r, 'verification_failed');
      continue;
    }
    if (r.deprovisionPending()) {
      // New leavers, or an approval: their access ends now, not after the re-auth.
      await work(r, ['deprovision']);
      continue;
    }
    if (r.snoozes !== snoozed) continue;
    const t = Date.now();
    if (t >= Date.parse(wait.deadline)) return 'timed_out';
    if (t >= reminderAt) {
      wait.reminders++;
      nextReminder = t + w.remindEveryMs;
      const escalate = wait.reminders > w.escalateAfterReminders;
      if (escalate) wait.escalatedAt ??= now();
      // An escalation carries how many reminders went unanswered before it.
      notify(r, escalate ? 'escalation' : 'reminder', escalate ? wait.reminders - 1 : wait.reminders);
    }
    if (w.autoDetect && t >= nextCheck) {
      nextCheck = t + w.autoDetectEveryMs;
      wait.autoChecks++;
      // A check that cannot run just finds nothing this time.
      const evidence = await credentialLooksFixed(r, evidenceSince).catch((err: unknown) => {
        if (!isActivityFailure(err)) throw err;
        return undefined;
      });
      if (evidence) r.unverifiedClaims.push(r.pushClaim({ by: 'auto-detection', note: evidence, at: now(), via: 'auto-detection' }));
    }
    r.publish();
  }
}
