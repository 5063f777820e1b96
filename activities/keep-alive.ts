/**
 * Every activity heartbeats while it runs, whatever it is waiting on (Okta's rate budget, a slow
 * vendor, a sync poll): with a heartbeat timeout of 30 s, an attempt on a worker that died is
 * retried on another within 30 s instead of at its start-to-close timeout. The beat repeats the
 * activity's last `checkpoint`, so a resumed attempt still finds its progress (a re-push's
 * pushedAt, the test user's guard): an empty beat would overwrite it. Activities record progress
 * with `checkpoint`, never with `heartbeat` directly.
 */
import { Context } from '@temporalio/activity';
import type { ActivityInboundCallsInterceptor, ActivityInterceptors } from '@temporalio/worker';

/** Beats this often at most; the SDK sends one to the server each 80% of the heartbeat timeout. */
const MAX_BEAT_MS = 5_000;

/** The progress each running activity last recorded. */
const progress = new WeakMap<Context, { details: unknown }>();

/** Records an activity's progress: heartbeats it now, and the keep-alive beats repeat it. */
export function checkpoint(details: unknown): void {
  const ctx = Context.current();
  progress.set(ctx, { details });
  ctx.heartbeat(details);
}

export function keepAlive(ctx: Context): ActivityInterceptors {
  const inbound: ActivityInboundCallsInterceptor = {
    async execute(input, next) {
      const timeoutMs = ctx.info.heartbeatTimeoutMs;
      if (!timeoutMs) return next(input);
      // Until the activity records its own, the previous attempt's progress is kept.
      const beat = () => ctx.heartbeat(progress.has(ctx) ? progress.get(ctx)!.details : ctx.info.heartbeatDetails);
      const timer = setInterval(beat, Math.min(MAX_BEAT_MS, timeoutMs / 3));
      try {
        return await next(input);
      } finally {
        clearInterval(timer);
      }
    },
  };
  return { inbound };
}
