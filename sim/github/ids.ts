/** Identifiers shaped like GitHub's: OAuth tokens, legacy node ids, request ids, SCIM ids. */
import { randomBytes, randomUUID } from 'node:crypto';
import { crc32 } from 'node:zlib';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62Random(length: number): string {
  // 248 = 4 * 62: rejecting larger bytes keeps every character equally likely.
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

function base62(n: number, width: number): string {
  let out = '';
  for (let v = n; v > 0; v = Math.floor(v / 62)) out = BASE62[v % 62] + out;
  return out.padStart(width, '0');
}

/**
 * An OAuth app user token as GitHub mints them: `gho_`, 30 random base62 characters and a
 * 6-character CRC32 checksum, so secret scanners and format checks accept it.
 */
export function oauthToken(): string {
  const random = base62Random(30);
  return `gho_${random}${base62(crc32(random), 6)}`;
}

export const OAUTH_TOKEN = /^gho_[0-9A-Za-z]{36}$/;

/** A personal access token (classic): the same shape with the `ghp_` prefix. */
export function personalAccessToken(): string {
  const random = base62Random(30);
  return `ghp_${random}${base62(crc32(random), 6)}`;
}

/** An OAuth app's client id, in GitHub's current format (`Ov23li` + 14 characters). */
export function oauthClientId(): string {
  return `Ov23li${base62Random(14)}`;
}

/** Legacy global node ids: base64 of `<length of type>:<Type><id>` (MDQ6VXNlcjE= is user 1). */
export function nodeId(type: 'User' | 'Organization', id: number): string {
  return Buffer.from(`0${type.length}:${type}${id}`).toString('base64');
}

/** X-GitHub-Request-Id looks like `C0DE:1A2B3C:4D5E6F:7A8B9C:65F0A1B2`. */
export function requestId(): string {
  const part = (bytes: number): string => randomBytes(bytes).toString('hex').toUpperCase();
  return [part(2), part(3), part(3), part(3), part(4)].join(':');
}

/** GitHub's organization SCIM ids are UUIDs. */
export function scimId(): string {
  return randomUUID();
}

/** The opaque code GitHub puts in the SSO authorization URL of a 403. */
export function authorizationRequest(): string {
  return base62Random(40);
}
