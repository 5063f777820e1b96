/**
 * A ready-made world for tests and the demo: one SAML-enforced org whose Okta integration runs
 * on a dedicated service account that owns the org, a person who is also an owner, an ordinary
 * member, and the pipeline's own read-only probe account with its token.
 */
import type { GitHubSim } from './sim';

export interface GitHubScenario {
  org: string;
  /** The dedicated machine account Okta's grant belongs to (an org owner). */
  serviceAccount: string;
  /** The token Okta holds for the org. */
  oktaToken: string;
  /** A human org owner. */
  owner: string;
  ownerToken: string;
  member: string;
  memberToken: string;
  /** The pipeline's probe account: an org member whose token can read memberships, nothing more. */
  probe: string;
  probeToken: string;
}

export function seedGitHubScenario(sim: GitHubSim, org = 'acme-corp'): GitHubScenario {
  const serviceAccount = `${org}-okta-sync`;
  const owner = `${org}-owner`;
  const member = `${org}-dev`;
  const probe = `${org}-remediation`;
  sim.addOrg({ login: org, samlEnforced: true });
  sim.addUser({ login: serviceAccount, name: 'Okta provisioning', email: `okta-sync@${org}.example`, serviceAccount: true });
  sim.addUser({ login: owner, name: 'Olive Owner', email: `olive@${org}.example` });
  sim.addUser({ login: member, name: 'Dev Member', email: `dev@${org}.example` });
  sim.addUser({ login: probe, name: 'Remediation probe', email: `remediation@${org}.example`, serviceAccount: true });
  sim.setMembership(org, serviceAccount, 'admin');
  sim.setMembership(org, owner, 'admin');
  sim.setMembership(org, member, 'member');
  sim.setMembership(org, probe, 'member');
  const saml = { samlAuthorizedOrgs: [org] };
  // Okta holds an OAuth app token; people and scripts use personal access tokens.
  const oktaToken = sim.issueToken(serviceAccount, saml);
  const ownerToken = sim.issueToken(owner, { ...saml, kind: 'pat' });
  const memberToken = sim.issueToken(member, { ...saml, kind: 'pat', scopes: ['read:org', 'read:user'] });
  const probeToken = sim.issueToken(probe, { ...saml, kind: 'pat', scopes: ['read:org', 'read:user'] });
  sim.configureOktaIntegration({ org, adminLogin: serviceAccount, token: oktaToken });
  return { org, serviceAccount, oktaToken, owner, ownerToken, member, memberToken, probe, probeToken };
}
