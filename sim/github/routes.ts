/**
 * Every REST route the simulator serves, in one table: the server matches requests against it, and
 * the contract test checks each against GitHub's REST description. GraphQL (`POST /graphql`,
 * graphql.ts) is no REST operation: the server serves it beside this table.
 */
import { credentialAuthorizationRoutes } from './credential-authorizations';
import { rateLimitRoutes } from './rate-limit-route';
import { restRoutes } from './rest-routes';
import type { Route } from './server';
import { scimRoutes } from './scim-routes';

export function allRoutes(): Route[] {
  return [...restRoutes(), ...credentialAuthorizationRoutes(), ...scimRoutes(), ...rateLimitRoutes()];
}
