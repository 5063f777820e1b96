/**
 * What people and scripts may tell a running remediation: a re-auth (signal or verified update),
 * a snooze, more failed users, an approval to remove leavers, a cancellation's reason. Handlers are
 * set before the workflow waits, so nothing sent early is lost; nothing in a message is trusted.
 */
import { condition, log, setHandler } from '@temporalio/workflow';
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
import type { RecheckArgs } from '../../domain/messages';
import type { AffectedUser, ReauthClaim } from '../../domain/types';
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

/** A signal cannot be refused to its sender: a malformed one changes nothing and is listed in the report. */
export function refuseSignal(r: Remediation, message: string, problem: string): void {
  log.warn(`Refused ${message}: ${problem}`, { appId: r.appId });
  r.state.refusedMessages = [...(r.state.refusedMessages ?? []), { message, problem, at: now() }].slice(-MAX_REFUSED);
  r.publish();
}

export function handleMessages(r: Remediation): void {
  const { state, appId } = r;
  const refuse = (message: string, problem: string) => refuseSignal(r, message, problem);
  const awaitingReauth = () => {
    if (state.phase !== 'awaiting_reauth' || !state.wait) throw new Error(`The remediation of app ${appId} is not awaiting a re-auth (phase: ${state.phase}).`);
  };
  /** Approves removing people awaiting approval now (all, or those named); answers who was approved. */
  const approve = (by: string, logins: string[] | 'all'): string[] => {
    const at = now();
    const wanted = logins === 'all' ? undefined : new Set(logins.map((l) => l.toLowerCase()));
    // Only people awaiting approval now: someone whose deprovision fails later needs a fresh approval.
    const approvedNow = [...r.results.values()].filter((x) => x.outcome === 'awaiting_approval' && (!wanted || wanted.has(x.login.toLowerCase())));
    for (const x of approvedNow) {
      r.approved.add(x.login.toLowerCase());
      r.requeue(userKey(x)); // the removal runs now that someone with authority said so
      Object.assign(x, { detail: `Approved by ${by} at ${at}; the removal at the vendor runs next.` });
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
  setHandler(reauthCompletedSignal, (raw) => {
    const parsed = parseMessage(reauthArgsSchema, raw);
    if (!parsed.ok) return refuse('reauthCompleted', parsed.problem);
    const { by, note } = parsed.value;
    const claim = r.pushClaim({ by, note: note || undefined, at: now(), via: 'signal' });
    // A signal from outside the allow-list is kept on record, unverified.
    const refused = notAllowed(r, by);
    if (refused) Object.assign(claim, { verified: false, verdict: `Ignored: ${refused}` });
    else r.unverifiedClaims.push(claim);
    r.publish();
  });
  setHandler(
    confirmReauthUpdate,
    async (raw) => {
      const { by, note } = valid(parseMessage(reauthArgsSchema, raw));
      const claim: ReauthClaim = r.pushClaim({ by, note: note || undefined, at: now(), via: 'update' });
      r.unverifiedClaims.push(claim);
      await condition(() => claim.verified !== undefined);
      return { verified: claim.verified!, verdict: claim.verdict ?? '', mismatch: claim.mismatch };
    },
    {
      validator: (raw) => {
        awaitingReauth();
        const refused = notAllowed(r, valid(parseMessage(reauthArgsSchema, raw)).by);
        if (refused) throw new Error(refused);
      },
    },
  );
  setHandler(
    snoozeUpdate,
    (raw) => {
      const { forMs, by } = valid(parseMessage(snoozeArgsSchema, raw));
      const until = new Date(Date.now() + forMs).toISOString();
      Object.assign(state.wait!, { snoozedUntil: until, snoozedBy: by });
      r.snoozes++;
      r.publish();
      return until;
    },
    {
      validator: (raw) => {
        awaitingReauth();
        const { forMs } = valid(parseMessage(snoozeArgsSchema, raw));
        if (Date.now() + forMs > Date.parse(state.wait!.deadline)) throw new Error(`The snooze would outlast the deadline (${state.wait!.deadline}); give up the wait with cancel instead.`);
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
    const { by, all, logins } = parsed.value;
    if (notAllowed(r, by)) return;
    approve(by, all ? 'all' : logins!);
  });
  // The update (the CLI): refused, with the reason, when the approver lacks authority.
  setHandler(
    approveDeprovisionUpdate,
    (raw) => {
      const { by, all, logins } = valid(parseMessage(approveArgsSchema, raw));
      return approve(by, all ? 'all' : logins!);
    },
    {
      validator: (raw) => {
        const refused = notAllowed(r, valid(parseMessage(approveArgsSchema, raw)).by);
        if (refused) throw new Error(refused);
        if (r.isOver()) throw new Error(`The remediation of app ${appId} has ended (phase: ${state.phase}).`);
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
