/**
 * An outage pauses the phase; it does not fail users. A call that fails because Okta did not
 * answer (5xx, timeouts, no connection) is followed by one check of Okta itself: if Okta answers,
 * the failure is about this call and it is tried again a few times, as before; if not, the phase
 * pauses as a whole (a durable timer per check, a notice, the status and the Web UI say since
 * when) and the call is made again once Okta answers. Lanes that meet the same outage wait on it.
 */
import { ApplicationFailure, condition, log, sleep } from '@temporalio/workflow';
import { failureMessage, isActivityFailure, oktaAnswers } from './activities';
import { notify } from './notify';
import { now, type Remediation } from './state';

/** Rounds of a call's own retries while Okta answers the check: about the attempts one call had before. */
const ROUNDS_WHILE_ANSWERING = 7;
/** Between two checks of a paused phase (a remediation's input can shorten it). */
const CHECK_EVERY_SECONDS = 60;

const isOktaUnavailable = (err: unknown) => isActivityFailure(err) && err.cause instanceof ApplicationFailure && err.cause.type === 'OktaUnavailable';

/**
 * Makes `call`, pausing the phase for as long as Okta does not answer; other failures are the
 * caller's. `rounds`: how many times the call's own retries run out before a failure while Okta
 * answers is the caller's (one for calls that already retry for long).
 */
export async function despiteOktaOutage<T>(r: Remediation, call: () => Promise<T>, rounds = ROUNDS_WHILE_ANSWERING): Promise<T> {
  for (let round = 1; ; round++) {
    try {
      return await call();
    } catch (err) {
      if (!isOktaUnavailable(err)) throw err;
      if (!r.state.outage) {
        const check = await oktaAnswers('Outage: does Okta answer?', { appId: r.appId });
        // Okta answers: the failure is this call's, and its retries are limited as ever.
        if (check.answers && round < rounds) continue;
        if (check.answers) throw err;
      }
      await pausedUntilOktaAnswers(r, failureMessage(err));
    }
  }
}

/** The first lane to meet the outage checks Okta on a timer; the others wait for it to end. */
async function pausedUntilOktaAnswers(r: Remediation, reason: string): Promise<void> {
  if (r.state.outage) {
    await condition(() => !r.state.outage);
    return;
  }
  const outage = { service: 'Okta', since: now(), reason, checks: 0 };
  r.state.outage = outage;
  log.warn('Okta is not answering: the phase pauses', { appId: r.appId, reason });
  r.publish();
  notify(r, 'service_unavailable');
  const every = Math.max(0.1, r.input.outageCheckSeconds ?? CHECK_EVERY_SECONDS) * 1000;
  for (;;) {
    await sleep(every);
    const check = await oktaAnswers(`Outage: does Okta answer? (check ${outage.checks + 1})`, { appId: r.appId });
    outage.checks++;
    if (check.answers) break;
    outage.reason = check.detail;
    r.publish();
  }
  log.info('Okta answers again: the phase resumes', { appId: r.appId, since: outage.since, checks: outage.checks });
  r.state.outage = undefined;
  r.publish();
}
