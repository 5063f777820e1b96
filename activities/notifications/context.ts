/** What every channel gets for one delivery. */
import type { Notice } from '../../domain/notice';

export interface SendContext {
  /** The channel's name in the configuration, for messages. */
  channel: string;
  notice: Notice;
  env: NodeJS.ProcessEnv;
  /** Aborts on the delivery timeout or when Temporal cancels the activity. */
  signal: AbortSignal;
  /** Aborted only when Temporal cancels the activity (to tell a cancellation from a timeout). */
  cancelled: AbortSignal;
  timeoutMs: number;
  /** Stable across retries of one activity, so a receiver (or a mail client) can drop duplicates. */
  idempotencyKey: string;
}

/** What a channel reports on success: a short, secret-free description. */
export type SendResult = string;

/** A cancellation must reach Temporal as itself, not as a delivery failure. */
export function throwIfCancelled(ctx: SendContext): void {
  if (ctx.cancelled.aborted) throw ctx.cancelled.reason;
}

/** Why a request without an answer failed: timeout, or the network (with its error code). */
export function transportProblem(ctx: SendContext, code: string | undefined): string {
  if (ctx.signal.aborted) return `no answer within ${ctx.timeoutMs < 1000 ? `${ctx.timeoutMs} ms` : `${Math.round(ctx.timeoutMs / 1000)} s`}`;
  return code ? `network error ${code}` : 'network error';
}
