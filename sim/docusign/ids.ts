/** Identifiers shaped like DocuSign's: GUIDs for accounts, users and keys, opaque bearer tokens. */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function guid(): string {
  return randomUUID();
}

/** DocuSign's "account number": an integer shown in the web app beside the API Account ID. */
export function externalAccountId(): string {
  return String(randomInt(10_000_000, 99_999_999));
}

export function accessToken(): string {
  return randomBytes(48).toString('base64url');
}

export function traceToken(): string {
  return randomUUID();
}
