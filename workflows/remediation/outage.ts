/**
 * An outage pauses the phase; it does not fail users. A call that fails because Okta or the
 * app's vendor did not answer (5xx, timeouts, no connection) is followed by one check of that
 * service itself: if it answers, the failure is about this call and it is tried again a few
 * times, as before; if not, the phase pauses as a whole (a durable timer per check, a notice, the
 * status and the Web UI say since when) and the call is made again once the service answers.
 * Lanes that meet an outage while one is recorded wait for it to end.
 */
import { ApplicationFailure, condition, log, patched, sleep } from '@temporalio/workflow';
import { failureMessage, isActivityFailure, oktaAnswers, vendorAnswers } from './activities';
import type { Outage } from '../../domain/types';
import { VENDOR_SERVICES } from '../../domain/vendors/registry';
import { notify } from './notify';
import { now, type Remediation } from './state';

/** Rounds of a call's own retries while the service answers the check: about the attempts one call had before. */
const ROUNDS_WHILE_ANSWERING = 7;
/** Between two checks of a paused phase (a remediation's input can shorten it). */
const CHECK_EVERY_SECONDS = 60;
const SERVICES = ['Okta', ...VENDOR_SERVICES];

/**
 * Behaviour change guarded for replay: before it, a call whose vendor rate limit outlasted its
 * attempts failed; now it is made again, each time after the limit's reset.
 */
const RATE_LIMIT_WAITS = 'vendor-rate-limit-waits';

/** The type an activity gave its failure ('' for anything else). */
const failureType = (err: unknown) => (isActivityFailure(err) && err.cause instanceof ApplicationFailure ? (err.cause.type ?? '') : '');

/** A vendor's limit (or the worker's share of it) is spent: the call's attempts already waited for its reset. */
const rateLimited = (err: unknown) => VENDOR_SERVICES.some((service) => failureType(err) === `${service}RateLimited`);

/** The service a failure says did not answer (activities type it `<Service>Unavailable`), if any. */
function unavailableService(err: unknown): string | undefined {
  const service = /^(\w+)Unavailable$/.exec(failureType(err))?.[1];
  return service && SERVICES.includes(service) ? service : undefined;
}

/**
 * Where an outage is told and kept: the remediation itself, or its retry's child workflow, which
 * tells the remediation by signal (repush-child.ts).
 */
export interface OutageHost {
  appId: string;
  checkEverySeconds?: number;
  current(): Outage | undefined;
  /** The phase paused (`first`), or a later check still got no answer. */
  paused(outage: Outage, first: boolean): void | Promise<void>;
  resumed(): void | Promise<void>;
}

/** The remediation as its own outage host: the status, the Web UI and a notice say so. */
export function remediationOutageHost(r: Remediation): OutageHost {
  return {
    appId: r.appId,
    checkEverySeconds: r.input.outageCheckSeconds,
    current: () => r.state.outage,
    paused(outage, first) {
      r.state.outage = { ...outage };
      r.publish();
      if (first) notify(r, 'service_unavailable');
    },
    resumed() {
      r.state.outage = undefined;
      r.publish();
    },
  };
}

/** One check; a check that itself fails is no answer. */
async function answers(appId: string, service: string, summary: string): Promise<{ answers: boolean; detail: string }> {
  const check = service === 'Okta' ? oktaAnswers : vendorAnswers;
  return check(summary, { appId }).catch((err: unknown) => {
    if (!isActivityFailure(err)) throw err;
    return { answers: false, detail: failureMessage(err) };
  });
}

/**
 * Makes `call`, pausing the phase for as long as the service it failed on does not answer; other
 * failures are the caller's. `rounds`: how many times the call's own retries run out before a
 * failure while the service answers is the caller's (one for calls that already retry for long).
 */
export function despiteOutage<T>(r: Remediation, call: () => Promise<T>, rounds = ROUNDS_WHILE_ANSWERING): Promise<T> {
  return despiteOutageOn(remediationOutageHost(r), call, rounds);
}

export async function despiteOutageOn<T>(host: OutageHost, call: () => Promise<T>, rounds = ROUNDS_WHILE_ANSWERING): Promise<T> {
  for (let round = 1; ; round++) {
    try {
      return await call();
    } catch (err) {
      // A spent rate limit is about time, not about this call: it uses none of the rounds.
      if (rateLimited(err) && patched(RATE_LIMIT_WAITS)) {
        round--;
        continue;
      }
      const service = unavailableService(err);
      if (!service) throw err;
      if (!host.current()) {
        // The service answers: the failure is this call's, and its retries are limited as ever.
        const check = await answers(host.appId, service, `Outage: does ${service} answer?`);
        if (check.answers && round < rounds) continue;
        if (check.answers) throw err;
      }
      await pausedUntilAnswered(host, service, failureMessage(err));
    }
  }
}

/** The first lane to meet the outage checks the service on a timer; the others wait for it to end. */
async function pausedUntilAnswered(host: OutageHost, service: string, reason: string): Promise<void> {
  if (host.current()) {
    await condition(() => !host.current());
    return;
  }
  const outage: Outage = { service, since: now(), reason, checks: 0 };
  log.warn(`${service} is not answering: the phase pauses`, { appId: host.appId, reason });
  await host.paused(outage, true);
  const every = Math.max(0.1, host.checkEverySeconds ?? CHECK_EVERY_SECONDS) * 1000;
  for (;;) {
    await sleep(every);
    const check = await answers(host.appId, service, `Outage: does ${service} answer? (check ${outage.checks + 1})`);
    outage.checks++;
    if (check.answers) break;
    outage.reason = check.detail;
    await host.paused(outage, false);
  }
  log.info(`${service} answers again: the phase resumes`, { appId: host.appId, since: outage.since, checks: outage.checks });
  await host.resumed();
}
