/**
 * The worker's access token as an Okta service app: the Okta SDK's own client assertion and DPoP
 * proofs, with the DPoP nonce handshake finished. The SDK (8.1.0) cannot finish it: its error
 * filter throws on Okta's `400 use_dpop_nonce` before the retry with the nonce in its oauth.js
 * runs, so an app that requires DPoP never gets a token. Okta's refusals become one line naming
 * the error, the client id and what to fix; never the assertion, a proof or a token.
 */
import type { Client } from '@okta/okta-sdk-nodejs';
import { generateDpopJwt } from '@okta/okta-sdk-nodejs/src/dpop';

const TOKEN_PATH = '/oauth2/v1/token';
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

interface TokenAnswer {
  access_token?: string;
  token_type?: string;
  expires_in?: number;
  scope?: string;
  error?: string;
  error_description?: string;
}

/** Okta's token endpoint refused the worker's credentials: a configuration problem, not the app's. */
export class OktaTokenRefused extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
    clientId: string,
  ) {
    super(`Okta refused a token for the worker's service app ${clientId} (OKTA_CLIENT_ID): ${error}: ${description} ${advice(error)}`);
    this.name = 'OktaTokenRefused';
  }
}

function advice(error: string): string {
  if (error === 'invalid_scope') return "Grant the scope on the app's Okta API Scopes tab, or leave it out of OKTA_SCOPES.";
  if (error === 'invalid_client') return "Check OKTA_CLIENT_ID, and that OKTA_PRIVATE_KEY matches a public key on the app's General tab (Client Credentials, Public keys).";
  if (error === 'invalid_dpop_proof') return 'The DPoP proof was refused: check the worker clock.';
  return "Check the service app's settings in the Okta Admin Console.";
}

/**
 * Replaces the SDK's token fetch on a client made with authorizationMode PrivateKey. Returns what
 * a request needs before it is sent again: a new DPoP proof (Okta refuses a proof used before).
 */
export function useServiceAppTokens(client: Client): (request: { method?: string; url: string; headers?: unknown }) => Promise<void> {
  const oauth = client.oauth as Client['oauth'] & { isDPoP: boolean };
  type Token = Client['oauth']['accessToken'];
  // One token request at a time: calls that find no token (at start, after an expiry) share it.
  let pending: Promise<Token> | undefined;
  oauth.getAccessToken = () => (oauth.accessToken ? Promise.resolve(oauth.accessToken) : (pending ??= fetchToken().finally(() => (pending = undefined))));
  async function fetchToken(): Promise<Token> {
    let answer = await requestToken(client, null);
    // Okta asks a DPoP app's first request, and any with a nonce it no longer takes, for its current nonce.
    if (answer.status === 400 && answer.body.error === 'use_dpop_nonce' && answer.nonce) answer = await requestToken(client, answer.nonce);
    const { status, body } = answer;
    if (status !== 200 || !body.access_token) throw new OktaTokenRefused(status, body.error ?? `HTTP ${status}`, body.error_description ?? 'no description', client.clientId);
    oauth.isDPoP = body.token_type === 'DPoP';
    oauth.accessToken = { access_token: body.access_token, token_type: body.token_type ?? 'Bearer', expires_in: body.expires_in ?? 0, scope: body.scope ?? '' };
    return oauth.accessToken;
  }
  return async (request) => {
    const headers = request.headers as Record<string, string> | undefined;
    if (headers?.DPoP && oauth.isDPoP && oauth.accessToken) headers.DPoP = await generateDpopJwt({ method: request.method ?? 'GET', url: request.url }, client, oauth.accessToken.access_token);
  };
}

async function requestToken(client: Client, nonce: string | null): Promise<{ status: number; body: TokenAnswer; nonce?: string }> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    scope: client.scopes.join(' '),
    client_assertion_type: JWT_BEARER,
    client_assertion: await client.oauth.getJwt(TOKEN_PATH),
  });
  const res = await client.requestExecutor.fetch({
    url: `${client.baseUrl}${TOKEN_PATH}`,
    method: 'POST',
    body: form.toString(),
    // Every request carries a proof: an app that does not require DPoP ignores it and issues a Bearer token.
    headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded', DPoP: await generateDpopJwt(null, client, null, nonce) },
  } as Parameters<Client['requestExecutor']['fetch']>[0]);
  const text = await res.text();
  let body: TokenAnswer = {};
  try {
    body = JSON.parse(text) as TokenAnswer;
  } catch {
    // not JSON: a proxy's or an outage's page; the status says enough
  }
  return { status: res.status, body, nonce: res.headers.get('dpop-nonce') ?? undefined };
}
