/**
 * The wait for an admin's re-auth: verifies each claim, reminds, escalates, auto-detects a fixed
 * credential, removes new leavers meanwhile, and gives up at the deadline.
 */
import { CancellationScope, condition, isCancellation, log, patched, sleep } from '@temporalio/workflow';
import type { RemediationStatus } from '../../domain/types';
import { isActivityFailure, oktaActivitySince, probeVendor, reauthEvidence } from './activities';
import { notify } from './notify';
import { work } from './work';
import { now, type Remediation } from './state';
import { verify } from './verify';

/**
 * Behaviour change guarded for replay: before it, each auto-detection check was a timer and an
 * activity in the history (a dozen events every 15 minutes: 15,000 in a 14-day wait); now one
 * activity, retried by the server at the interval, makes every check.
 */
const AUTO_DETECT_BY_RETRIES = 'auto-detect-by-activity-retries';

/** The auto-detection under way: the server retries its one activity until a check finds the credential working. */
interface Watch {
  scope: CancellationScope;
  startedAt: number;
  found?: { evidence: string; checks: number };
}

/**
 * Stops a watch that found nothing, counting its checks: one an interval since it started (the
 * server made them as retries, which the workflow does not hear of when it cancels them).
 */
function stopWatch(watch: Watch | undefined, everyMs: number, wait: { autoChecks: number }): undefined {
  if (watch && !watch.found) {
    watch.scope.cancel();
    wait.autoChecks += Math.max(0, Math.floor((Date.now() - watch.startedAt) / everyMs));
  }
  return undefined;
}

function watchForReauth(r: Remediation, since: string, everyMs: number): Watch {
  const watch: Watch = { scope: new CancellationScope(), startedAt: Date.now() };
  watch.scope
    .run(async () => {
      // The first check comes one interval in, as each check after it.
      await sleep(everyMs);
      return reauthEvidence(`Auto-detect: checks Okta every ${everyMs / 1000}s for a working credential`, { appId: r.appId, since }, everyMs);
    })
    .then(
      (found) => (watch.found = found),
      (err: unknown) => {
        // Cancelled when a person's claim or the end of the wait comes first.
        if (!isCancellation(err)) log.warn(`Auto-detection for app ${r.appId} stopped`, { appId: r.appId, error: String(err) });
      },
    );
  return watch;
}

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
  let watch = w.autoDetect && patched(AUTO_DETECT_BY_RETRIES) ? watchForReauth(r, since, w.autoDetectEveryMs) : undefined;
  try {
    return await waitLoop();
  } finally {
    watch = stopWatch(watch, w.autoDetectEveryMs, wait);
  }

  async function waitLoop(): Promise<'verified' | 'timed_out'> {
    const byRetries = watch !== undefined;
    for (;;) {
      // Only a real phase change moves phaseChangedAt: notices say "waiting since" from it.
      if (r.state.phase !== 'awaiting_reauth') r.enter('awaiting_reauth');
      const reminderAt = Math.max(nextReminder, wait.snoozedUntil ? Date.parse(wait.snoozedUntil) : 0);
      const wakeAt = Math.min(reminderAt, Date.parse(wait.deadline), w.autoDetect && !byRetries ? nextCheck : Infinity);
      const snoozed = r.snoozes;
      await condition(() => r.unverifiedClaims.length > 0 || r.snoozes !== snoozed || r.deprovisionPending() || watch?.found !== undefined, Math.max(wakeAt - Date.now(), 1), {
        summary: `until ${new Date(wakeAt).toISOString()}: a re-auth, the next reminder${byRetries ? '' : ', check'} or the deadline`,
      });
      if (watch?.found) {
        wait.autoChecks += watch.found.checks;
        r.unverifiedClaims.push(r.pushClaim({ by: 'auto-detection', note: watch.found.evidence, at: now(), via: 'auto-detection' }));
        watch = undefined;
      }
      if (r.unverifiedClaims.length > 0) {
        watch = stopWatch(watch, w.autoDetectEveryMs, wait);
        const judgedAt = now();
        if (await verifyClaims(r)) return 'verified';
        evidenceSince = judgedAt;
        // Auto-detection looks again, at evidence newer than this verification.
        if (byRetries) watch = watchForReauth(r, evidenceSince, w.autoDetectEveryMs);
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
      if (w.autoDetect && !byRetries && t >= nextCheck) {
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
}
