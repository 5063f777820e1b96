/**
 * Okta's "GitHub Enterprise Cloud - Organization" app as GitHub sees it: one org, the OAuth grant
 * (token) of the admin who clicked "Authenticate with GitHub", and that admin's login as Okta
 * recorded it. The verdict says whether Okta's next SCIM push would go through, and if not, why.
 */
import { scimDenial, type ScimDenial } from './access';
import type { World } from './world';

export interface OktaIntegrationConfig {
  org: string;
  adminLogin: string;
  token: string;
}

export type HealthReason = 'not_configured' | 'org_missing' | 'admin_deleted' | 'admin_renamed' | 'admin_suspended' | 'token_revoked' | 'token_expired' | 'password_changed' | ScimDenial;

export type IntegrationHealth = { ok: true } | { ok: false; reason: HealthReason; detail: string };

export interface OktaIntegration extends OktaIntegrationConfig {
  /** Pinned when configured: a rename keeps the id, a deletion loses it. */
  adminUserId: number;
}

export function configureIntegration(world: World, config: OktaIntegrationConfig): OktaIntegration {
  world.requireOrg(config.org);
  const admin = world.requireUser(config.adminLogin);
  const check = world.checkToken(config.token);
  // Okta can only hold a grant the admin just made: anything else is a mistake in the test setup.
  if (check.kind === 'invalid' || check.user.id !== admin.id) {
    throw new Error(`GitHubSim: the Okta integration's token must be a live token of '${config.adminLogin}'`);
  }
  return { ...config, adminUserId: admin.id };
}

export function integrationHealth(world: World, integration: OktaIntegration | undefined, now = new Date()): IntegrationHealth {
  if (!integration) return fail('not_configured', 'the Okta integration has not been authenticated with GitHub');
  const org = world.org(integration.org);
  if (!org) return fail('org_missing', `organization '${integration.org}' does not exist`);

  // The account first: when it is gone, that (not the token it took with it) is the cause to fix.
  const admin = world.userById(integration.adminUserId);
  if (!admin) return fail('admin_deleted', `the admin account '${integration.adminLogin}' was deleted`);
  if (admin.login.toLowerCase() !== integration.adminLogin.toLowerCase()) {
    return fail('admin_renamed', `the admin account '${integration.adminLogin}' was renamed to '${admin.login}'`);
  }
  if (admin.suspendedAt) return fail('admin_suspended', `the admin account '${admin.login}' is suspended`);

  const check = world.checkToken(integration.token, now);
  if (check.kind === 'invalid') {
    switch (check.why) {
      case 'expired':
        return fail('token_expired', `the OAuth token of '${admin.login}' expired`);
      case 'password_changed':
        return fail('password_changed', `the password of '${admin.login}' changed, which invalidated its OAuth token`);
      case 'user_deleted':
        return fail('admin_deleted', `the admin account '${integration.adminLogin}' was deleted`);
      default:
        return fail('token_revoked', `the OAuth token of '${admin.login}' was revoked`);
    }
  }
  if (check.kind === 'suspended') return fail('admin_suspended', `the admin account '${admin.login}' is suspended`);

  const denial = scimDenial(world, org, check.token, check.user);
  if (denial === 'saml_authorization_missing') {
    return fail(denial, `the OAuth token of '${admin.login}' is not authorized for the SAML SSO of '${org.login}'`);
  }
  if (denial === 'not_org_owner') return fail(denial, `'${admin.login}' is not an owner of '${org.login}'`);
  if (denial === 'missing_scope') return fail(denial, `the OAuth token of '${admin.login}' lacks the admin:org scope`);
  return { ok: true };
}

function fail(reason: HealthReason, detail: string): IntegrationHealth {
  return { ok: false, reason, detail };
}
