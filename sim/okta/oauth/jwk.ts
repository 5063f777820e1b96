/** Public keys as JWKs: their RFC 7638 thumbprint (what a DPoP-bound token is bound to) and their key object. */
import { createHash, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';

/** The members RFC 7638 §3.2 hashes for each key type, in lexicographic order. */
const REQUIRED: Record<string, readonly string[]> = { RSA: ['e', 'kty', 'n'], EC: ['crv', 'kty', 'x', 'y'], OKP: ['crv', 'kty', 'x'] };

export function jwkThumbprint(jwk: JsonWebKey): string {
  const members = REQUIRED[String(jwk.kty)];
  if (!members) throw new Error(`unsupported key type ${String(jwk.kty)}`);
  const canonical = `{${members.map((m) => `${JSON.stringify(m)}:${JSON.stringify(jwk[m])}`).join(',')}}`;
  return createHash('sha256').update(canonical).digest('base64url');
}

/** A public JWK as a key object; a JWK that carries a private part (`d`) is no public key. */
export function publicKeyOf(jwk: JsonWebKey): KeyObject {
  if (jwk.d !== undefined) throw new Error('a private key where a public key belongs');
  return createPublicKey({ key: jwk, format: 'jwk' });
}
