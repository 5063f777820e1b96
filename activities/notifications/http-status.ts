/** An HTTP answer from a webhook receiver, as Temporal should treat it. */
import type { ApplicationFailure } from '@temporalio/common';
import { rateLimitedFailure, rejectedFailure, unavailableFailure } from './failures';
import { retryAfterMs } from './retry-after';

export interface HttpAnswer {
  status: number;
  retryAfter?: string | null;
  /** A short, safe description of what the receiver said, e.g. Slack's error code. */
  says?: string;
}

/**
 * 408, 429 and 5xx may pass later; any other non-2xx (4xx, and redirects, which we do not follow
 * with a secret URL) will not, so it stops with `fix`: what the operator should change.
 */
export function httpFailure(where: string, answer: HttpAnswer, fix: string, now = new Date()): ApplicationFailure {
  const said = `${where} answered HTTP ${answer.status}${answer.says ? ` (${answer.says})` : ''}`;
  if (answer.status === 429) {
    const delay = retryAfterMs(answer.retryAfter, now);
    return rateLimitedFailure(`${said}: rate limited; retrying${delay ? ` in ${Math.round(delay / 1000)} s (Retry-After)` : ''}.`, delay);
  }
  if (answer.status === 408 || answer.status >= 500) return unavailableFailure(`${said}; retrying.`);
  return rejectedFailure(`${said}: ${fix}`);
}
