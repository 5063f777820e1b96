/**
 * The request pipeline every simulator runs: read the request, wait the configured latency, let
 * the simulator answer, turn whatever it throws into its error shape, and send the reply. The
 * order of a service's checks (credentials, rate limits, injected faults, routes) is its own, so it
 * lives in the simulator's `answer`; what every answer carries (rate-limit headers, request ids)
 * in its `finish`.
 */
import type { RequestListener } from 'node:http';
import { HttpError, replyOf, send, type Reply } from './reply';
import { BodyTooLarge, simRequest, type SimRequest } from './request';

export interface SimulatorHttp<C> {
  /** How the console names the simulator: `okta-sim`. */
  name: string;
  /** How long each answer takes, as a real service's do over the internet; default none. */
  latencyMs?: number;
  /**
   * On arrival, before the latency: what `answer` and `finish` share (the route, the caller). A
   * request counts against rate limits when it arrives, so this is where a simulator takes from them.
   */
  open(req: SimRequest): C;
  answer(req: SimRequest, ctx: C): Reply | Promise<Reply>;
  /** The error to send for what the simulator did not throw itself: a BodyTooLarge, or a bug (a 500). */
  fallbackError(err: unknown, ctx: C): HttpError;
  /** A last say over every error (GitHub's SCIM routes answer all of theirs in SCIM's shape). */
  reshapeError?(err: HttpError, ctx: C): HttpError;
  /** Every reply, errors included, just before it is sent: common headers, the request log, freeing a concurrency slot. */
  finish(reply: Reply, req: SimRequest, ctx: C): Reply;
}

export function createHandler<C>(sim: SimulatorHttp<C>): RequestListener {
  return (incoming, res) => {
    const req = simRequest(incoming);
    const ctx = sim.open(req);
    answer(sim, req, ctx)
      .catch((err: unknown) => errorReply(sim, err, ctx))
      .then((reply) => {
        send(res, sim.finish(reply, req, ctx));
        // A body nobody read would hold up the next request on a keep-alive connection.
        incoming.resume();
      })
      .catch((err: unknown) => {
        // A simulator bug, or a client gone: say so where a developer looks, and drop the connection.
        console.error(`${sim.name}: could not answer`, err);
        res.destroy();
      });
  };
}

async function answer<C>(sim: SimulatorHttp<C>, req: SimRequest, ctx: C): Promise<Reply> {
  if (sim.latencyMs) await new Promise((resolve) => setTimeout(resolve, sim.latencyMs));
  return sim.answer(req, ctx);
}

function errorReply<C>(sim: SimulatorHttp<C>, err: unknown, ctx: C): Reply {
  // A simulator bug: answer as the service would, and leave the cause where a developer looks.
  if (!(err instanceof HttpError || err instanceof BodyTooLarge)) console.error(`${sim.name}: unexpected error`, err);
  const own = err instanceof HttpError ? err : sim.fallbackError(err, ctx);
  return replyOf(sim.reshapeError?.(own, ctx) ?? own);
}
