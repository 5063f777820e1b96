/**
 * The answers of Okta's OAuth 2.0 endpoints (RFC 6749 §5.2's `error` and `error_description`) and
 * of its resource server to a token it does not accept (`WWW-Authenticate`, RFC 6750 §3 and
 * RFC 9449 §7.1, beside Okta's own error body). Sources: docs/simulators.md, "OAuth 2.0 for service apps".
 */
import { HttpError } from '../../http/reply';

export class OAuthError extends HttpError {
  constructor(
    status: number,
    readonly error: string,
    readonly description: string,
    headers?: Record<string, string>,
  ) {
    super(status, `${status} ${error}: ${description}`, { 'Cache-Control': 'no-cache, no-store', Pragma: 'no-cache', ...headers });
    this.name = 'OAuthError';
  }

  override body(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}

export const invalidClient = (description: string) => new OAuthError(401, 'invalid_client', description);
export const invalidRequest = (description: string) => new OAuthError(400, 'invalid_request', description);
export const invalidScope = (description: string) => new OAuthError(400, 'invalid_scope', description);
export const noScopeGranted = () => new OAuthError(400, 'consent_required', 'You are not allowed any of the requested scopes.');
export const invalidDpopProof = (description: string) => new OAuthError(400, 'invalid_dpop_proof', description);
export const useDpopNonce = (nonce: string) => new OAuthError(400, 'use_dpop_nonce', 'Authorization server requires nonce in DPoP proof.', { 'DPoP-Nonce': nonce });

/** How Okta's resource server names the problem with a token in WWW-Authenticate. */
export interface TokenProblem {
  scheme: 'Bearer' | 'DPoP';
  status: 400 | 401 | 403;
  error: 'invalid_token' | 'invalid_request' | 'invalid_dpop_proof' | 'insufficient_scope';
  description: string;
  /** The scope the endpoint needs. */
  scope?: string;
}

/**
 * A token the resource server does not take: an empty body, and the reason in WWW-Authenticate,
 * whose authorization_uri and realm use http:// even for an https org, as Okta's answers do.
 */
export class TokenRefusal extends HttpError {
  constructor(base: string, path: string, p: TokenProblem) {
    const origin = base.replace(/^https:/, 'http:');
    const params = [
      ...(p.scheme === 'DPoP' ? ['algs="RS256 RS384 RS512 ES256 ES384 ES512"'] : []),
      `authorization_uri="${origin}/oauth2/v1/authorize"`,
      `realm="${origin}"`,
      ...(p.scope ? [`scope="${p.scope}"`] : []),
      `error="${p.error}"`,
      `error_description="${p.description}"`,
      `resource="${path}"`,
    ];
    super(p.status, `${p.status} ${p.error}: ${p.description}`, { 'WWW-Authenticate': `${p.scheme} ${params.join(', ')}` });
    this.name = 'TokenRefusal';
  }

  override body(): undefined {
    return undefined;
  }
}
