/**
 * The simulated DocuSign: `new DocuSignSim()`, seed it, `start()`, then point docusign-esign at it
 * (`setBasePath(restBaseUrl)` first, then `setOAuthBasePath(oauthHost)`: setBasePath resets the
 * OAuth host). The Node process must start with NODE_EXTRA_CA_CERTS=$(npx tsx sim/tls/ca.ts).
 */
export { DocuSignSim, type DocuSignSimOptions, type DocuSignSimStarted } from './sim';
export type { AccountSeed, UserSeed, IntegrationKeyOptions } from './world';
export type { OktaIntegrationConfig, OktaIntegrationHealth, OktaIntegrationProblem, OktaIntegrationState } from './okta-integration';
export type { FaultSpec, FaultStatus } from './faults';
export type { RecordedRequest, HostKind } from './server';
export type { AccountUser, Endpoints, Environment, MembershipStatus } from './types';
export { ENVIRONMENTS } from './types';
