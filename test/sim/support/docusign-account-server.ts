/**
 * DocuSign's account server (account[-d].docusign.com: POST /oauth/token, GET /oauth/userinfo) is
 * not in the eSignature description, and DocuSign publishes no machine-readable description of it.
 * This is a small OpenAPI 3.0 document written from DocuSign's pages instead, holding only what
 * those pages show; the sources are named beside each part. The generic checker reads it like a
 * vendor's own description.
 */
import type { Json } from './contract';

/** OAuth 2.0's error answer (RFC 6749 §5.2, RFC 6750 §3.1), which DocuSign's account server uses: `{"error":"consent_required"}`. */
const OAUTH_ERROR = {
  type: 'object',
  properties: { error: { type: 'string' }, error_description: { type: 'string' } },
  required: ['error'],
};

/** https://developers.docusign.com/platform/auth/jwt/jwt-get-token/ (step 3, the JWT grant's answer). */
const TOKEN = {
  type: 'object',
  properties: { access_token: { type: 'string' }, token_type: { type: 'string', enum: ['Bearer'] }, expires_in: { type: 'integer' }, refresh_token: { type: 'string' } },
  required: ['access_token', 'token_type', 'expires_in'],
};

/** https://developers.docusign.com/platform/auth/reference/user-info/ (the response and its `accounts`). */
const USER_INFO = {
  type: 'object',
  properties: {
    sub: { type: 'string' },
    name: { type: 'string' },
    given_name: { type: 'string' },
    family_name: { type: 'string' },
    created: { type: 'string' },
    email: { type: 'string' },
    accounts: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          account_id: { type: 'string' },
          is_default: { type: 'boolean' },
          account_name: { type: 'string' },
          base_uri: { type: 'string', format: 'uri' },
          organization: { type: 'object' },
        },
        required: ['account_id', 'is_default', 'account_name', 'base_uri'],
      },
    },
  },
  required: ['sub', 'name', 'email', 'accounts'],
};

const json = (schema: unknown, description: string): Json => ({ description, content: { 'application/json': { schema } } });

export const ACCOUNT_SERVER_DESCRIPTION: Json = {
  openapi: '3.0.3',
  info: { title: 'DocuSign account server (hand-written from developers.docusign.com)', version: 'n/a' },
  paths: {
    '/oauth/token': {
      post: { responses: { '200': json(TOKEN, 'an access token'), '400': json(OAUTH_ERROR, 'the grant is refused (invalid_grant, consent_required, ...)') } },
    },
    '/oauth/userinfo': {
      get: { responses: { '200': json(USER_INFO, "the token's user and accounts"), '401': json(OAUTH_ERROR, 'the bearer token is not valid') } },
    },
  },
  components: { schemas: { OAuthError: OAUTH_ERROR } },
};
