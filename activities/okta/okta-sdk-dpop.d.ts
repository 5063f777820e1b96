/** The Okta SDK's DPoP proof maker (src/dpop.js), which the SDK ships without a type. */
declare module '@okta/okta-sdk-nodejs/src/dpop' {
  import type { Client } from '@okta/okta-sdk-nodejs';
  /** A proof for the token endpoint (`request` null) or for `request`, bound to `accessToken` when given. */
  export function generateDpopJwt(request: { method: string; url: string } | null, client: Client, accessToken?: string | null, nonce?: string | null): Promise<string>;
}
