/** The pipeline's own service app in a simulated org, as an admin would create it for the worker. */
import { generateKeyPairSync } from 'node:crypto';
import { DEFAULT_OKTA_SCOPES } from '../../../config/worker-config';
import type { OktaSim } from '../sim';

export interface PipelineServiceApp {
  clientId: string;
  /** PKCS#8 PEM, as OKTA_PRIVATE_KEY takes it. */
  privateKey: string;
  keyId: string;
  scopes: string;
}

/**
 * An API Services app with a fresh key pair, the default scopes granted and DPoP required (Okta's
 * default for new API Services apps since February 2024).
 */
export function addPipelineServiceApp(sim: OktaSim, opts: { scopes?: string; requireDpop?: boolean } = {}): PipelineServiceApp {
  const keyId = 'okta-remediation-1';
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const scopes = opts.scopes ?? DEFAULT_OKTA_SCOPES;
  const clientId = sim.addServiceApp({ publicKeys: [{ ...publicKey.export({ format: 'jwk' }), kid: keyId }], scopes: scopes.split(' '), requireDpop: opts.requireDpop ?? true });
  return { clientId, privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), keyId, scopes };
}
