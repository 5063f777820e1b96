/** The DocuSign article's last step: assign a test user, see them at the vendor, unassign, see them gone. */
import { ApplicationFailure, CancellationScope } from '@temporalio/workflow';
import type { Confirmation, ConfirmationStep } from '../../domain/types';
import { assignTestUser, awaitVendorAccess, failureMessage, isActivityFailure, unassignTestUser } from './activities';
import { now, type Remediation } from './state';

export async function confirmWithTestUser(r: Remediation, login: string): Promise<void> {
  const { appId } = r;
  const c: Confirmation = { testUser: login, ok: false, steps: [] };
  r.state.confirmation = c;
  const step = (name: ConfirmationStep['step'], ok: boolean, detail: string) => {
    c.steps.push({ step: name, ok, detail, at: now() });
    r.publish();
    return ok;
  };
  // Who may be assigned by the round trip: from the moment the assign starts (its POST may land
  // even if the activity fails or is cancelled), unless Okta refused it as not ours.
  let assigned: { userId?: string } | undefined = {};
  try {
    const a = await assignTestUser(`Test user: assign ${login} in Okta`, { appId, login });
    assigned = a;
    if (!step('assign', a.syncState === 'SYNCHRONIZED', a.detail)) return;
    const present = await awaitVendorAccess(`Test user: wait for ${login} at the vendor`, { appId, userId: a.userId, login, active: true });
    if (!step('vendor_present', present.state === 'active', present.detail)) return;
    step('unassign', true, (await unassignTestUser(`Test user: unassign ${login} in Okta`, { appId, userId: a.userId, login })).detail);
    assigned = undefined;
    const gone = await awaitVendorAccess(`Test user: wait for ${login} to be gone at the vendor`, { appId, userId: a.userId, login, active: false });
    c.ok = step('vendor_removed', gone.state !== 'active', gone.detail);
  } catch (err) {
    const notOurs = isActivityFailure(err) && err.cause instanceof ApplicationFailure && ['TestUserAlreadyAssigned', 'TestUserNotFound'].includes(err.cause.type ?? '');
    if (notOurs) assigned = undefined; // someone else's assignment: never touch it
    if (!isActivityFailure(err)) throw err;
    if (c.steps.length === 0) c.skipped = failureMessage(err);
    else step(c.steps.at(-1)?.step === 'assign' ? 'vendor_present' : 'vendor_removed', false, failureMessage(err));
  } finally {
    // Never leave the test user assigned because a later step failed, or the remediation was
    // cancelled: the cleanup runs even in a cancelled scope.
    if (assigned) {
      const { userId } = assigned;
      const why = CancellationScope.current().consideredCancelled ? 'after the cancellation' : 'after a failed step';
      await CancellationScope.nonCancellable(() =>
        unassignTestUser(`Test user: unassign ${login} ${why}`, { appId, userId, login }).then(
          (x) => step('unassign', true, `${x.detail} (${why})`),
          (err: unknown) => step('unassign', false, `Could not unassign ${login}; unassign them in Okta by hand: ${failureMessage(err)}`),
        ),
      );
    }
  }
}
