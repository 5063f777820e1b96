/** Identifiers shaped like Okta's: a 3-character type prefix and 17 base62 characters. */
import { randomBytes, randomUUID } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(length: number): string {
  // 248 = 4 * 62: rejecting larger bytes keeps every character equally likely.
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

/** `00u` users, `0oa` app instances. */
export function oktaId(prefix: '00u' | '0oa'): string {
  return prefix + base62(17);
}

export const OKTA_ID = /^(00u|0oa)[0-9A-Za-z]{17}$/;

/** Okta's errorId and request ids look like this (`oae` + 22 characters). */
export function errorId(): string {
  return 'oae' + base62(22);
}

export function requestId(): string {
  return base62(27);
}

export function eventUuid(): string {
  return randomUUID();
}

export function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}
