/**
 * Working through affected users: failed deprovisions first, then failed pushes, each user once.
 * The policy's answers (report only, awaiting approval) are recorded at once; the calls run in
 * child workflows of a batch of users each (user-batch-child.ts).
 */
import { CancellationScope, CancelledFailure, executeChild, patched } from '@temporalio/workflow';
import { userBatchWorkflowId } from '../../domain/messages';
import type { AffectedUser, FailureKind } from '../../domain/types';
import { acceptChildOutages } from './child-outages';
import { appLabel, decidedByPolicy, workInLanes } from './retry';
import { userKey, type Remediation } from './state';
import { handleUserBatch } from './user-batch-child';

/** Users a batch hands to its child: its input and result stay near 50 KB. */
export const USER_BATCH_SIZE = 100;

/** Behaviour change guarded for replay: before it, every user's calls ran in the remediation's own history. */
const USERS_IN_CHILD_BATCHES = 'users-in-child-batches';

export async function work(r: Remediation, kinds: readonly FailureKind[]): Promise<void> {
  if (!patched(USERS_IN_CHILD_BATCHES)) return workInLanes(r, kinds);
  for (;;) {
    if (CancellationScope.current().consideredCancelled) throw new CancelledFailure('Cancelled before the next user was started');
    const batch: AffectedUser[] = [];
    for (let u = r.take(kinds); u; u = batch.length < USER_BATCH_SIZE ? r.take(kinds) : undefined) {
      const decided = decidedByPolicy(r, u);
      if (decided) r.record(decided);
      else batch.push(u);
    }
    if (batch.length === 0) return;
    await handBatch(r, batch);
  }
}

async function handBatch(r: Remediation, users: AffectedUser[]): Promise<void> {
  for (const u of users) r.inFlight.add(userKey(u));
  const childEnded = acceptChildOutages(r);
  try {
    const { results } = await executeChild(handleUserBatch, {
      workflowId: userBatchWorkflowId(r.appId, ++r.userBatches),
      args: [{ appId: r.appId, label: appLabel(r), users, concurrency: r.input.retryConcurrency ?? 4, outageCheckSeconds: r.input.outageCheckSeconds }],
    });
    const byKey = new Map(results.map((x) => [userKey(x), x]));
    for (const u of users) {
      const result = byKey.get(userKey(u));
      if (result) r.record(result);
      else r.requeue(userKey(u)); // not started before a cancellation
    }
  } catch (err) {
    // The batch never ran, or ended without its results: its users are still to be handled.
    for (const u of users) r.requeue(userKey(u));
    throw err;
  } finally {
    for (const u of users) r.inFlight.delete(userKey(u));
    childEnded();
  }
}
