/**
 * A batch of a remediation's users as a child workflow: removals at the vendor and one-by-one
 * re-pushes, a few at once, each user's result returned together at the end. The remediation's
 * own history then grows by a few events a batch, however many leavers there are.
 */
import { CancellationScope, isCancellation } from '@temporalio/workflow';
import type { UserBatchInput, UserBatchResult } from '../../domain/messages';
import type { AffectedUser, UserResult } from '../../domain/types';
import { childOutageHost, parentRemediation } from './child-outages';
import { act, cancelledInFlight } from './retry';

export async function handleUserBatch(input: UserBatchInput): Promise<UserBatchResult> {
  const host = childOutageHost(parentRemediation(), input.appId, input.outageCheckSeconds);
  const queue: AffectedUser[] = [...input.users];
  const results: UserResult[] = [];
  const lane = async () => {
    // Once cancelled, a lane starts nobody else: the remediation hands unstarted users back to its queue.
    for (let u = queue.shift(); u && !CancellationScope.current().consideredCancelled; u = queue.shift()) {
      try {
        results.push(await act(host, input.label, u));
      } catch (err) {
        // Its push may already be at Okta (a removal in flight always finishes): say so.
        if (!isCancellation(err)) throw err;
        results.push(cancelledInFlight(u));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, input.concurrency) }, lane));
  // Returned even when cancelled: the remediation records what was done before it goes on cancelling.
  return { results };
}
