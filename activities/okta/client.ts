/**
 * The Okta SDK client as the pipeline uses it: no SDK retries (Temporal's retry policies own
 * them), no response cache (it would hand back a stale app user while we poll its syncState), and
 * every request paced by the worker's one Okta rate budget.
 */
import { Client } from '@okta/okta-sdk-nodejs';
import type { WorkerConfig } from '../../config/worker-config';
import { PacedRequestExecutor } from './paced-executor';
import { RateBudget } from '../rate-budget';

export type OktaClient = Client & { rateBudget: RateBudget };

/** A token's default share of each bucket (Okta's principal rate limit), and requests in flight. */
export const DEFAULT_OKTA_PACING = { share: 0.5, concurrency: 20 };

export function createOktaClient(okta: Pick<WorkerConfig['okta'], 'orgUrl' | 'auth' | 'requestTimeoutMs'> & { pacing?: WorkerConfig['okta']['pacing'] }): OktaClient {
  const rateBudget = new RateBudget(okta.pacing ?? DEFAULT_OKTA_PACING);
  const requestExecutor = new PacedRequestExecutor(rateBudget, okta.requestTimeoutMs);
  const common = { orgUrl: okta.orgUrl, requestExecutor, cacheMiddleware: null } as const;
  const client =
    okta.auth.mode === 'SSWS'
      ? new Client({ ...common, token: okta.auth.token })
      : new Client({
          ...common,
          authorizationMode: 'PrivateKey',
          clientId: okta.auth.clientId,
          privateKey: okta.auth.privateKey,
          keyId: okta.auth.keyId,
          scopes: okta.auth.scopes.split(/\s+/),
        });
  return Object.assign(client, { rateBudget });
}
