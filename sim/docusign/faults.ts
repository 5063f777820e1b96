/** The failures the DocuSign simulator can play on request; a 429 may say when its budget resets. */
import type { Fault } from '../http/faults';

export type FaultStatus = 401 | 429 | 500 | 503;

export interface FaultSpec extends Fault<FaultStatus> {
  /**
   * For 429: when the hourly budget starts again (X-RateLimit-Reset), from now. Default: the next
   * top of the hour, as DocuSign answers; a short one plays a limit hit just before the hour ends.
   */
  resetInMs?: number;
}
