/**
 * Checking a DPoP proof as RFC 9449 §4.3 lists it: a `dpop+jwt` signed by the public key in its
 * own header, for this method and URL, fresh, used once, and (on a resource) for this access
 * token. Returns the key's thumbprint, which a DPoP-bound token is bound to.
 */
import type { JsonWebKey } from 'node:crypto';
import { createHash } from 'node:crypto';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import { jwkThumbprint, publicKeyOf } from './jwk';

export const SIGNING_ALGS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'] as const;
/** How far a proof's `iat` may be from now. */
const FRESH_SECONDS = 300;

export class ProofProblem extends Error {}

export interface ProofClaims extends JwtPayload {
  htm?: string;
  htu?: string;
  ath?: string;
  nonce?: string;
}

export interface ExpectedProof {
  htm: string;
  /** The request's URL without query or fragment. */
  htu: string;
  /** The access token it must be bound to (resource requests). */
  accessToken?: string;
}

/** The hash of an access token as a proof's `ath` carries it. */
export const accessTokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');

export class ProofChecker {
  /** Proof ids seen, with when they were seen: a replayed proof is refused. */
  private readonly seen = new Map<string, number>();

  check(proof: string | string[] | undefined, expected: ExpectedProof, now = Date.now()): { jkt: string; claims: ProofClaims } {
    if (typeof proof !== 'string' || proof === '') throw new ProofProblem('The DPoP proof JWT header is missing.');
    const decoded = jwt.decode(proof, { complete: true });
    if (!decoded || typeof decoded.payload === 'string') throw new ProofProblem('The DPoP proof JWT cannot be parsed.');
    const header = decoded.header as jwt.JwtHeader & { jwk?: JsonWebKey };
    if (header.typ !== 'dpop+jwt') throw new ProofProblem("'typ' must be 'dpop+jwt' in the DPoP proof JWT.");
    if (!header.jwk) throw new ProofProblem('The DPoP proof JWT is invalid.');
    let claims: ProofClaims;
    try {
      claims = jwt.verify(proof, publicKeyOf(header.jwk), { algorithms: [...SIGNING_ALGS] }) as ProofClaims;
    } catch {
      throw new ProofProblem('The DPoP proof JWT signature is invalid.');
    }
    if (claims.htm !== expected.htm) throw new ProofProblem("'htm' claim in the DPoP proof JWT is invalid.");
    if (claims.htu !== expected.htu) throw new ProofProblem("'htu' claim in the DPoP proof JWT is invalid.");
    if (typeof claims.iat !== 'number') throw new ProofProblem("'iat' claim in the DPoP proof JWT is invalid.");
    if (claims.iat > now / 1000 + 5) throw new ProofProblem('The DPoP proof JWT is issued in the future.');
    if (claims.iat < now / 1000 - FRESH_SECONDS) throw new ProofProblem('The DPoP proof JWT is issued more than five minutes in the past.');
    if (typeof claims.jti !== 'string' || claims.jti === '') throw new ProofProblem("'jti' claim in the DPoP proof JWT is invalid.");
    this.forgetBefore(now - 2 * FRESH_SECONDS * 1000);
    if (this.seen.has(claims.jti)) throw new ProofProblem('The DPoP proof JWT has already been used.');
    if (expected.accessToken !== undefined && claims.ath !== accessTokenHash(expected.accessToken)) throw new ProofProblem("'ath' claim in the DPoP proof does not match the presented access_token.");
    this.seen.set(claims.jti, now);
    return { jkt: jwkThumbprint(header.jwk), claims };
  }

  /** Proofs seen before `ms` are too old to pass anyway. The map keeps insertion order, which is time order. */
  private forgetBefore(ms: number): void {
    for (const [jti, at] of this.seen) {
      if (at >= ms) break;
      this.seen.delete(jti);
    }
  }
}
