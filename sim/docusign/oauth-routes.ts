/**
 * The account server (account-d.docusign.com / account.docusign.com) of one environment:
 * POST /oauth/token for the JWT grant and GET /oauth/userinfo.
 */
import { OAuthError } from './errors';
import type { Reply } from '../http/reply';
import { bearer, type SimRequest } from '../http/request';
import { decodeJwt, verifyRs256 } from './jwt';
import { baseUriFor, renderUserInfo } from './render';
import type { World } from './world';
import type { Endpoints, Environment } from './types';

export interface OAuthDeps {
  world: World;
  environment: Environment;
  endpoints: (env: Environment) => Endpoints;
  tokenTtlSeconds: number;
}

/**
 * The account server's routes. They are not in DocuSign's eSignature description; DocuSign
 * documents them at https://developers.docusign.com/platform/auth/reference/ (the contract test
 * checks them against a schema written from those pages).
 */
export const OAUTH_ROUTES: ReadonlyArray<{ method: string; path: string; handler: (deps: OAuthDeps, req: SimRequest, body: Buffer) => Reply }> = [
  { method: 'POST', path: '/oauth/token', handler: token },
  { method: 'GET', path: '/oauth/userinfo', handler: userinfo },
];

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Tolerated clock skew between the client that signed the assertion and us. */
const SKEW_SECONDS = 300;
const REQUIRED_SCOPES = ['signature', 'impersonation'];

/** The JWT grant, checked in the order DocuSign reports problems: who signed, with what, for whom. */
export function token(deps: OAuthDeps, _req: SimRequest, body: Buffer): Reply {
  const form = new URLSearchParams(body.toString('utf8'));
  // DocuSign's own (odd) answer to an unsupported grant type.
  if (form.get('grant_type') !== JWT_BEARER) throw new OAuthError(400, 'invalid_grant', 'unsupported_grant_type');
  const assertion = form.get('assertion');
  const jwt = assertion ? decodeJwt(assertion) : undefined;
  if (!jwt) throw new OAuthError(400, 'invalid_request', 'the assertion is missing or is not a JWT');
  const { claims } = jwt;

  const key = typeof claims.iss === 'string' ? deps.world.integrationKey(claims.iss) : undefined;
  if (!key || !key.environments.includes(deps.environment)) throw new OAuthError(400, 'invalid_grant', 'issuer_not_found');
  if (!verifyRs256(jwt, key.publicKeys)) throw new OAuthError(400, 'invalid_grant', 'no_valid_keys_or_signatures');

  // docusign-esign puts the OAuth host it was given into `aud`: it must name this account server.
  const oauthHost = deps.endpoints(deps.environment).oauthHost;
  if (claims.aud !== oauthHost) throw new OAuthError(400, 'invalid_grant', `invalid audience: expected ${oauthHost}`); // description is a guess

  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== 'number' || claims.exp + SKEW_SECONDS < now) throw new OAuthError(400, 'invalid_grant', 'the assertion has expired'); // description is a guess
  if (typeof claims.iat === 'number' && claims.iat - SKEW_SECONDS > now) throw new OAuthError(400, 'invalid_grant', 'the assertion is issued in the future'); // description is a guess

  const user = typeof claims.sub === 'string' ? deps.world.identity(claims.sub) : undefined;
  if (!user || user.environment !== deps.environment) throw new OAuthError(400, 'invalid_grant', 'user_not_found');

  const scopes = typeof claims.scope === 'string' ? claims.scope.split(/\s+/).filter(Boolean) : [];
  const missing = REQUIRED_SCOPES.filter((s) => !scopes.includes(s));
  if (missing.length > 0) throw new OAuthError(400, 'invalid_scope', `the JWT grant needs the scopes ${missing.join(' ')}`); // wording is a guess

  if (!deps.world.hasConsent(key.integrationKey, user.userId)) throw new OAuthError(400, 'consent_required');

  const issued = deps.world.issueToken({
    userId: user.userId,
    integrationKey: key.integrationKey,
    environment: deps.environment,
    scopes,
    expiresAt: Date.now() + deps.tokenTtlSeconds * 1000,
  });
  return { status: 200, body: { access_token: issued.token, token_type: 'Bearer', expires_in: deps.tokenTtlSeconds } };
}

/** Who the token's user is and which accounts of this environment they may call, with each base_uri. */
export function userinfo(deps: OAuthDeps, req: SimRequest): Reply {
  const presented = bearer(req.headers);
  const issued = presented ? deps.world.token(presented) : undefined;
  const identity = issued && issued.environment === deps.environment ? deps.world.identity(issued.userId) : undefined;
  // The error name is a guess; DocuSign answers 401 to a bad bearer token here.
  if (!identity) throw new OAuthError(401, 'invalid_token', 'The access token provided is expired, revoked or malformed.');
  return { status: 200, body: renderUserInfo(deps.world, identity, baseUriFor(deps.endpoints)) };
}
