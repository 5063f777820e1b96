/** The failures the Okta simulator can play on request. */
import type { Fault } from '../http/faults';

export type FaultStatus = 429 | 500 | 502 | 503;
export type FaultSpec = Fault<FaultStatus>;
