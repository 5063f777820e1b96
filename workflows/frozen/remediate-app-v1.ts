/**
 * One durable remediation per Okta app: diagnose (Okta and the vendor), remove the access of
 * people whose deprovision failed (per policy), wait for the admin's re-auth, verify it (vendor
 * probe and canary push), retry every affected user, optionally confirm with a test user, report.
 * The workflow decides; activities act.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  condition,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import * as wf from '@temporalio/workflow';
import type { ActivityOptions, RetryPolicy } from '@temporalio/common';
import type { Activities } from '../../activities';
import { POLLING_ACTIVITY_TIMEOUT_MS } from '../../domain/activity-timeouts';
import { withVendorProbe } from '../../domain/diagnosis';
import { addFailedUsersArgsSchema, affectedUserSchema, approveArgsSchema, cancelArgsSchema, parseMessage, reauthArgsSchema, snoozeArgsSchema } from '../../domain/message-input';
import { formatDuration, renderMarkdown } from '../../domain/report';
import type { NoticeKind } from '../../domain/notice';
import type { AffectedUser, AppPolicy, Confirmation, ConfirmationStep, Diagnosis, NotificationRecord, Phase, ReauthClaim, RemediationStatus, UserResult, VendorProbe } from '../../domain/types';
import {
  addFailedUsersSignal,
  approveDeprovisionSignal,
  approveDeprovisionUpdate,
  cancelReasonSignal,
  confirmReauthUpdate,
  reauthCompletedSignal,
  snoozeUpdate,
  statusQuery,
  type RemediationInput,
} from '../../domain/messages';
import { AFFECTED_USERS, OKTA_APP_LABEL, OKTA_VENDOR, REMEDIATION_PHASE } from '../../domain/search-attributes';

/** Failures that retrying cannot fix: the step stops and says why. */
const NON_RETRYABLE = ['UnknownOktaApp', 'OktaAccessDenied', 'OktaRejectedRequest', 'VendorNotConfigured', 'VendorAccessDenied', 'TestUserNotFound', 'TestUserAlreadyAssigned', 'AssignedInOkta'];
const retry: RetryPolicy = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20, nonRetryableErrorTypes: NON_RETRYABLE };

const QUICK: ActivityOptions = { startToCloseTimeout: '5 minutes', retry };
/** Activities that wait on Okta or the vendor heartbeat while they poll. */
const POLLING: ActivityOptions = { startToCloseTimeout: POLLING_ACTIVITY_TIMEOUT_MS, heartbeatTimeout: '1 minute', retry };
/** A vendor probe gives up within seconds: the diagnosis says the vendor was not checked, the canary push decides a re-auth. */
const PROBE: ActivityOptions = { startToCloseTimeout: '2 minutes', retry: { ...retry, maximumAttempts: 4 } };
const quick = proxyActivities<Activities>(QUICK);
const polling = proxyActivities<Activities>(POLLING);

/** Every activity runs with a one-line summary, so the Web UI's event list reads as a story. */
const diagnoseApp = (summary: string, input: { appId: string }) => quick.diagnoseApp.executeWithOptions({ ...QUICK, summary }, [input]);
const probeVendor = (summary: string, input: { appId: string; credentialFailing: boolean }) => quick.probeVendor.executeWithOptions({ ...PROBE, summary }, [input]);
const removeVendorAccess = (summary: string, input: Parameters<Activities['removeVendorAccess']>[0]) => quick.removeVendorAccess.executeWithOptions({ ...QUICK, summary }, [input]);
const oktaActivitySince = (summary: string, input: { appId: string; since: string }) => quick.oktaActivitySince.executeWithOptions({ ...QUICK, summary }, [input]);
const repushUser = (summary: string, input: Parameters<Activities['repushUser']>[0]) => polling.repushUser.executeWithOptions({ ...POLLING, summary }, [input]);
const assignTestUser = (summary: string, input: Parameters<Activities['assignTestUser']>[0]) => polling.assignTestUser.executeWithOptions({ ...POLLING, summary }, [input]);
const unassignTestUser = (summary: string, input: Parameters<Activities['unassignTestUser']>[0]) => polling.unassignTestUser.executeWithOptions({ ...POLLING, summary }, [input]);
const awaitVendorAccess = (summary: string, input: Parameters<Activities['awaitVendorAccess']>[0]) => polling.awaitVendorAccess.executeWithOptions({ ...POLLING, summary }, [input]);

const NOTIFY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 8,
    nonRetryableErrorTypes: ['NotificationChannelUnknown', 'NotificationSettingInvalid', 'NotificationRejected'],
  },
};
/** A channel that fails is retried on its own and never holds up the others or the remediation. */
const { deliverNotice } = proxyActivities<Activities>(NOTIFY_OPTIONS);

const userKey = (u: { kind: string; userId: string }) => `${u.kind}:${u.userId}`;
/** How many refused messages the report keeps: enough to see a misbehaving script, bounded. */
const MAX_REFUSED = 20;
/**
 * Behaviour changes since the first release, each behind a patch so that remediations started on
 * an earlier release replay and carry on with the behaviour they began with (see the README's
 * "Upgrading"). Never rename or remove one while a run that may lack it can still exist.
 */
const PATCHES = {
  /** Messages are checked for shape before use (domain/message-input.ts). */
  strictMessages: 'strict-message-input',
  /** The test user is unassigned whatever ends the round trip (a failed assign, a cancellation). */
  testUserCleanup: 'test-user-cleanup',
  /** Everyone who joins while the final notices go out is handled before the result is final. */
  finishHandlesEveryone: 'finish-handles-everyone',
  /** A removal at the vendor, once started, completes and is recorded even when cancelled. */
  removalCompletes: 'removal-completes-on-cancel',
  /**
   * An approval applies to people awaiting approval at that moment, once. Before it (release of
   * 2026-11-23) an approval signal also pre-approved logins not yet awaiting, for good.
   */
  approvalsForAwaitingOnly: 'approvals-for-awaiting-only',
  /** A notice every primary channel refused goes to the escalation channels instead. */
  escalationFallback: 'notice-escalation-fallback',
  /** A remediation that fails says so on its channels (the `failed` notice). */
  failedNotice: 'failed-notice',
  /** A vendor that cannot be checked leaves the verdict to the canary push ("vendor not checked"). */
  verifyWithoutVendor: 'verify-without-vendor',
} as const;
/** The checks before PATCHES.strictMessages, kept so histories recorded earlier replay unchanged. */
const isAffectedUser = (u: unknown): u is AffectedUser => {
  const a = u as AffectedUser;
  return !!a && typeof a.userId === 'string' && typeof a.login === 'string' && (a.kind === 'push' || a.kind === 'deprovision') && typeof a.failedAt === 'string';
};
const deprovisionsFirst = (a: AffectedUser, b: AffectedUser) => Number(a.kind === 'push') - Number(b.kind === 'push');
const failureMessage = (err: unknown) => (err instanceof ActivityFailure ? (err.cause?.message ?? err.message) : String((err as Error)?.message ?? err));

export async function remediateApp(input: RemediationInput): Promise<RemediationStatus> {
  const { appId } = input;
  const now = () => new Date().toISOString(); // deterministic inside workflows
  const state: RemediationStatus = { appId, phase: 'diagnosing', affected: [], results: [], reauthClaims: [], notifications: [], startedAt: now(), phaseChangedAt: now() };
  const notices: Promise<unknown>[] = [];
  let snoozes = 0;
  const unverifiedClaims: ReauthClaim[] = [];
  const approved = new Set<string>(); // logins (lower case) approved for removal at the vendor
  const done = new Set<string>();
  const inFlight = new Set<string>();
  let policy: AppPolicy | undefined;

  let indexed = '';
  const publish = () => {
    wf.setCurrentDetails(renderMarkdown(state));
    // One history event per real change, not per user result.
    const key = `${state.phase}/${state.affected.length}`;
    if (key === indexed) return;
    indexed = key;
    upsertSearchAttributes([
      { key: REMEDIATION_PHASE, value: state.phase },
      { key: AFFECTED_USERS, value: state.affected.length },
    ]);
  };
  const enter = (phase: Phase) => {
    if (state.phase !== phase) log.info(`Remediation of app ${appId}: phase ${phase}`, { appId, phase, affected: state.affected.length });
    state.phase = phase;
    state.phaseChangedAt = now();
    publish();
  };
  const setDiagnosis = (d: Diagnosis) => {
    state.diagnosis = d;
    publish();
  };
  const record = (r: UserResult) => {
    done.add(userKey(r));
    state.results = [...state.results.filter((x) => userKey(x) !== userKey(r)), r];
    publish();
  };
  const addAffected = (users: AffectedUser[]) => {
    for (const u of users) {
      const known = state.affected.some((a) => userKey(a) === userKey(u));
      if (!known) state.affected.push(u);
      else {
        // Failed again after we handled it (not a re-sent old failure): handle it once more.
        const result = state.results.find((r) => userKey(r) === userKey(u));
        if (result && result.outcome !== 'awaiting_approval' && u.failedAt > result.at && !inFlight.has(userKey(u))) {
          done.delete(userKey(u));
          state.results = state.results.filter((r) => r !== result);
        }
      }
    }
    state.affected.sort(deprovisionsFirst);
  };
  const deprovisionPending = () => state.affected.some((u) => u.kind === 'deprovision' && !done.has(userKey(u)) && !inFlight.has(userKey(u)));
  const isApproved = (u: AffectedUser) => approved.has(u.login.toLowerCase());

  // Handlers first, so a message sent before the workflow waits for it is kept, not lost.
  setHandler(statusQuery, () => state);
  // Runs of this release predate sign-ins: a message that names nobody (only an ID token) is refused.
  const notAllowed = (by: string | undefined) => {
    if (by === undefined) return `The remediation of app ${appId} started before sign-ins were checked: name who acts with --by.`;
    const allow = policy?.confirmers ?? [];
    return allow.length > 0 && !allow.some((a) => a.toLowerCase() === by.trim().toLowerCase()) ? `${by} is not on the confirmers allow-list of app ${appId} (${allow.join(', ')}).` : undefined;
  };
  /** A signal cannot be refused to its sender: a malformed one changes nothing and is listed in the report. */
  const refuse = (message: string, problem: string) => {
    log.warn(`Refused ${message}: ${problem}`, { appId });
    state.refusedMessages = [...(state.refusedMessages ?? []), { message, problem, at: now() }].slice(-MAX_REFUSED);
    publish();
  };
  /** The input of an update, or the validator's refusal naming the field. */
  const valid = <T>(parsed: { ok: true; value: T } | { ok: false; problem: string }): T => {
    if (!parsed.ok) throw new Error(`Refused: ${parsed.problem}.`);
    return parsed.value;
  };
  /**
   * An update's input in its handler. The validator passed it, except for updates accepted before
   * PATCHES.strictMessages, which replay with the fields read as they were then.
   */
  const accepted = <T>(parsed: { ok: true; value: T } | { ok: false; problem: string }, asBefore: () => T): T => (parsed.ok ? parsed.value : asBefore());
  const field = (raw: unknown, name: string) => (raw as Record<string, unknown> | undefined)?.[name];
  const trimmed = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const isOver = () => ['completed', 'timed_out', 'failed', 'cancelled'].includes(state.phase);
  const awaitingReauth = () => {
    if (state.phase !== 'awaiting_reauth' || !state.wait) throw new Error(`The remediation of app ${appId} is not awaiting a re-auth (phase: ${state.phase}).`);
  };

  setHandler(reauthCompletedSignal, (raw) => {
    const strict = patched(PATCHES.strictMessages);
    const parsed = parseMessage(reauthArgsSchema, raw);
    if (!parsed.ok && strict) return refuse('reauthCompleted', parsed.problem);
    // Before the patch a malformed signal was kept on record, unverified, with what it named.
    const { by, note } = parsed.ok ? parsed.value : { by: trimmed(field(raw, 'by')) ?? '', note: trimmed(field(raw, 'note')) };
    const claim: ReauthClaim = { by: by || '(nobody)', note: note || undefined, at: now(), via: 'signal' };
    state.reauthClaims.push(claim);
    // A signal from outside the allow-list is kept on record, unverified.
    const refused = by ? notAllowed(by) : 'the signal does not say who re-authenticated ("by").';
    if (refused) Object.assign(claim, { verified: false, verdict: `Ignored: ${refused}` });
    else unverifiedClaims.push(claim);
    publish();
  });
  setHandler(
    confirmReauthUpdate,
    async (raw) => {
      const { by, note } = accepted(parseMessage(reauthArgsSchema, raw), () => ({ by: trimmed(field(raw, 'by')) ?? '', note: trimmed(field(raw, 'note')) }));
      const claim: ReauthClaim = { by: by ?? '', note: note || undefined, at: now(), via: 'update' };
      state.reauthClaims.push(claim);
      unverifiedClaims.push(claim);
      await condition(() => claim.verified !== undefined);
      return { verified: claim.verified!, verdict: claim.verdict ?? '', mismatch: claim.mismatch };
    },
    {
      validator: (raw) => {
        awaitingReauth();
        const refused = notAllowed(valid(parseMessage(reauthArgsSchema, raw)).by);
        if (refused) throw new Error(refused);
      },
    },
  );
  setHandler(
    snoozeUpdate,
    (raw) => {
      const { forMs, by } = accepted(parseMessage(snoozeArgsSchema, raw), () => ({ forMs: Number(field(raw, 'forMs')), by: trimmed(field(raw, 'by')) }));
      const until = new Date(Date.now() + forMs).toISOString();
      Object.assign(state.wait!, { snoozedUntil: until, snoozedBy: by });
      snoozes++;
      publish();
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
    if (!patched(PATCHES.strictMessages)) {
      const args = raw as { users?: unknown } | undefined;
      addAffected((Array.isArray(args?.users) ? args.users : []).filter(isAffectedUser));
      publish();
      return;
    }
    const parsed = parseMessage(addFailedUsersArgsSchema, raw);
    if (!parsed.ok) return refuse('addFailedUsers', parsed.problem);
    // Each well-formed user is kept: one bad entry from a script must not lose the others.
    const users: AffectedUser[] = [];
    parsed.value.users.forEach((u, i) => {
      const user = parseMessage(affectedUserSchema, u);
      if (user.ok) users.push(user.value);
      else refuse('addFailedUsers', `users[${i}]: ${user.problem}`);
    });
    addAffected(users);
    publish();
  });
  setHandler(cancelReasonSignal, (raw) => {
    const parsed = parseMessage(cancelArgsSchema, raw);
    if (!parsed.ok) return refuse('cancelReason', parsed.problem);
    state.cancellation = { reason: parsed.value.reason, by: parsed.value.by, at: now() };
  });
  /** Approves removing people awaiting approval now (all, or those named); answers who was approved. */
  const approve = (by: string, logins: string[] | 'all'): string[] => {
    const at = now();
    const wanted = logins === 'all' ? undefined : new Set(logins.map((l) => l.toLowerCase()));
    // Only people awaiting approval now: someone whose deprovision fails later needs a fresh approval.
    const approvedNow = state.results.filter((r) => r.outcome === 'awaiting_approval' && (!wanted || wanted.has(r.login.toLowerCase())));
    for (const r of approvedNow) {
      approved.add(r.login.toLowerCase());
      done.delete(userKey(r)); // the removal runs now that someone with authority said so
      Object.assign(r, { detail: `Approved by ${by} at ${at}; the removal at the vendor runs next.` });
    }
    publish();
    return approvedNow.map((r) => r.login);
  };
  /** The approval signal as the release of 2026-11-23 handled it, for the runs it started. */
  const preApprove = (raw: unknown) => {
    const args = raw as { by?: unknown; all?: unknown; logins?: unknown } | undefined;
    const by = typeof args?.by === 'string' && args.by.trim() ? args.by.trim() : undefined;
    if (!by || notAllowed(by)) return;
    const logins = args?.all ? state.results.filter((r) => r.outcome === 'awaiting_approval').map((r) => r.login) : Array.isArray(args?.logins) ? (args.logins as unknown[]) : [];
    for (const login of logins) if (typeof login === 'string') approved.add(login.toLowerCase());
    for (const r of state.results) {
      if (r.outcome === 'awaiting_approval' && approved.has(r.login.toLowerCase())) {
        done.delete(userKey(r));
        r.detail = `Approved by ${by}; the removal at the vendor runs next.`;
      }
    }
    publish();
  };
  // The signal, for scripts and `temporal workflow signal`: it cannot be refused, so one from
  // outside the allow-list (or malformed) changes nothing.
  setHandler(approveDeprovisionSignal, (raw) => {
    if (!patched(PATCHES.approvalsForAwaitingOnly)) return preApprove(raw);
    const parsed = parseMessage(approveArgsSchema, raw);
    if (!parsed.ok) return refuse('approveDeprovision', parsed.problem);
    const { by, all, logins } = parsed.value;
    if (notAllowed(by)) return;
    approve(by!, all ? 'all' : logins!);
  });
  // The update (the CLI): refused, with the reason, when the approver lacks authority.
  setHandler(
    approveDeprovisionUpdate,
    (raw) => {
      const { by, all, logins } = accepted(parseMessage(approveArgsSchema, raw), () => ({
        by: trimmed(field(raw, 'by')) ?? '',
        all: field(raw, 'all') === true,
        logins: (field(raw, 'logins') as string[] | undefined) ?? [],
      }));
      return approve(by ?? '', all ? 'all' : logins!);
    },
    {
      validator: (raw) => {
        const { by } = valid(parseMessage(approveArgsSchema, raw));
        const refused = notAllowed(by);
        if (refused) throw new Error(refused);
        if (isOver()) throw new Error(`The remediation of app ${appId} has ended (phase: ${state.phase}).`);
      },
    },
  );

  /** A failed deprovision: Okta has nothing left to push, so access ends at the vendor, per policy. */
  async function deprovision(u: AffectedUser): Promise<UserResult> {
    const base = { userId: u.userId, login: u.login, kind: u.kind } as const;
    const label = state.diagnosis?.app.label ?? 'the app';
    const mode = policy?.deprovisionPolicy ?? 'ask';
    if (mode === 'off') {
      return { ...base, outcome: 'skipped', detail: `Deprovisioning policy is off (report only): remove ${u.login} in ${label} by hand; Okta's deprovision failed at ${u.failedAt}.`, at: now() };
    }
    if (mode === 'ask' && !isApproved(u)) {
      return {
        ...base,
        outcome: 'awaiting_approval',
        detail: `Needs approval to remove ${u.login} in ${label}: npx okta-remediate approve-deprovision --app ${appId} --user ${u.login} --by <your email>`,
        at: now(),
      };
    }
    if (patched(PATCHES.approvalsForAwaitingOnly)) approved.delete(u.login.toLowerCase()); // one approval, one removal: a later failure asks again
    const remove = () => removeVendorAccess(`Remove ${u.login} in ${label}`, { appId, userId: u.userId, login: u.login });
    try {
      // Once started, a removal finishes even if the remediation is cancelled: its real outcome is
      // recorded instead of a guess (the activity is short and idempotent).
      const after = await (patched(PATCHES.removalCompletes) ? CancellationScope.nonCancellable(remove) : remove());
      if (after.state === 'active') return { ...base, outcome: 'still_failing', detail: `Still active after the removal: ${after.detail}`, at: now() };
      // The activity's newer answer (found by none of the vendor's lookups): never a removal. Reads a result only, so replay is unchanged.
      if (after.state === 'not_found') return { ...base, outcome: 'skipped', detail: `Not removed in ${label}: ${after.detail}`, at: now() };
      const exposureMs = Date.now() - new Date(u.failedAt).getTime();
      return { ...base, outcome: 'succeeded', detail: `Removed in ${label} (${after.detail}); kept access for ${formatDuration(exposureMs)} after Okta's deprovision failed.`, at: now(), exposureMs };
    } catch (err) {
      if (!(err instanceof ActivityFailure) || isCancellation(err)) throw err;
      if (err.cause instanceof ApplicationFailure && err.cause.type === 'AssignedInOkta') return { ...base, outcome: 'skipped', detail: failureMessage(err), at: now() };
      return { ...base, outcome: 'still_failing', detail: `Could not remove at the vendor: ${failureMessage(err)}`, at: now() };
    }
  }

  async function handle(u: AffectedUser): Promise<UserResult> {
    if (u.kind === 'deprovision') return deprovision(u);
    try {
      return await repushUser(`Re-push ${u.login} from Okta`, { appId, user: u });
    } catch (err) {
      if (!(err instanceof ActivityFailure) || isCancellation(err)) throw err;
      return { userId: u.userId, login: u.login, kind: u.kind, outcome: 'still_failing', detail: `Gave up after repeated errors: ${failureMessage(err)}`, at: now() };
    }
  }

  /** Works through `pick`ed users with bounded concurrency, deprovisions first, each user once. */
  async function work(pick: (u: AffectedUser) => boolean): Promise<void> {
    const next = () => state.affected.find((u) => pick(u) && !done.has(userKey(u)) && !inFlight.has(userKey(u)));
    const removalCompletes = patched(PATCHES.removalCompletes);
    const lane = async () => {
      for (let u = next(); u; u = next()) {
        // A lane that finished a removal after a cancellation starts nobody else.
        if (removalCompletes && CancellationScope.current().consideredCancelled) throw new CancelledFailure('Cancelled before the next user was started');
        const user = u;
        inFlight.add(userKey(user));
        try {
          record(await handle(user));
        } catch (err) {
          // Its push may already be at Okta: say so, rather than list the user as never tried.
          if (isCancellation(err)) {
            const detail =
              user.kind === 'push'
                ? `Cancelled while its re-push was in flight: Okta may still apply it; check ${user.login}'s syncState in Okta.`
                : `Cancelled while its removal at the vendor was in flight: check whether ${user.login} still has access.`;
            record({ userId: user.userId, login: user.login, kind: user.kind, outcome: 'skipped', detail, at: now() });
          }
          throw err;
        } finally {
          inFlight.delete(userKey(user));
        }
      }
    };
    const lanes = Array.from({ length: Math.max(1, input.retryConcurrency ?? 4) }, lane);
    if (!removalCompletes) {
      await Promise.all(lanes);
      return;
    }
    // Every lane ends (a removal in flight records its real outcome) before a cancellation goes on.
    const failed = (await Promise.allSettled(lanes)).find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** A verification that cannot run (Okta or the vendor keeps failing) is a failed one, not a failed remediation. */
  async function verify(claim: ReauthClaim): Promise<boolean> {
    const refused = claim.via !== 'auto-detection' ? notAllowed(claim.by) : undefined;
    if (refused) {
      // Checked here too: a signal that came before the app's policy was known.
      claim.verdict = `Ignored: ${refused}`;
      return false;
    }
    try {
      return await checkReauth(claim);
    } catch (err) {
      if (!(err instanceof ActivityFailure) || isCancellation(err)) throw err;
      claim.verdict = `Could not verify: ${failureMessage(err)}`;
      return false;
    }
  }

  /** Never trust the signal alone: the vendor must check out and a canary push must succeed. */
  async function checkReauth(claim: ReauthClaim): Promise<boolean> {
    // Any change since the failures began counts: an admin may have re-authenticated before the
    // remediation started and then reported it.
    const since = state.affected.map((u) => u.failedAt).sort()[0] ?? state.wait?.since ?? state.startedAt;
    const okta = await oktaActivitySince(`Audit: who changed the app in Okta since ${since}`, { appId, since });
    claim.oktaChanges = okta.changes;
    if (claim.via !== 'auto-detection') {
      const actors = [...new Set(okta.changes.map((c) => c.actor))];
      const cut = okta.truncatedBefore ? ` (only events after ${okta.truncatedBefore} were read: the log held more than one audit reads)` : '';
      if (actors.length === 0) claim.mismatch = `Okta's System Log shows no change of the app since the failures began (${since})${cut}.`;
      else if (!actors.some((a) => a.toLowerCase() === claim.by.trim().toLowerCase())) claim.mismatch = `Okta's System Log shows the app changed by ${actors.join(', ')}, not ${claim.by}.`;
    }
    // The vendor's outage, or the pipeline's own vendor credential refused, says nothing about the
    // re-auth: the canary push decides, and the verdict says the vendor was not checked.
    let probe: VendorProbe | undefined;
    let unchecked: string | undefined;
    try {
      probe = await probeVendor('Verify: probe the vendor', { appId, credentialFailing: true });
    } catch (err) {
      if (!(err instanceof ActivityFailure) || isCancellation(err) || !patched(PATCHES.verifyWithoutVendor)) throw err;
      unchecked = `Vendor not checked (${failureMessage(err)}).`;
    }
    if (probe) setDiagnosis(withVendorProbe(state.diagnosis!, probe));
    const blocking = probe?.findings.filter((f) => f.blocking).sort((a, b) => b.confidence - a.confidence)[0];
    if (blocking) {
      const cause = state.diagnosis!.causes.find((c) => c.id === blocking.cause);
      claim.verdict = `${cause?.title ?? blocking.cause}. ${blocking.evidence[0] ?? ''}`.trim();
      return false;
    }
    // A canary no longer assigned in Okta proves nothing: record it and try the next one.
    for (;;) {
      const canary = state.affected.find((u) => u.kind === 'push' && !done.has(userKey(u)));
      if (!canary && unchecked) {
        claim.verdict = `Could not verify: ${unchecked} No user is left to push at Okta as a canary.`;
        return false;
      }
      if (!canary) {
        claim.verdict = `${probe?.probed ? 'The vendor checks out; n' : 'N'}o user is left to push at Okta, so there is no canary to test.`;
        return true;
      }
      const result = await repushUser(`Verify: push canary ${canary.login}`, { appId, user: canary, force: true });
      if (result.outcome === 'skipped') {
        record(result);
        continue;
      }
      if (result.outcome === 'succeeded') {
        record(result);
        claim.verdict = unchecked ? `${unchecked} Canary ${canary.login} synchronized.` : `${probe?.probed ? 'The vendor checks out and c' : 'C'}anary ${canary.login} synchronized.`;
        return true;
      }
      claim.verdict = `Canary ${canary.login} still fails: ${result.detail}`;
      return false;
    }
  }

  /** Tells the app's channels (and, for escalations, the escalation list); never waits on them. */
  function notify(kind: NoticeKind, reminderNumber?: number): void {
    const primary = policy?.notify.primary ?? ['console'];
    const channels = [...new Set(kind === 'escalation' ? [...(policy?.notify.escalation ?? []), ...primary] : primary)];
    const notice = { kind, status: JSON.parse(JSON.stringify(state)) as RemediationStatus, reminderNumber };
    const rec: NotificationRecord = { kind, at: now(), delivered: [], failed: [] };
    state.notifications.push(rec);
    const deliver = (channel: string, how = '') =>
      deliverNotice.executeWithOptions({ ...NOTIFY_OPTIONS, summary: `${kind} via ${channel}${how}` }, [{ channel, notice }]).then(
        () => rec.delivered.push(channel),
        (err: unknown) => rec.failed.push({ channel, error: failureMessage(err) }),
      );
    const sent = Promise.all(channels.map((channel) => deliver(channel)));
    notices.push(sent);
    // Nobody heard it: every primary channel refused or kept failing. Say it where escalations go.
    const fallback = (policy?.notify.escalation ?? []).filter((c) => !channels.includes(c));
    if (fallback.length > 0) {
      notices.push(
        sent.then(async () => {
          if (rec.delivered.length > 0 || !patched(PATCHES.escalationFallback)) return;
          rec.fallback = fallback;
          await Promise.all(fallback.map((channel) => deliver(channel, ' (every primary channel failed)')));
        }),
      );
    }
  }

  /** Did the credential start working without anyone saying so? The vendor checks out and Okta shows a change or a success. */
  async function credentialLooksFixed(since: string): Promise<string | undefined> {
    const okta = await oktaActivitySince('Auto-detect: recent changes and pushes in Okta', { appId, since });
    if (okta.changes.length === 0 && okta.successfulPushes === 0) return undefined;
    const probe = await probeVendor('Auto-detect: probe the vendor', { appId, credentialFailing: true });
    if (probe.findings.some((f) => f.blocking)) return undefined;
    const change = okta.changes.at(-1);
    return change ? `Okta shows ${change.eventType} by ${change.actor} at ${change.at}` : `Okta shows ${okta.successfulPushes} successful pushes since ${since}`;
  }

  /** Waits for a re-auth that verifies, reminding, escalating and auto-detecting, until the deadline. */
  async function awaitVerifiedReauth(announce: () => void): Promise<'verified' | 'timed_out'> {
    const w = policy!.wait;
    const since = now();
    state.wait = { since, reminders: 0, deadline: new Date(Date.now() + w.giveUpAfterMs).toISOString(), autoChecks: 0 };
    const wait = state.wait;
    let nextReminder = Date.now() + w.remindEveryMs;
    let nextCheck = Date.now() + w.autoDetectEveryMs;
    // Auto-detection looks only at Okta evidence newer than the last verification.
    let evidenceSince = since;
    enter('awaiting_reauth');
    announce(); // the first notice already says "awaiting re-auth", with the wait on record
    for (;;) {
      // Only a real phase change moves phaseChangedAt: notices say "waiting since" from it.
      if (state.phase !== 'awaiting_reauth') enter('awaiting_reauth');
      const reminderAt = Math.max(nextReminder, wait.snoozedUntil ? Date.parse(wait.snoozedUntil) : 0);
      const wakeAt = Math.min(reminderAt, Date.parse(wait.deadline), w.autoDetect ? nextCheck : Infinity);
      const snoozed = snoozes;
      await condition(() => unverifiedClaims.length > 0 || snoozes !== snoozed || deprovisionPending(), Math.max(wakeAt - Date.now(), 1), {
        summary: `until ${new Date(wakeAt).toISOString()}: a re-auth, the next reminder, check or the deadline`,
      });
      if (unverifiedClaims.length > 0) {
        enter('verifying');
        const batch = unverifiedClaims.splice(0);
        // The latest claim a person made is the one to answer (and audit); auto-detection yields to it.
        const claim = batch.filter((c) => c.via !== 'auto-detection').at(-1) ?? batch.at(-1)!;
        const judgedAt = now();
        claim.verified = await verify(claim);
        log.info(`Re-auth of app ${appId} reported by ${claim.by} ${claim.verified ? 'verified' : 'not verified'}: ${claim.verdict ?? ''}`, { appId, via: claim.via, verified: claim.verified });
        evidenceSince = judgedAt;
        for (const other of batch) if (other !== claim) Object.assign(other, { verified: claim.verified, verdict: `Answered with ${claim.by}'s report: ${claim.verdict}` });
        if (claim.verified) return 'verified';
        notify('verification_failed');
        continue;
      }
      if (deprovisionPending()) {
        // New leavers, or an approval: their access ends now, not after the re-auth.
        await work((u) => u.kind === 'deprovision');
        continue;
      }
      if (snoozes !== snoozed) continue;
      const t = Date.now();
      if (t >= Date.parse(wait.deadline)) return 'timed_out';
      if (t >= reminderAt) {
        wait.reminders++;
        nextReminder = t + w.remindEveryMs;
        const escalate = wait.reminders > w.escalateAfterReminders;
        if (escalate) wait.escalatedAt ??= now();
        // An escalation carries how many reminders went unanswered before it.
        notify(escalate ? 'escalation' : 'reminder', escalate ? wait.reminders - 1 : wait.reminders);
      }
      if (w.autoDetect && t >= nextCheck) {
        nextCheck = t + w.autoDetectEveryMs;
        wait.autoChecks++;
        // A check that cannot run just finds nothing this time.
        const evidence = await credentialLooksFixed(evidenceSince).catch((err: unknown) => {
          if (!(err instanceof ActivityFailure) || isCancellation(err)) throw err;
          return undefined;
        });
        if (evidence) unverifiedClaims.push(pushClaim({ by: 'auto-detection', note: evidence, at: now(), via: 'auto-detection' }));
      }
      publish();
    }
  }

  function pushClaim(claim: ReauthClaim): ReauthClaim {
    state.reauthClaims.push(claim);
    return claim;
  }

  async function finish(phase: 'completed' | 'timed_out', kind: NoticeKind): Promise<RemediationStatus> {
    enter(phase);
    state.finishedAt = now();
    notify(kind);
    await Promise.all(notices);
    if (!patched(PATCHES.finishHandlesEveryone)) {
      if (deprovisionPending()) await work((u) => u.kind === 'deprovision');
      publish();
      return state;
    }
    // Users who joined while the last notices went out are handled too: everyone after a verified
    // re-auth, leavers (and approvals) after a timeout. The result is final only when no message
    // handler is still running and nobody is left to handle.
    for (const claim of unverifiedClaims.splice(0)) Object.assign(claim, { verified: false, verdict: `The remediation ended (${phase}) before this report was verified.` });
    const pick = phase === 'completed' ? () => true : (u: AffectedUser) => u.kind === 'deprovision';
    const pending = () => state.affected.some((u) => pick(u) && !done.has(userKey(u)) && !inFlight.has(userKey(u)));
    for (;;) {
      if (pending()) await work(pick);
      await condition(allHandlersFinished);
      if (!pending()) break;
    }
    state.finishedAt = now();
    publish();
    return state;
  }

  /** The DocuSign article's last step: assign a test user, see them at the vendor, unassign, see them gone. */
  async function confirmWithTestUser(login: string): Promise<void> {
    const c: Confirmation = { testUser: login, ok: false, steps: [] };
    state.confirmation = c;
    const step = (name: ConfirmationStep['step'], ok: boolean, detail: string) => {
      c.steps.push({ step: name, ok, detail, at: now() });
      publish();
      return ok;
    };
    const cleanupAlways = patched(PATCHES.testUserCleanup);
    // Who may be assigned by the round trip: from the moment the assign starts (its POST may land
    // even if the activity fails or is cancelled), unless Okta refused it as not ours.
    let assigned: { userId?: string } | undefined;
    try {
      if (cleanupAlways) assigned = {};
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
      const notOurs = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && ['TestUserAlreadyAssigned', 'TestUserNotFound'].includes(err.cause.type ?? '');
      if (notOurs) assigned = undefined; // someone else's assignment: never touch it
      if (!(err instanceof ActivityFailure) || isCancellation(err)) throw err;
      if (c.steps.length === 0) c.skipped = failureMessage(err);
      else step(c.steps.at(-1)?.step === 'assign' ? 'vendor_present' : 'vendor_removed', false, failureMessage(err));
    } finally {
      // Never leave the test user assigned because a later step failed, or the remediation was
      // cancelled: the cleanup runs even in a cancelled scope.
      if (assigned) {
        const { userId } = assigned;
        const why = CancellationScope.current().consideredCancelled ? 'after the cancellation' : 'after a failed step';
        const cleanup = () =>
          unassignTestUser(`Test user: unassign ${login} ${why}`, { appId, userId, login }).then(
            (r) => step('unassign', true, `${r.detail} (${why})`),
            (err: unknown) => step('unassign', false, `Could not unassign ${login}; unassign them in Okta by hand: ${failureMessage(err)}`),
          );
        if (cleanupAlways) await CancellationScope.nonCancellable(cleanup);
        else await cleanup();
      }
    }
  }

  try {
    publish();
    const okta = await diagnoseApp('Diagnose: read the app, its failures and app users in Okta', { appId });
    policy = okta.policy;
    const probe = await probeVendor(`Diagnose: probe ${okta.app.vendor === 'generic' ? 'the vendor (none for this app)' : okta.app.vendor}`, {
      appId,
      credentialFailing: okta.credentialFailing,
    }).catch((err: unknown): VendorProbe => {
      // The vendor cannot be checked now: diagnose from Okta's side and say why.
      if (!(err instanceof ActivityFailure) || isCancellation(err)) throw err;
      return { vendor: okta.app.vendor, probed: false, findings: [], evidence: [], hints: [`The vendor could not be checked: ${failureMessage(err)}`], values: {}, at: now() };
    });
    setDiagnosis(withVendorProbe(okta, probe));
    upsertSearchAttributes([
      { key: OKTA_APP_LABEL, value: okta.app.label },
      { key: OKTA_VENDOR, value: okta.app.vendor },
    ]);
    addAffected(okta.affected);
    if (state.affected.length === 0 && !okta.credentialFailing) return await finish('completed', 'completed');

    // Failed deprovisions first and at once: removing access at the vendor uses the pipeline's
    // own credential, so it need not wait for Okta's to be fixed.
    await work((u) => u.kind === 'deprovision');
    const announce = () => {
      notify('diagnosed');
      if (state.results.some((r) => r.outcome === 'awaiting_approval')) notify('deprovision_approval_needed');
    };
    if ((await awaitVerifiedReauth(announce)) === 'timed_out') return await finish('timed_out', 'timed_out');

    enter('retrying');
    await work(() => true);
    if (policy?.testUser) await confirmWithTestUser(policy.testUser);
    // Approvals that arrived meanwhile are honoured before the report is final.
    await work(() => true);
    return await finish('completed', 'completed');
  } catch (err) {
    state.finishedAt = now();
    if (isCancellation(err)) {
      state.cancellation ??= { reason: 'Cancelled through Temporal.', at: now() };
      enter('cancelled');
      await CancellationScope.nonCancellable(async () => {
        notify('cancelled');
        await Promise.all(notices);
      });
      throw err;
    }
    state.error = failureMessage(err);
    enter('failed');
    if (patched(PATCHES.failedNotice)) {
      notify('failed');
      await Promise.all(notices);
    }
    const cause = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause.type : undefined;
    throw ApplicationFailure.nonRetryable(`Remediation of app ${appId} failed: ${state.error}`, cause ?? 'RemediationFailed');
  }
}
