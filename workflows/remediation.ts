/**
 * One durable remediation per Okta app: diagnose, wait for the admin's re-auth, verify it with a
 * canary push, retry every affected user, report. The workflow decides; activities act.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  isCancellation,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import * as wf from '@temporalio/workflow';
import type { Activities } from '../activities';
import { renderMarkdown } from '../domain/report';
import type { AffectedUser, Phase, ReauthClaim, RemediationStatus, UserResult } from '../domain/types';
import { addFailedUsersSignal, cancelReasonSignal, reauthCompletedSignal, statusQuery } from './messages';
import { AFFECTED_USERS, OKTA_APP_LABEL, OKTA_VENDOR, REMEDIATION_PHASE } from './search-attributes';

export interface RemediationInput {
  appId: string;
  /** How many users are re-pushed at once; Okta's rate limits are per endpoint. */
  retryConcurrency?: number;
}

/** Failures that retrying cannot fix: the workflow stops and says why. */
const NON_RETRYABLE = ['UnknownOktaApp', 'OktaAccessDenied', 'OktaRejectedRequest'];

const { diagnoseApp } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20, nonRetryableErrorTypes: NON_RETRYABLE },
});

const { repushUser } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20, nonRetryableErrorTypes: NON_RETRYABLE },
});

const userKey = (u: { kind: string; userId: string }) => `${u.kind}:${u.userId}`;
const deprovisionsFirst = (a: AffectedUser, b: AffectedUser) => Number(a.kind === 'push') - Number(b.kind === 'push');

export async function remediateApp(input: RemediationInput): Promise<RemediationStatus> {
  const now = () => new Date().toISOString(); // deterministic inside workflows
  const state: RemediationStatus = {
    appId: input.appId,
    phase: 'diagnosing',
    affected: [],
    results: [],
    reauthClaims: [],
    startedAt: now(),
    phaseChangedAt: now(),
  };
  const unverifiedClaims: ReauthClaim[] = [];
  const done = new Set<string>();

  const publish = () => {
    wf.setCurrentDetails(renderMarkdown(state));
    upsertSearchAttributes([
      { key: REMEDIATION_PHASE, value: state.phase },
      { key: AFFECTED_USERS, value: state.affected.length },
    ]);
  };
  const enter = (phase: Phase) => {
    state.phase = phase;
    state.phaseChangedAt = now();
    publish();
  };
  const addAffected = (users: AffectedUser[]) => {
    for (const u of users) {
      const known = state.affected.some((a) => userKey(a) === userKey(u));
      if (!known) state.affected.push(u);
      else if (done.has(userKey(u)) && state.phase !== 'retrying') {
        // Failed again after we fixed it: retry it once more in this run.
        done.delete(userKey(u));
        state.results = state.results.filter((r) => userKey(r) !== userKey(u));
      }
    }
    state.affected.sort(deprovisionsFirst);
  };

  // Handlers first, so a message sent before the workflow waits for it is kept, not lost.
  setHandler(statusQuery, () => state);
  setHandler(reauthCompletedSignal, ({ by, note }) => {
    const claim: ReauthClaim = { by, note, at: now() };
    state.reauthClaims.push(claim);
    unverifiedClaims.push(claim);
  });
  setHandler(addFailedUsersSignal, ({ users }) => {
    addAffected(users);
    publish();
  });
  setHandler(cancelReasonSignal, ({ reason, by }) => {
    state.cancellation = { reason, by, at: now() };
  });

  const record = (r: UserResult) => {
    done.add(userKey(r));
    state.results = [...state.results.filter((x) => userKey(x) !== userKey(r)), r];
    publish();
  };

  try {
    publish();
    const diagnosis = await diagnoseApp({ appId: input.appId });
    state.diagnosis = diagnosis;
    upsertSearchAttributes([
      { key: OKTA_APP_LABEL, value: diagnosis.app.label },
      { key: OKTA_VENDOR, value: diagnosis.app.vendor },
    ]);
    addAffected(diagnosis.affected);

    if (state.affected.length === 0 && !diagnosis.credentialFailing) {
      enter('completed');
      state.finishedAt = now();
      return state;
    }

    // Wait for a re-auth claim, verify it, and wait again until one holds.
    for (;;) {
      enter('awaiting_reauth');
      await condition(() => unverifiedClaims.length > 0);
      enter('verifying');
      const claim = unverifiedClaims.splice(0).at(-1)!;
      const canary = state.affected.find((u) => u.kind === 'push' && !done.has(userKey(u)));
      if (!canary) {
        claim.verified = true;
        claim.verdict = 'No user left to push at Okta, so there is nothing to test with a canary.';
        break;
      }
      const result = await repushUser({ appId: input.appId, user: canary, force: true });
      if (result.outcome === 'succeeded') {
        claim.verified = true;
        claim.verdict = `Canary ${canary.login} synchronized.`;
        record(result);
        break;
      }
      claim.verified = false;
      claim.verdict = `Canary ${canary.login} still fails: ${result.detail}`;
    }

    enter('retrying');
    const concurrency = Math.max(1, input.retryConcurrency ?? 4);
    const inFlight = new Set<string>();
    const nextUser = () => state.affected.find((u) => !done.has(userKey(u)) && !inFlight.has(userKey(u)));
    const lane = async () => {
      for (let u = nextUser(); u; u = nextUser()) {
        const user = u;
        inFlight.add(userKey(user));
        try {
          record(await repushUser({ appId: input.appId, user }));
        } catch (err) {
          if (!(err instanceof ActivityFailure) || isCancellation(err)) throw err;
          record({ userId: user.userId, login: user.login, kind: user.kind, outcome: 'still_failing', detail: `Gave up after repeated errors: ${err.cause?.message ?? err.message}`, at: now() });
        } finally {
          inFlight.delete(userKey(user));
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));

    enter('completed');
    state.finishedAt = now();
    return state;
  } catch (err) {
    state.finishedAt = now();
    if (isCancellation(err)) {
      state.cancellation ??= { reason: 'Cancelled through Temporal.', at: now() };
      enter('cancelled');
      throw err;
    }
    state.error = err instanceof ActivityFailure ? (err.cause?.message ?? err.message) : String((err as Error)?.message ?? err);
    enter('failed');
    const cause = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause.type : undefined;
    throw ApplicationFailure.nonRetryable(`Remediation of app ${input.appId} failed: ${state.error}`, cause ?? 'RemediationFailed');
  }
}
