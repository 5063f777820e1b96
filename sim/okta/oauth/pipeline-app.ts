/** The pipeline's own service app in a simulated org, as an admin would create it for the worker. */
import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { DEFAULT_OKTA_SCOPES } from '../../../config/worker-config';
import type { OktaSim } from '../sim';
import type { AdminRole } from './roles';

export interface PipelineServiceApp {
  clientId: string;
  /** PKCS#8 PEM, as OKTA_PRIVATE_KEY takes it. */
  privateKey: string;
  keyId: string;
  scopes: string;
}

/** A key pair as an admin registers it on a service app: the public JWK (with its `kid`) and the private key as OKTA_PRIVATE_KEY takes it (PKCS#8 PEM). */
export function serviceAppKeyPair(keyId: string): { privateKey: string; publicJwk: JsonWebKey & { kid: string } } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicJwk: { ...publicKey.export({ format: 'jwk' }), kid: keyId } };
}

/**
 * The roles the README recommends: a custom role on the apps under remediation (all apps unless
 * `appIds` names them) and on users, and Read-only Administrator for the System Log.
 */
export function recommendedRoles(appIds?: readonly string[]): AdminRole[] {
  return [{ permissions: ['okta.apps.read', 'okta.apps.manage', 'okta.users.read', 'okta.users.appAssignment.manage'], appIds }, 'READ_ONLY_ADMIN'];
}

/**
 * An API Services app with a fresh key pair, the default scopes granted, DPoP required (Okta's
 * default for new API Services apps since February 2024) and the recommended roles.
 */
export function addPipelineServiceApp(sim: OktaSim, opts: { scopes?: string; requireDpop?: boolean; roles?: AdminRole[] } = {}): PipelineServiceApp {
  const keyId = 'okta-remediation-1';
  const { privateKey, publicJwk } = serviceAppKeyPair(keyId);
  const scopes = opts.scopes ?? DEFAULT_OKTA_SCOPES;
  const clientId = sim.addServiceApp({ publicKeys: [publicJwk], scopes: scopes.split(' '), requireDpop: opts.requireDpop ?? true, roles: opts.roles ?? recommendedRoles() });
  return { clientId, privateKey, keyId, scopes };
}
