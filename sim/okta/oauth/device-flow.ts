/**
 * The org authorization server's sign-in for people (RFC 8628, OpenID Connect): an OIDC native app
 * with the Device Authorization grant asks for a code, the admin approves it in a browser, and the
 * app's polls of `/oauth2/v1/token` then get an ID token signed by a key the org publishes at
 * `/oauth2/v1/keys`. Tests and `okta-remediate sim` approve a code in place of the browser.
 * Sources: docs/simulators.md, "Device sign-in for people".
 */
import { generateKeyPairSync, randomBytes, randomInt, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Reply } from '../../http/reply';
import { hex } from '../ids';
import { invalidClient, invalidRequest, invalidScope, OAuthError } from './errors';

export const DEVICE_AUTHORIZE_PATH = '/oauth2/v1/device/authorize';
export const KEYS_PATH = '/oauth2/v1/keys';
export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** Who signs in: a user of the org, as the ID token names them. */
export interface SignInUser {
  id: string;
  login: string;
  name: string;
  email: string;
}

export interface DeviceFlowOptions {
  /** A user of the org by login; undefined when there is none. */
  findUser: (login: string) => SignInUser | undefined;
  /** Seconds a client waits between polls; Okta's default is 5. */
  pollIntervalSeconds?: number;
  /** An ID token's lifetime; Okta's is 3600 s. */
  idTokenTtlSeconds?: number;
}

interface DeviceAuthorization {
  clientId: string;
  deviceCode: string;
  userCode: string;
  scopes: string[];
  expiresAtMs: number;
  lastPollMs?: number;
  approvedBy?: SignInUser;
  denied?: boolean;
}

/** Okta's user codes: eight letters from an alphabet without look-alikes, shown as XXXX-XXXX. */
const USER_CODE_LETTERS = 'BCDFGHJKLMNPQRSTVWXZ';
const CODE_TTL_SECONDS = 600;

const grantError = (error: string, description: string) => new OAuthError(400, error, description);

export class DeviceFlow {
  private readonly signInApps = new Set<string>();
  private readonly byDeviceCode = new Map<string, DeviceAuthorization>();
  private readonly byUserCode = new Map<string, DeviceAuthorization>();
  private readonly signingKey: { kid: string; privateKey: KeyObject; publicKey: KeyObject };
  private readonly pollIntervalSeconds: number;
  private readonly idTokenTtlSeconds: number;
  /** The org's own identity provider, as ID tokens name it. */
  private readonly idp = `00o${hex(8)}`;
  /** ID tokens issued, for tests: identity assertions that must never reach a log or a notice. */
  readonly idTokensIssued: string[] = [];

  constructor(private readonly opts: DeviceFlowOptions) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.signingKey = { kid: hex(20), privateKey, publicKey };
    this.pollIntervalSeconds = opts.pollIntervalSeconds ?? 5;
    this.idTokenTtlSeconds = opts.idTokenTtlSeconds ?? 3600;
  }

  /** An OIDC native app with the Device Authorization grant (a public client: no secret); returns its client id. */
  addSignInApp(): string {
    const clientId = `0oa${hex(8)}cli`;
    this.signInApps.add(clientId);
    return clientId;
  }

  /** The org's signing keys (public), as `/oauth2/v1/keys` serves them. */
  keys(): Reply {
    const jwk = this.signingKey.publicKey.export({ format: 'jwk' });
    return { status: 200, headers: { 'Cache-Control': 'max-age=3600' }, body: { keys: [{ ...jwk, kid: this.signingKey.kid, alg: 'RS256', use: 'sig' }] } };
  }

  /** `POST /oauth2/v1/device/authorize`: a device code for the app to poll with, a user code for the person. */
  authorize(form: URLSearchParams, base: string): Reply {
    const clientId = this.signInApp(form.get('client_id'));
    const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
    if (!scopes.includes('openid')) throw invalidScope("The 'openid' scope is required to sign in a person.");
    const unknown = scopes.find((s) => !['openid', 'profile', 'email', 'offline_access'].includes(s));
    if (unknown) throw invalidScope(`One or more scopes are not configured for the authorization server resource. (${unknown})`);
    const userCode = [0, 1].map(() => Array.from({ length: 4 }, () => USER_CODE_LETTERS[randomInt(USER_CODE_LETTERS.length)]).join('')).join('-');
    const auth: DeviceAuthorization = { clientId, deviceCode: randomBytes(32).toString('base64url'), userCode, scopes, expiresAtMs: Date.now() + CODE_TTL_SECONDS * 1000 };
    this.byDeviceCode.set(auth.deviceCode, auth);
    this.byUserCode.set(userCode, auth);
    return {
      status: 200,
      headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
      body: {
        device_code: auth.deviceCode,
        user_code: userCode,
        verification_uri: `${base}/activate`,
        verification_uri_complete: `${base}/activate?user_code=${userCode}`,
        expires_in: CODE_TTL_SECONDS,
        interval: this.pollIntervalSeconds,
      },
    };
  }

  /** The token endpoint's device_code grant: pending until the person approves, then the tokens once. */
  grant(form: URLSearchParams, base: string): Reply {
    const clientId = this.signInApp(form.get('client_id'));
    const deviceCode = form.get('device_code');
    if (!deviceCode) throw invalidRequest("The token request must specify a 'device_code'.");
    const auth = this.byDeviceCode.get(deviceCode);
    if (!auth || auth.clientId !== clientId) throw grantError('invalid_grant', 'The device code is invalid or has expired.');
    const now = Date.now();
    if (now >= auth.expiresAtMs) {
      this.forget(auth);
      throw grantError('expired_token', 'The device code has expired.');
    }
    if (auth.denied) {
      this.forget(auth);
      throw grantError('access_denied', 'The resource owner or authorization server denied the request.');
    }
    const tooSoon = auth.lastPollMs !== undefined && now - auth.lastPollMs < this.pollIntervalSeconds * 1000;
    auth.lastPollMs = now;
    if (tooSoon) throw grantError('slow_down', 'The client is polling too frequently.');
    if (!auth.approvedBy) throw grantError('authorization_pending', 'The device authorization is pending. Please try again later.');
    this.forget(auth); // a device code gives its tokens once
    const idToken = this.idToken(auth, auth.approvedBy, base);
    this.idTokensIssued.push(idToken);
    return {
      status: 200,
      headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
      body: { token_type: 'Bearer', expires_in: this.idTokenTtlSeconds, access_token: randomBytes(32).toString('base64url'), scope: auth.scopes.join(' '), id_token: idToken },
    };
  }

  /** The person signs in at the verification page and allows the code (`deny`: they refuse it). */
  approve(userCode: string, login: string, opts: { deny?: boolean } = {}): void {
    const auth = this.byUserCode.get(userCode.toUpperCase());
    if (!auth || Date.now() >= auth.expiresAtMs) throw new Error(`no sign-in awaits the code ${userCode}: it is unknown or has expired`);
    if (opts.deny) {
      auth.denied = true;
      return;
    }
    const user = this.opts.findUser(login);
    if (!user) throw new Error(`no user of the org has the login ${login}`);
    auth.approvedBy = user;
  }

  private signInApp(clientId: string | null): string {
    if (!clientId) throw invalidClient("The token request must specify a 'client_id'.");
    if (!this.signInApps.has(clientId)) throw invalidClient("Invalid value for 'client_id' parameter.");
    return clientId;
  }

  private forget(auth: DeviceAuthorization): void {
    this.byDeviceCode.delete(auth.deviceCode);
    this.byUserCode.delete(auth.userCode);
  }

  /** The org authorization server's ID token: its claims for the scopes granted, RS256 with the published key. */
  private idToken(auth: DeviceAuthorization, user: SignInUser, base: string): string {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const claims = {
      sub: user.id,
      ver: 1,
      jti: `ID.${randomBytes(24).toString('base64url')}`,
      amr: ['pwd'],
      idp: this.idp,
      auth_time: nowSeconds,
      ...(auth.scopes.includes('profile') ? { name: user.name, preferred_username: user.login } : {}),
      ...(auth.scopes.includes('email') ? { email: user.email } : {}),
    };
    return jwt.sign(claims, this.signingKey.privateKey, { algorithm: 'RS256', keyid: this.signingKey.kid, issuer: base, audience: auth.clientId, expiresIn: this.idTokenTtlSeconds });
  }
}
