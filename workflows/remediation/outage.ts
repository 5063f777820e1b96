/**
 * An outage pauses the phase; it does not fail users. A call that fails because Okta or the
 * app's vendor did not answer (5xx, timeouts, no connection) is followed by one check of that
 * service itself: if it answers, the failure is about this call and it is tried again a few
 * times, as before; if not, the phase pauses as a whole (a durable timer per check, a notice, the
 * status and the Web UI say since when) and the call is made again once the service answers.
 * Lanes that meet an outage while one is recorded wait for it to end.
 */
import { ApplicationFailure, condition, log, sleep } from '@temporalio/workflow';
import { failureMessage, isActivityFailure, oktaAnswers, vendorAnswers } from './activities';
import { notify } from './notify';
import { now, type Remediation } from './state';

/** Rounds of a call's own retries while the service answers the check: about the attempts one call had before. */
const ROUNDS_WHILE_ANSWERING = 7;
/** Between two checks of a paused phase (a remediation's input can shorten it). */
const CHECK_EVERY_SECONDS = 60;
const SERVICES = ['Okta', 'GitHub', 'DocuSign'];

/** The service a failure says did not answer (activities type it `<Service>Unavailable`), if any. */
function unavailableService(err: unknown): string | undefined {
  if (!isActivityFailure(err) || !(err.cause instanceof ApplicationFailure)) return undefined;
  const service = /^(\w+)Unavailable$/.exec(err.cause.type ?? '')?.[1];
  return service && SERVICES.includes(service) ? service : undefined;
}

/** One check; a check that itself fails is no answer. */
async function answers(r: Remediation, service: string, summary: string): Promise<{ answers: boolean; detail: string }> {
  const check = service === 'Okta' ? oktaAnswers : vendorAnswers;
  return check(summary, { appId: r.appId }).catch((err: unknown) => {
    if (!isActivityFailure(err)) throw err;
    return { answers: false, detail: failureMessage(err) };
  });
}

/**
 * Makes `call`, pausing the phase for as long as the service it failed on does not answer; other
 * failures are the caller's. `rounds`: how many times the call's own retries run out before a
 * failure while the service answers is the caller's (one for calls that already retry for long).
 */
export async function despiteOutage<T>(r: Remediation, call: () => Promise<T>, rounds = ROUNDS_WHILE_ANSWERING): Promise<T> {
  for (let round = 1; ; round++) {
    try {
      return await call();
    } catch (err) {
      const service = unavailableService(err);
      if (!service) throw err;
      if (!r.state.outage) {
        // The service answers: the failure is this call's, and its retries are limited as ever.
        const check = await answers(r, service, `Outage: does ${service} answer?`);
        if (check.answers && round < rounds) continue;
        if (check.answers) throw err;
      }
      await pausedUntilAnswered(r, service, failureMessage(err));
    }
  }
}

/** The first lane to meet the outage checks the service on a timer; the others wait for it to end. */
async function pausedUntilAnswered(r: Remediation, service: string, reason: string): Promise<void> {
  if (r.state.outage) {
    await condition(() => !r.state.outage);
    return;
  }
  const outage = { service, since: now(), reason, checks: 0 };
  r.state.outage = outage;
  log.warn(`${service} is not answering: the phase pauses`, { appId: r.appId, reason });
  r.publish();
  notify(r, 'service_unavailable');
  const every = Math.max(0.1, r.input.outageCheckSeconds ?? CHECK_EVERY_SECONDS) * 1000;
  for (;;) {
    await sleep(every);
    const check = await answers(r, service, `Outage: does ${service} answer? (check ${outage.checks + 1})`);
    outage.checks++;
    if (check.answers) break;
    outage.reason = check.detail;
    r.publish();
  }
  log.info(`${service} answers again: the phase resumes`, { appId: r.appId, since: outage.since, checks: outage.checks });
  r.state.outage = undefined;
  r.publish();
}
