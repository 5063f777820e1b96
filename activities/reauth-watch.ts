/**
 * Auto-detection of a fixed credential as one activity that Temporal retries at the check interval
 * (its "infrequent polling" pattern): a check that finds nothing fails, and the server schedules the
 * next attempt with no event in the remediation's history. A wait of weeks costs its history a few
 * events, not a dozen per check.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { OktaActivity, VendorProbe } from '../domain/types';

/** The type of "nothing yet": retried at the interval, never the end of the watch. */
export const NO_REAUTH_YET = 'NoReauthYet';

export interface ReauthEvidence {
  /** What Okta shows, for the claim's note. */
  evidence: string;
  /** Checks made, this one included (the activity's attempt). */
  checks: number;
}

export function createReauthWatch(deps: {
  oktaActivitySince(input: { appId: string; since: string }): Promise<OktaActivity>;
  probeVendor(input: { appId: string; credentialFailing: boolean }): Promise<VendorProbe>;
}) {
  return {
    /** The vendor checks out and Okta shows a change or a success since `since`; else it fails, to be retried. */
    async reauthEvidence(input: { appId: string; since: string }): Promise<ReauthEvidence> {
      const checks = Context.current().info.attempt;
      // A check that cannot run finds nothing this time: the next one comes on the interval.
      const found = await lookFor(input).catch((err: unknown) => {
        throw ApplicationFailure.retryable(`Check ${checks} could not run: ${(err as Error)?.message ?? String(err)}`, NO_REAUTH_YET);
      });
      if (found) return { evidence: found, checks };
      throw ApplicationFailure.retryable(`Check ${checks}: no sign in Okta that the credential works again since ${input.since}.`, NO_REAUTH_YET);
    },
  };

  async function lookFor(input: { appId: string; since: string }): Promise<string | undefined> {
    const okta = await deps.oktaActivitySince(input);
    if (okta.changes.length > 0 || okta.successfulPushes > 0) {
      const probe = await deps.probeVendor({ appId: input.appId, credentialFailing: true });
      if (!probe.findings.some((f) => f.blocking)) {
        const change = okta.changes.at(-1);
        return change ? `Okta shows ${change.eventType} by ${change.actor} at ${change.at}` : `Okta shows ${okta.successfulPushes} successful pushes since ${input.since}`;
      }
    }
    return undefined;
  }
}
