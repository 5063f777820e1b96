/** The simulated Okta org: `new OktaSim()`, seed it, `start()`, point the Okta SDK at `sim.url`. */
export { OktaSim, type OktaSimOptions } from './sim';
export { DEFAULT_ADMIN, type AdminRef, type AppSeed, type UserSeed } from './org';
export type { SimState } from './admin-routes';
export type { FaultSpec, FaultStatus } from './faults';
export type { RateLimitOptions } from './rate-limiter';
export { CREDENTIAL_ERROR, SYSTEM_PRINCIPAL } from './log-events';
export { OktaError } from './errors';
export { VendorSignInError, type VendorHealth, type VendorLink, type VendorUser } from './vendor-link';
export type * from './types';
