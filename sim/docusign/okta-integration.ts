/**
 * The DocuSign side of Okta's provisioning connection: the API Account ID an admin typed into Okta
 * and the OAuth grant Okta got when that admin clicked "Authenticate with DocuSign". The verdict
 * answers "would a push from Okta work now?" with the same causes the design lists.
 */
import type { World } from './world';
import type { Environment } from './types';

export interface OktaIntegrationConfig {
  apiAccountId: string;
  adminUserId: string;
  /** The DocuSign environment Okta authenticates against (account-d for demo, account for production). */
  environment: Environment;
}

export type OktaIntegrationProblem = 'not_configured' | 'grant_revoked' | 'environment_mismatch' | 'account_not_among_admin_accounts' | 'admin_closed' | 'admin_not_admin';

export type OktaIntegrationHealth = { ok: true } | { ok: false; code: OktaIntegrationProblem; reason: string };

export interface OktaIntegrationState extends OktaIntegrationConfig {
  grantRevoked: boolean;
}

/**
 * Checks in the order a DocuSign push fails: no usable grant first, then the account the grant is
 * used against, then the admin's standing in that account.
 */
export function assessOktaIntegration(world: World, state: OktaIntegrationState | undefined): OktaIntegrationHealth {
  if (!state) return problem('not_configured', 'Okta has no DocuSign API Account ID or OAuth grant configured');
  const admin = world.identity(state.adminUserId);
  if (state.grantRevoked) {
    return problem('grant_revoked', `the OAuth grant Okta holds for ${admin?.email ?? state.adminUserId} expired or was revoked at DocuSign`);
  }
  const account = world.findAccount(state.apiAccountId);
  if (account && account.environment !== state.environment) {
    return problem('environment_mismatch', `API Account ID ${state.apiAccountId} is a ${account.environment} account but Okta authenticates against DocuSign ${state.environment}`);
  }
  const membership = account && admin ? world.membership(account.accountId, admin.userId) : undefined;
  if (!account || !admin || !membership) {
    return problem('account_not_among_admin_accounts', `API Account ID ${state.apiAccountId} is not among the DocuSign ${state.environment} accounts of ${admin?.email ?? state.adminUserId}`);
  }
  if (membership.status === 'closed') return problem('admin_closed', `${admin.email} is closed in DocuSign account ${account.name}`);
  if (!membership.isAdmin) return problem('admin_not_admin', `${admin.email} is no longer an administrator of DocuSign account ${account.name}`);
  return { ok: true };
}

function problem(code: OktaIntegrationProblem, reason: string): OktaIntegrationHealth {
  return { ok: false, code, reason };
}
