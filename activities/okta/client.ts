/** The Okta SDK client as the pipeline uses it: no SDK retries, no response cache. */
import { Client, DefaultRequestExecutor } from '@okta/okta-sdk-nodejs';
import type { WorkerConfig } from '../../worker/config';

export type OktaClient = Client;

export function createOktaClient(okta: WorkerConfig['okta']): OktaClient {
  // Temporal's retry policies own retries; the SDK's default cache middleware would hand back a
  // stale app user while we poll its syncState.
  const requestExecutor = new DefaultRequestExecutor({ maxRetries: 0, requestTimeout: okta.requestTimeoutMs });
  const common = { orgUrl: okta.orgUrl, requestExecutor, cacheMiddleware: null } as const;
  if (okta.auth.mode === 'SSWS') return new Client({ ...common, token: okta.auth.token });
  return new Client({
    ...common,
    authorizationMode: 'PrivateKey',
    clientId: okta.auth.clientId,
    privateKey: okta.auth.privateKey,
    keyId: okta.auth.keyId,
    scopes: okta.auth.scopes.split(/\s+/),
  });
}
