/** The simulated GitHub: `new GitHubSim()`, seed it, `start()`, point Octokit's baseUrl at `sim.url`. */
export { GitHubSim, type GitHubSimOptions, type UserView } from './sim';
export { seedGitHubScenario, type GitHubScenario } from './scenario';
export type { Membership, MembershipState, OrgRole, OrgSeed, TokenKind, TokenOptions, UserSeed } from './world';
export type { HealthReason, IntegrationHealth, OktaIntegration, OktaIntegrationConfig } from './integration';
export type { ScimSeed } from './scim';
export type { ScimUserResource } from './render';
export type { FaultSpec, FaultStatus } from './faults';
export type { RecordedRequest } from './server';
export { SCIM_LIST_SCHEMA, SCIM_USER_SCHEMA } from './render';
export { SCIM_ERROR_SCHEMA } from './errors';
