/** The failures the GitHub simulator can play on request. */
import type { Fault } from '../http/faults';

export type FaultStatus = 401 | 403 | 429 | 500 | 502 | 503;
export type FaultSpec = Fault<FaultStatus>;
