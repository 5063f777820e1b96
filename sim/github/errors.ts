/**
 * GitHub-shaped errors. REST errors are `{ message, documentation_url, status }` (status as a
 * string, as GitHub has sent since 2024); SCIM errors use the SCIM error schema and are served as
 * `application/scim+json`. Handlers throw these; the server turns them into responses, and every
 * error of a SCIM route into a SCIM error (`scimShaped`).
 */
import { HttpError } from '../http/reply';
import { authorizationRequest, requestId } from './ids';

export const DOCS = 'https://docs.github.com/rest';
export const RATE_LIMIT_DOCS = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';
export const SAML_DOCS = 'https://docs.github.com/articles/authenticating-to-a-github-organization-with-saml-single-sign-on/';
export const SCIM_DOCS = 'https://docs.github.com/enterprise-cloud@latest/rest/scim/scim';
export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export interface RestErrorBody {
  message: string;
  documentation_url: string;
  status: string;
}

export interface ScimErrorBody {
  schemas: string[];
  status: number;
  detail: string;
  scimType?: string;
  message: string;
  documentation_url: string;
}

export class GitHubError extends HttpError {
  constructor(
    status: number,
    message: string,
    readonly documentationUrl: string = DOCS,
    headers: Record<string, string> = {},
  ) {
    super(status, message, headers);
    this.name = 'GitHubError';
  }

  override body(): RestErrorBody {
    return { message: this.message, documentation_url: this.documentationUrl, status: String(this.status) };
  }
}

export class ScimError extends HttpError {
  constructor(
    status: number,
    readonly detail: string,
    readonly scimType?: string,
    headers: Record<string, string> = {},
    readonly documentationUrl: string = SCIM_DOCS,
  ) {
    super(status, detail, headers);
    this.name = 'ScimError';
  }

  override body(): ScimErrorBody {
    return {
      schemas: [SCIM_ERROR_SCHEMA],
      status: this.status,
      detail: this.detail,
      ...(this.scimType ? { scimType: this.scimType } : {}),
      // GitHub's scim-error schema also carries the REST fields; clients that read `message` keep working.
      message: this.detail,
      documentation_url: this.documentationUrl,
    };
  }
}

/**
 * An error met on a SCIM route (credentials, SAML SSO, rate limits, faults), in SCIM's shape with
 * its headers (X-GitHub-SSO, Retry-After) kept. GitHub's description (ghec.json) declares the
 * errors of its SCIM operations as `scim-error` (components/responses/scim_forbidden,
 * scim_too_many_requests, scim_internal_error, ...), with an integer `status`; those it does not
 * declare (401, a 429 on a single user) are taken to be the same.
 */
export function scimShaped(err: GitHubError): ScimError {
  return new ScimError(err.status, err.message, undefined, err.headers, err.documentationUrl);
}

export function badCredentials(): GitHubError {
  return new GitHubError(401, 'Bad credentials');
}

export function requiresAuthentication(docs = DOCS): GitHubError {
  return new GitHubError(401, 'Requires authentication', docs);
}

export function notFound(docs = DOCS): GitHubError {
  return new GitHubError(404, 'Not Found', docs);
}

/** What GitHub answers every request made with a suspended account's token. */
export function accountSuspended(): GitHubError {
  return new GitHubError(403, 'Sorry. Your account was suspended.');
}

/** The token works, but not for this org until its owner authorizes it for the org's SAML SSO. */
export function samlRequired(org: string): GitHubError {
  const url = `https://github.com/orgs/${encodeURIComponent(org)}/sso?authorization_request=${authorizationRequest()}`;
  return new GitHubError(403, 'Resource protected by organization SAML enforcement. You must grant your OAuth token access to this organization.', SAML_DOCS, {
    'X-GitHub-SSO': `required; url=${url}`,
  });
}

/** `subject` is `{ userId }` for a token's budget, `{ ip }` for an anonymous one, worded as GitHub does. */
export function primaryRateLimit(status: 403 | 429, subject: { userId: number } | { ip: string }): GitHubError {
  const message =
    'userId' in subject
      ? `API rate limit exceeded for user ID ${subject.userId}. If you reach out to GitHub Support for help, please include the request ID ${requestId()} and timestamp ${utcStamp(new Date())}.`
      : `API rate limit exceeded for ${subject.ip}. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)`;
  return new GitHubError(status, message, RATE_LIMIT_DOCS);
}

/** GitHub's timestamp style in messages and headers: `2025-06-30 12:00:00 UTC`. */
export function utcStamp(d: Date): string {
  return d
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC');
}

export function secondaryRateLimit(status: 403 | 429): GitHubError {
  return new GitHubError(
    status,
    'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ' + `${requestId()}.`,
    RATE_LIMIT_DOCS,
    { 'Retry-After': '1' },
  );
}

export function serverError(status: 500 | 502 | 503): GitHubError {
  const message = status === 500 ? 'Server Error' : status === 502 ? 'Bad Gateway' : 'Service Unavailable';
  return new GitHubError(status, message);
}

/**
 * A spent primary limit: GitHub still answers 200, with an error and x-ratelimit-remaining 0
 * ("Exceeding the rate limit" in GitHub's GraphQL rate-limit docs). The error's type and code are
 * as GitHub sends them today; its docs do not spell them out.
 */
export function graphqlRateLimited(userId: number): { status: 200; body: unknown } {
  return { status: 200, body: { errors: [{ type: 'RATE_LIMIT', code: 'graphql_rate_limit', message: `API rate limit already exceeded for user ID ${userId}.` }] } };
}
