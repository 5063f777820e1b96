/**
 * Just enough JWT to check a DocuSign JWT-grant assertion: RS256 over `header.payload`, verified
 * with node:crypto against the integration key's registered public keys. No JWT library, so the
 * simulator checks what DocuSign checks and nothing a library might quietly accept.
 */
import { verify, type KeyObject } from 'node:crypto';

export interface JwtClaims {
  iss?: unknown;
  sub?: unknown;
  aud?: unknown;
  iat?: unknown;
  exp?: unknown;
  scope?: unknown;
}

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: JwtClaims;
  signingInput: Buffer;
  signature: Buffer;
}

/** Splits and parses a compact JWT; undefined when it is not one. */
export function decodeJwt(assertion: string): DecodedJwt | undefined {
  const parts = assertion.split('.');
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts as [string, string, string];
  const header = parseJson(h);
  const claims = parseJson(p);
  if (!header || !claims) return undefined;
  return { header, claims, signingInput: Buffer.from(`${h}.${p}`), signature: Buffer.from(s, 'base64url') };
}

/** True when the RS256 signature verifies with one of the keys (DocuSign allows several per key). */
export function verifyRs256(jwt: DecodedJwt, keys: readonly KeyObject[]): boolean {
  if (jwt.header.alg !== 'RS256') return false;
  return keys.some((key) => verify('sha256', jwt.signingInput, key, jwt.signature));
}

function parseJson(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
