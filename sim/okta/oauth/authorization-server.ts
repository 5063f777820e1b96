/**
 * The org authorization server, for service apps only: `POST /oauth2/v1/token` with the client
 * credentials grant and a private_key_jwt client assertion (RFC 7523), DPoP-bound tokens for apps
 * that require them (RFC 9449, with Okta's nonce), and the check of each access token a
 * management API call presents. Sources: docs/simulators.md, "OAuth 2.0 for service apps".
 */
import { randomBytes, type JsonWebKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Reply } from '../../http/reply';
import type { SimRequest } from '../../http/request';
import { hex } from '../ids';
import { invalidClient, invalidDpopProof, invalidRequest, invalidScope, noScopeGranted, OAuthError, TokenRefusal, useDpopNonce, type TokenProblem } from './errors';
import { publicKeyOf } from './jwk';
import { accessTokenHash, ProofChecker, ProofProblem, SIGNING_ALGS } from './dpop';
import type { AdminRole } from './roles';
import { DEVICE_AUTHORIZE_PATH, DEVICE_GRANT, DeviceFlow, KEYS_PATH, type DeviceFlowOptions } from './device-flow';

export const TOKEN_PATH = '/oauth2/v1/token';
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface ServiceAppSeed {
  /** The app's public keys (Applications > the app > General > Public keys), each with its `kid`. */
  publicKeys: JsonWebKey[];
  /** The Okta API scopes granted to the app (Okta API Scopes tab). */
  scopes: readonly string[];
  /** "Require Demonstrating Proof of Possession (DPoP) header in token requests". */
  requireDpop?: boolean;
  /** The admin roles assigned to the app (Admin roles tab): without one that allows a call, Okta answers 403. */
  roles: readonly AdminRole[];
}

interface ServiceApp extends ServiceAppSeed {
  clientId: string;
}

interface IssuedToken {
  clientId: string;
  scopes: ReadonlySet<string>;
  expiresAtMs: number;
  /** The thumbprint of the DPoP key the token is bound to. */
  jkt?: string;
}

/** Who called the management API with an access token. */
export interface TokenCaller {
  clientId: string;
  scheme: 'Bearer' | 'DPoP';
  scopes: ReadonlySet<string>;
  roles: readonly AdminRole[];
}

export interface AuthorizationServerOptions extends DeviceFlowOptions {
  /** An access token's lifetime; default Okta's 3600 s. */
  tokenTtlSeconds?: number;
}

export class AuthorizationServer {
  private readonly apps = new Map<string, ServiceApp>();
  private readonly tokens = new Map<string, IssuedToken>();
  /** Client assertion ids used, until they expire: an assertion is good for one token. */
  private readonly assertionIds = new Map<string, number>();
  private readonly proofs = new ProofChecker();
  private nonce = randomBytes(24).toString('base64url');
  private readonly tokenTtlSeconds: number;
  /** Tokens issued, for tests: whom to, of which type, and the token itself (a secret tests look for in logs and histories). */
  readonly issued: Array<{ clientId: string; tokenType: 'Bearer' | 'DPoP'; accessToken: string }> = [];
  /** The client assertions and DPoP proofs received (the last 10,000): secrets, as above. */
  readonly credentialsSeen: string[] = [];
  /** People's sign-in (the CLI's device authorization). */
  readonly deviceFlow: DeviceFlow;

  constructor(opts: AuthorizationServerOptions) {
    this.tokenTtlSeconds = opts.tokenTtlSeconds ?? 3600;
    this.deviceFlow = new DeviceFlow(opts);
  }

  /** The endpoints a caller reaches without a token (the token endpoint, sign-in, the org's keys); undefined for any other. */
  publicEndpoint(req: SimRequest, base: string): Promise<Reply> | undefined {
    if (req.method === 'POST' && req.path === TOKEN_PATH) return this.token(req, base);
    if (req.method === 'POST' && req.path === DEVICE_AUTHORIZE_PATH) return formOf(req).then((form) => this.deviceFlow.authorize(form, base));
    if (req.method === 'GET' && req.path === KEYS_PATH) return Promise.resolve(this.deviceFlow.keys());
    return undefined;
  }

  addServiceApp(seed: ServiceAppSeed): string {
    for (const key of seed.publicKeys) publicKeyOf(key); // a private key, or no key at all, is refused here
    const clientId = `0oa${hex(8)}svc`;
    this.apps.set(clientId, { ...seed, clientId });
    return clientId;
  }

  /**
   * Okta renews its DPoP nonce every 24 hours and takes the old one for three days; the simulator
   * retires it at once (the stricter case): a proof with it gets `use_dpop_nonce` again.
   */
  rotateDpopNonce(): void {
    this.nonce = randomBytes(24).toString('base64url');
  }

  /** Every access token issued so far expires now (a long run outlives its token). */
  expireTokens(): void {
    for (const t of this.tokens.values()) t.expiresAtMs = 0;
  }

  private async token(req: SimRequest, base: string): Promise<Reply> {
    const tokenUrl = `${base}${TOKEN_PATH}`;
    const form = await formOf(req);
    for (const seen of [form.get('client_assertion'), req.headers.dpop]) if (typeof seen === 'string') this.remember(seen);
    const grantType = form.get('grant_type');
    if (!grantType) throw invalidRequest(`The token request must specify a 'grant_type'. Valid values: [client_credentials, ${DEVICE_GRANT}]`);
    if (grantType === DEVICE_GRANT) return this.deviceFlow.grant(form, base);
    if (grantType !== 'client_credentials')
      throw new OAuthError(400, 'unsupported_grant_type', `The authorization grant type is not supported by the authorization server. Configured grant types: [client_credentials, ${DEVICE_GRANT}].`);
    const app = this.authenticateClient(form, tokenUrl);
    const requested = (form.get('scope') ?? '').split(' ').filter(Boolean);
    if (requested.length === 0) throw invalidScope('No scopes were requested.');
    if (requested.some((s) => !s.startsWith('okta.'))) throw invalidScope('Custom scopes are not allowed for this request.');
    // Okta issues what it can: only the granted scopes, or nothing when none is granted.
    const granted = requested.filter((s) => app.scopes.includes(s));
    if (granted.length === 0) throw noScopeGranted();
    let jkt: string | undefined;
    if (app.requireDpop) {
      try {
        const proof = this.proofs.check(req.headers.dpop, { htm: 'POST', htu: tokenUrl });
        if (proof.claims.nonce !== this.nonce) throw useDpopNonce(this.nonce);
        jkt = proof.jkt;
      } catch (err) {
        if (err instanceof ProofProblem) throw invalidDpopProof(err.message);
        throw err;
      }
    }
    this.useAssertion(form.get('client_assertion')!);
    const accessToken = randomBytes(32).toString('base64url');
    const tokenType = jkt ? 'DPoP' : 'Bearer';
    this.tokens.set(accessToken, { clientId: app.clientId, scopes: new Set(granted), expiresAtMs: Date.now() + this.tokenTtlSeconds * 1000, jkt });
    this.issued.push({ clientId: app.clientId, tokenType, accessToken });
    return {
      status: 200,
      headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
      body: { token_type: tokenType, expires_in: this.tokenTtlSeconds, access_token: accessToken, scope: granted.join(' ') },
    };
  }

  /**
   * The caller behind `Authorization: Bearer …` or `DPoP …` (with its proof), or the resource
   * server's refusal. Undefined when the header carries no access token at all.
   */
  caller(req: SimRequest, url: string, base: string): TokenCaller | undefined {
    const m = /^(Bearer|DPoP)\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!m) return undefined;
    const scheme = m[1]!.toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer';
    const refuse = (status: TokenProblem['status'], error: TokenProblem['error'], description: string) => new TokenRefusal(base, req.path, { scheme, status, error, description });
    const token = this.tokens.get(m[2]!);
    if (!token) throw refuse(401, 'invalid_token', 'The access token is invalid.');
    if (Date.now() >= token.expiresAtMs) throw refuse(401, 'invalid_token', 'The token has expired.');
    if (token.jkt && scheme !== 'DPoP') throw refuse(400, 'invalid_request', 'The resource request must use the DPoP authentication scheme when using a DPoP bound token.');
    if (!token.jkt && scheme === 'DPoP') throw refuse(401, 'invalid_token', 'The presented access_token is not DPoP bound.');
    if (typeof req.headers.dpop === 'string') this.remember(req.headers.dpop);
    if (token.jkt) {
      if (req.headers.dpop === undefined) throw refuse(400, 'invalid_request', 'The resource request requires a DPoP proof.');
      try {
        const { jkt } = this.proofs.check(req.headers.dpop, { htm: req.method, htu: url, accessToken: m[2]! });
        if (jkt !== token.jkt) throw new ProofProblem('The access_token is not bound to the provided DPoP proof.');
      } catch (err) {
        if (err instanceof ProofProblem) throw refuse(400, 'invalid_dpop_proof', err.message);
        throw err;
      }
    }
    return { clientId: token.clientId, scheme, scopes: token.scopes, roles: this.apps.get(token.clientId)!.roles };
  }

  /** private_key_jwt: the assertion names the client, is signed by one of its keys, for this endpoint, not expired. */
  private authenticateClient(form: URLSearchParams, tokenUrl: string): ServiceApp {
    const assertion = form.get('client_assertion');
    if (!assertion) throw invalidClient('Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method.');
    if (form.get('client_assertion_type') !== JWT_BEARER) throw invalidRequest('The client_assertion_type is invalid.');
    const decoded = jwt.decode(assertion, { complete: true });
    if (!decoded || typeof decoded.payload === 'string') throw invalidClient('The parsing of the client_assertion failed.');
    const { payload, header } = decoded;
    const app = this.apps.get(payload.iss ?? '');
    if (!app) throw invalidClient('The issuer claim for client_assertion is not a valid client_id.');
    if (form.get('client_id') && form.get('client_id') !== app.clientId) throw invalidClient("Invalid value for 'client_id' parameter.");
    if (payload.sub !== app.clientId) throw invalidClient('The subject claim for client_assertion is not a valid client_id.');
    if (typeof payload.exp !== 'number') throw invalidClient("The client_assertion must contain the 'exp' claim as seconds since epoch.");
    if (payload.exp > Date.now() / 1000 + 3600) throw invalidClient('The client_assertion token has an expiration too far into the future.');
    const keys = header.kid ? app.publicKeys.filter((k) => (k as { kid?: string }).kid === header.kid) : app.publicKeys.length === 1 ? app.publicKeys : [];
    if (keys.length === 0) throw invalidClient('The client_assertion JWT kid is invalid.');
    let lastError: unknown;
    for (const key of keys) {
      try {
        jwt.verify(assertion, publicKeyOf(key), { algorithms: [...SIGNING_ALGS], audience: tokenUrl });
        return app;
      } catch (err) {
        lastError = err;
      }
    }
    throw invalidClient(assertionProblem(lastError));
  }

  private remember(credential: string): void {
    if (this.credentialsSeen.length >= 10_000) this.credentialsSeen.splice(0, 5_000);
    this.credentialsSeen.push(credential);
  }

  private useAssertion(assertion: string): void {
    const payload = jwt.decode(assertion) as jwt.JwtPayload;
    const now = Date.now();
    for (const [id, until] of this.assertionIds) if (until < now) this.assertionIds.delete(id);
    const id = `${payload.iss}|${payload.jti ?? accessTokenHash(assertion)}`;
    if (this.assertionIds.has(id)) throw invalidClient('The client_assertion token has already been used.');
    this.assertionIds.set(id, (payload.exp ?? now / 1000 + 3600) * 1000);
  }
}

/** OAuth endpoints take their parameters as a form. */
async function formOf(req: SimRequest): Promise<URLSearchParams> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(String(req.headers['content-type'] ?? ''))) {
    throw invalidRequest("The request must be sent with Content-Type 'application/x-www-form-urlencoded'.");
  }
  return new URLSearchParams((await req.body()).toString('utf8'));
}

function assertionProblem(err: unknown): string {
  if (err instanceof jwt.TokenExpiredError) return 'The client_assertion token is expired.';
  if (err instanceof jwt.NotBeforeError) return 'The client_assertion token must be issued before the current time.';
  if (err instanceof Error && /audience/.test(err.message)) return 'The audience claim for client_assertion must be the endpoint invoked for the request.';
  return 'The client_assertion signature is invalid.';
}
