/**
 * The Okta SDK client as the pipeline uses it: no SDK retries (Temporal's retry policies own
 * them), no response cache (it would hand back a stale app user while we poll its syncState), and
 * every request paced by the worker's one Okta rate budget.
 */
import { Client } from '@okta/okta-sdk-nodejs';
import type { WorkerConfig } from '../../config/worker-config';
import { PacedRequestExecutor } from './paced-executor';
import { RateBudget } from '../rate-budget';
import { useServiceAppTokens } from './service-app-token';

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
          // The SDK's types say string[], but its constructor splits a string (an array throws).
          scopes: okta.auth.scopes as unknown as string[],
        });
  if (okta.auth.mode === 'PrivateKey') requestExecutor.renew = useServiceAppTokens(client);
  return Object.assign(client, { rateBudget });
}

/**
 * GET a management API URL as raw JSON. Not the SDK's `http.getJson`: it sends the method as
 * `get`, and a DPoP proof's `htm` must be the method as sent on the wire, `GET` (RFC 9449 §4.2).
 */
export async function getOktaJson(okta: Client, url: string): Promise<unknown> {
  const res = await okta.http.http(url, { method: 'GET', headers: { Accept: 'application/json' } } as Parameters<Client['http']['http']>[1]);
  return res.json();
}
