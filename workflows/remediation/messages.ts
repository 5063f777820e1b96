/**
 * What people and scripts may tell a running remediation: a re-auth (signal or verified update),
 * a snooze, more failed users, an approval to remove leavers, a cancellation's reason. Handlers are
 * set before the workflow waits, so nothing sent early is lost; nothing in a message is trusted:
 * a name given is only a name, and an admin's sign-in counts once an activity has verified it.
 */
import { ApplicationFailure, condition, isCancellation, log, setHandler } from '@temporalio/workflow';
import { addFailedUsersArgsSchema, affectedUserSchema, approveArgsSchema, cancelArgsSchema, parseMessage, reauthArgsSchema, snoozeArgsSchema } from '../../domain/message-input';
import {
  addFailedUsersSignal,
  approveDeprovisionSignal,
  approveDeprovisionUpdate,
  cancelReasonSignal,
  confirmReauthUpdate,
  reauthCompletedSignal,
  recheckUpdate,
  reportPageQuery,
  snoozeUpdate,
  statusQuery,
} from '../../domain/messages';
import type { Actor, RecheckArgs } from '../../domain/messages';
import { claimant } from '../../domain/report';
import type { AffectedUser, ReauthClaim } from '../../domain/types';
import { failureMessage, verifyIdentity } from './activities';
import { recheck } from './manual-retry';
import { MAX_REPORT_PAGE, now, userKey, type Remediation } from './state';

/** How many refused messages the report keeps: enough to see a misbehaving script, bounded. */
const MAX_REFUSED = 20;

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };
/** The input of an update, or the validator's refusal naming the field. */
const valid = <T>(parsed: Parsed<T>): T => {
  if (!parsed.ok) throw new Error(`Refused: ${parsed.problem}.`);
  return parsed.value;
};

/** Why `by` may not confirm or approve for this app, if they may not. */
export function notAllowed(r: Remediation, by: string): string | undefined {
  const allow = r.policy?.confirmers ?? [];
  return allow.length > 0 && !allow.some((a) => a.toLowerCase() === by.trim().toLowerCase()) ? `${by} is not on the confirmers allow-list of app ${r.appId} (${allow.join(', ')}).` : undefined;
}

/** Who acts, as the workflow may record them: the login Okta vouched for, or a name given where the app allows one. */
interface WhoActs {
  by: string;
  /** The Okta user id, when who acts signed in. */
  subject?: string;
}

/** Why someone who did not sign in may not act, when the app takes only signed-in admins. */
export function signInProblem(r: Remediation, signedIn: boolean): string | undefined {
  return r.policy?.requireVerifiedIdentity && !signedIn ? `App ${r.appId} takes only signed-in admins: run the command with --sign-in (a name given with --by is not proof of who acts).` : undefined;
}
const needsSignIn = (r: Remediation, actor: Actor) => signInProblem(r, actor.idToken !== undefined);

/** Who a sign-in proves acts, or why it proves nothing; the ID token goes no further than the activity that checks it. */
async function verifySignIn(r: Remediation, idToken: string): Promise<WhoActs | { refused: string }> {
  try {
    const verdict = await verifyIdentity('Verify who signed in with Okta', { idToken });
    if (verdict.verified) return { by: verdict.login, subject: verdict.subject };
    return { refused: `The sign-in could not be verified: ${verdict.reason}.` };
  } catch (err) {
    if (isCancellation(err)) throw err;
    log.warn('A sign-in could not be checked', { appId: r.appId, error: failureMessage(err) });
    return { refused: `The sign-in could not be checked: ${failureMessage(err)}.` };
  }
}

/** An update refused after it was accepted (once its sign-in is checked): it fails, with the reason, and the report lists it. */
function refuseUpdate(r: Remediation, message: string, problem: string): never {
  refuseSignal(r, message, problem);
  throw ApplicationFailure.create({ message: problem, type: 'Refused', nonRetryable: true });
}

/** A signal cannot be refused to its sender: a malformed one changes nothing and is listed in the report. */
export function refuseSignal(r: Remediation, message: string, problem: string): void {
  log.warn(`Refused ${message}: ${problem}`, { appId: r.appId });
  r.state.refusedMessages = [...(r.state.refusedMessages ?? []), { message, problem, at: now() }].slice(-MAX_REFUSED);
  r.publish();
}

export function handleMessages(r: Remediation): void {
  const { state, appId } = r;
  const refuse = (message: string, problem: string) => refuseSignal(r, message, problem);
  const notAwaitingReauth = () => (state.phase !== 'awaiting_reauth' || !state.wait ? `The remediation of app ${appId} is not awaiting a re-auth (phase: ${state.phase}).` : undefined);
  const awaitingReauth = () => {
    const problem = notAwaitingReauth();
    if (problem) throw new Error(problem);
  };
  const snoozeProblem = (forMs: number) =>
    notAwaitingReauth() ??
    (Date.now() + forMs > Date.parse(state.wait!.deadline) ? `The snooze would outlast the deadline (${state.wait!.deadline}); give up the wait with cancel instead.` : undefined);
  const ended = () => (r.isOver() ? `The remediation of app ${appId} has ended (phase: ${state.phase}).` : undefined);
  /** Approves removing people awaiting approval now (all, or those named); answers who was approved. */
  const approve = (who: WhoActs, logins: string[] | 'all'): string[] => {
    const at = now();
    const wanted = logins === 'all' ? undefined : new Set(logins.map((l) => l.toLowerCase()));
    // Only people awaiting approval now: someone whose deprovision fails later needs a fresh approval.
    const approvedNow = [...r.results.values()].filter((x) => x.outcome === 'awaiting_approval' && (!wanted || wanted.has(x.login.toLowerCase())));
    for (const x of approvedNow) {
      r.approved.add(x.login.toLowerCase());
      r.requeue(userKey(x)); // the removal runs now that someone with authority said so
      Object.assign(x, { detail: `Approved by ${claimant(who)} at ${at}; the removal at the vendor runs next.` });
    }
    r.publish();
    return approvedNow.map((x) => x.login);
  };

  setHandler(statusQuery, () => r.view());
  setHandler(reportPageQuery, (args) => {
    const after = Number(args?.after ?? 0);
    if (!Number.isSafeInteger(after) || after < 0) throw new Error(`Refused: after must be a cursor a previous page gave as next, not ${JSON.stringify(args?.after)}.`);
    return r.page(after, Number(args?.limit ?? MAX_REPORT_PAGE) || MAX_REPORT_PAGE);
  });
  const claimBySignal = (who: WhoActs, note: string | undefined) => {
    const claim = r.pushClaim({ by: who.by, subject: who.subject, note: note || undefined, at: now(), via: 'signal' });
    // A signal from outside the allow-list is kept on record, unverified.
    const refused = notAllowed(r, who.by);
    if (refused) Object.assign(claim, { verified: false, verdict: `Ignored: ${refused}` });
    else r.unverifiedClaims.push(claim);
    r.publish();
  };
  setHandler(reauthCompletedSignal, (raw) => {
    const parsed = parseMessage(reauthArgsSchema, raw);
    if (!parsed.ok) return refuse('reauthCompleted', parsed.problem);
    const { by, note, idToken } = parsed.value;
    if (idToken === undefined) {
      const unsigned = needsSignIn(r, parsed.value);
      return unsigned ? refuse('reauthCompleted', unsigned) : claimBySignal({ by: by! }, note);
    }
    // Only a message with a sign-in waits on an activity: the handler of one without stays as it was.
    return verifySignIn(r, idToken).then((who) => ('refused' in who ? refuse('reauthCompleted', who.refused) : claimBySignal(who, note)));
  });
  setHandler(
    confirmReauthUpdate,
    async (raw) => {
      const { by, note, idToken } = valid(parseMessage(reauthArgsSchema, raw));
      let who: WhoActs = { by: by! };
      if (idToken !== undefined) {
        const proven = await verifySignIn(r, idToken);
        if ('refused' in proven) refuseUpdate(r, 'confirmReauth', proven.refused);
        who = proven;
        // The wait may have ended, and the allow-list names logins: both are checked again for who signed in.
        const refused = notAwaitingReauth() ?? notAllowed(r, who.by);
        if (refused) refuseUpdate(r, 'confirmReauth', refused);
      }
      const claim: ReauthClaim = r.pushClaim({ by: who.by, subject: who.subject, note: note || undefined, at: now(), via: 'update' });
      r.unverifiedClaims.push(claim);
      await condition(() => claim.verified !== undefined);
      return { verified: claim.verified!, verdict: claim.verdict ?? '', mismatch: claim.mismatch };
    },
    {
      validator: (raw) => {
        awaitingReauth();
        const args = valid(parseMessage(reauthArgsSchema, raw));
        const refused = needsSignIn(r, args) ?? (args.idToken === undefined ? notAllowed(r, args.by!) : undefined);
        if (refused) throw new Error(refused);
      },
    },
  );
  setHandler(
    snoozeUpdate,
    (raw) => {
      const { forMs, by, idToken } = valid(parseMessage(snoozeArgsSchema, raw));
      const snooze = (snoozedBy: string | undefined) => {
        const until = new Date(Date.now() + forMs).toISOString();
        Object.assign(state.wait!, { snoozedUntil: until, snoozedBy });
        r.snoozes++;
        r.publish();
        return until;
      };
      if (idToken === undefined) return snooze(by);
      return verifySignIn(r, idToken).then((who) => {
        if ('refused' in who) refuseUpdate(r, 'snooze', who.refused);
        // Signed in, who snoozes is known: reminders and escalations are the confirmers' to postpone.
        const refused = notAllowed(r, who.by) ?? snoozeProblem(forMs);
        if (refused) refuseUpdate(r, 'snooze', refused);
        return snooze(who.by);
      });
    },
    {
      validator: (raw) => {
        awaitingReauth();
        const args = valid(parseMessage(snoozeArgsSchema, raw));
        const refused = snoozeProblem(args.forMs) ?? needsSignIn(r, args);
        if (refused) throw new Error(refused);
      },
    },
  );
  setHandler(addFailedUsersSignal, (raw) => {
    const parsed = parseMessage(addFailedUsersArgsSchema, raw);
    if (!parsed.ok) return refuse('addFailedUsers', parsed.problem);
    // Each well-formed user is kept: one bad entry from a script must not lose the others.
    const users: AffectedUser[] = [];
    parsed.value.users.forEach((u, i) => {
      const user = parseMessage(affectedUserSchema, u);
      if (user.ok) users.push(user.value);
      else refuse('addFailedUsers', `users[${i}]: ${user.problem}`);
    });
    r.addAffected(users);
    r.publish();
  });
  setHandler(cancelReasonSignal, (raw) => {
    const parsed = parseMessage(cancelArgsSchema, raw);
    if (!parsed.ok) return refuse('cancelReason', parsed.problem);
    state.cancellation = { reason: parsed.value.reason, by: parsed.value.by, at: now() };
  });
  // The signal, for scripts and `temporal workflow signal`: it cannot be refused, so one from
  // outside the allow-list (or malformed) changes nothing.
  setHandler(approveDeprovisionSignal, (raw) => {
    const parsed = parseMessage(approveArgsSchema, raw);
    if (!parsed.ok) return refuse('approveDeprovision', parsed.problem);
    const { by, all, logins, idToken } = parsed.value;
    if (idToken === undefined) {
      const unsigned = needsSignIn(r, parsed.value);
      if (unsigned) return refuse('approveDeprovision', unsigned);
      if (!notAllowed(r, by!)) approve({ by: by! }, all ? 'all' : logins!);
      return;
    }
    return verifySignIn(r, idToken).then((who) => {
      // Signed in, a refusal is recorded: who was refused is known, unlike a name given.
      if ('refused' in who) return refuse('approveDeprovision', who.refused);
      const offList = notAllowed(r, who.by);
      if (offList) return refuse('approveDeprovision', offList);
      approve(who, all ? 'all' : logins!);
    });
  });
  // The update (the CLI): refused, with the reason, when the approver lacks authority.
  setHandler(
    approveDeprovisionUpdate,
    (raw) => {
      const { by, all, logins, idToken } = valid(parseMessage(approveArgsSchema, raw));
      if (idToken === undefined) return approve({ by: by! }, all ? 'all' : logins!);
      return verifySignIn(r, idToken).then((who) => {
        if ('refused' in who) refuseUpdate(r, 'approveDeprovision', who.refused);
        const refused = notAllowed(r, who.by) ?? ended();
        if (refused) refuseUpdate(r, 'approveDeprovision', refused);
        return approve(who, all ? 'all' : logins!);
      });
    },
    {
      validator: (raw) => {
        const args = valid(parseMessage(approveArgsSchema, raw));
        const refused = needsSignIn(r, args) ?? (args.idToken === undefined ? notAllowed(r, args.by!) : undefined) ?? ended();
        if (refused) throw new Error(refused);
      },
    },
  );
  // After the admin's Retry Selected in Okta: the users left for it are re-read now.
  setHandler(recheckUpdate, (_args: RecheckArgs) => recheck(r), {
    validator: (_args: RecheckArgs) => {
      if (state.phase !== 'awaiting_manual_retry' || r.waitingForManualRetry() === 0) {
        throw new Error(`The remediation of app ${appId} has no users waiting for a Retry Selected in Okta (phase: ${state.phase}).`);
      }
    },
  });
}
