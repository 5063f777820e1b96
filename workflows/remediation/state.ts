/**
 * The remediation's state and the few rules that change it: who is affected, who is done, which
 * re-auth claims wait for verification. Every phase works on this one object; each change is
 * published to the Web UI (current details, search attributes) from here.
 */
import { log, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { renderMarkdown } from '../../domain/report';
import type { RemediationInput } from '../../domain/messages';
import type { AffectedUser, AppPolicy, Diagnosis, Phase, ReauthClaim, RemediationStatus, UserResult } from '../../domain/types';
import { AFFECTED_USERS, REMEDIATION_PHASE } from '../../domain/search-attributes';

export const userKey = (u: { kind: string; userId: string }) => `${u.kind}:${u.userId}`;
const deprovisionsFirst = (a: AffectedUser, b: AffectedUser) => Number(a.kind === 'push') - Number(b.kind === 'push');
/** Deterministic inside workflows. */
export const now = () => new Date().toISOString();

export type Remediation = ReturnType<typeof createRemediation>;

export function createRemediation(input: RemediationInput) {
  const { appId } = input;
  const state: RemediationStatus = { appId, phase: 'diagnosing', affected: [], results: [], reauthClaims: [], notifications: [], startedAt: now(), phaseChangedAt: now() };
  const done = new Set<string>();
  const inFlight = new Set<string>();
  let indexed = '';

  const r = {
    appId,
    input,
    state,
    policy: undefined as AppPolicy | undefined,
    /** Users handled (a result recorded) and being handled now. */
    done,
    inFlight,
    /** Logins (lower case) approved for removal at the vendor. */
    approved: new Set<string>(),
    /** Re-auth claims not yet verified, oldest first. */
    unverifiedClaims: [] as ReauthClaim[],
    /** Notices under way: the result is final only once they are delivered or given up. */
    notices: [] as Promise<unknown>[],
    snoozes: 0,

    publish() {
      setCurrentDetails(renderMarkdown(state));
      // One history event per real change, not per user result.
      const key = `${state.phase}/${state.affected.length}`;
      if (key === indexed) return;
      indexed = key;
      upsertSearchAttributes([
        { key: REMEDIATION_PHASE, value: state.phase },
        { key: AFFECTED_USERS, value: state.affected.length },
      ]);
    },
    enter(phase: Phase) {
      if (state.phase !== phase) log.info(`Remediation of app ${appId}: phase ${phase}`, { appId, phase, affected: state.affected.length });
      state.phase = phase;
      state.phaseChangedAt = now();
      r.publish();
    },
    setDiagnosis(d: Diagnosis) {
      state.diagnosis = d;
      r.publish();
    },
    record(result: UserResult) {
      done.add(userKey(result));
      state.results = [...state.results.filter((x) => userKey(x) !== userKey(result)), result];
      r.publish();
    },
    addAffected(users: AffectedUser[]) {
      for (const u of users) {
        const known = state.affected.some((a) => userKey(a) === userKey(u));
        if (!known) state.affected.push(u);
        else {
          // Failed again after we handled it (not a re-sent old failure): handle it once more.
          const result = state.results.find((x) => userKey(x) === userKey(u));
          if (result && result.outcome !== 'awaiting_approval' && u.failedAt > result.at && !inFlight.has(userKey(u))) {
            done.delete(userKey(u));
            state.results = state.results.filter((x) => x !== result);
          }
        }
      }
      state.affected.sort(deprovisionsFirst);
    },
    /** Someone picked is neither handled nor being handled. */
    pending(pick: (u: AffectedUser) => boolean) {
      return state.affected.some((u) => pick(u) && !done.has(userKey(u)) && !inFlight.has(userKey(u)));
    },
    deprovisionPending: () => r.pending((u) => u.kind === 'deprovision'),
    isOver: () => ['completed', 'timed_out', 'failed', 'cancelled'].includes(state.phase),
    pushClaim(claim: ReauthClaim): ReauthClaim {
      state.reauthClaims.push(claim);
      return claim;
    },
  };
  return r;
}
