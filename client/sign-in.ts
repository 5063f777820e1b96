/**
 * The admin's sign-in for the CLI: Okta's OAuth 2.0 device authorization grant (RFC 8628) with the
 * CLI's OIDC native app. The admin approves a code in a browser on any device; the CLI keeps only
 * the ID token, the short-lived assertion of who signed in that the workflow has verified. The
 * access token is dropped here and no refresh token is asked for (no `offline_access`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { CliError, EXIT } from './errors';

/** What the person is asked to do, printed while the CLI waits. */
export interface SignInPrompt {
  verificationUri: string;
  verificationUriComplete?: string;
  userCode: string;
  expiresInSeconds: number;
}

export interface SignInSettings {
  orgUrl: string;
  /** The client id of the CLI's OIDC native app (Device Authorization grant). */
  clientId: string;
}

/** The settings `--sign-in` needs, from the environment, or the error that names the missing one. */
export function signInSettings(env: NodeJS.ProcessEnv = process.env): SignInSettings {
  const orgUrl = env.OKTA_ORG_URL?.replace(/\/+$/, '');
  const clientId = env.OKTA_CLI_CLIENT_ID;
  if (!orgUrl || !clientId) {
    const missing = [!orgUrl && 'OKTA_ORG_URL', !clientId && 'OKTA_CLI_CLIENT_ID'].filter(Boolean).join(' and ');
    throw new CliError(`--sign-in needs ${missing}: the org, and the client id of the CLI's OIDC native app with the Device Authorization grant (README, "Who acts is proven").`, EXIT.invalidInput);
  }
  return { orgUrl, clientId };
}

const authorization = z.object({
  device_code: z.string().min(1),
  user_code: z.string().min(1),
  verification_uri: z.string().min(1),
  verification_uri_complete: z.string().optional(),
  expires_in: z.number().positive(),
  interval: z.number().nonnegative().optional(),
});
const tokens = z.object({ id_token: z.string().min(1) });
const oauthError = z.object({ error: z.string(), error_description: z.string().optional() });

/** Signs the admin in and answers their ID token (and the login it names, for display only: the workflow verifies it). */
export async function signIn(settings: SignInSettings, prompt: (p: SignInPrompt) => void): Promise<{ idToken: string; login?: string }> {
  const started = await post(settings, '/oauth2/v1/device/authorize', { client_id: settings.clientId, scope: 'openid profile email' });
  const auth = authorization.safeParse(started.body);
  if (!started.ok || !auth.success) throw refused('Okta refused to start the sign-in', started.body, started.status);
  const a = auth.data;
  prompt({ verificationUri: a.verification_uri, verificationUriComplete: a.verification_uri_complete, userCode: a.user_code, expiresInSeconds: a.expires_in });
  let intervalMs = (a.interval ?? 5) * 1000; // RFC 8628 §3.2: 5 seconds when Okta names none
  const deadline = Date.now() + a.expires_in * 1000;
  while (Date.now() < deadline) {
    await sleep(intervalMs);
    const polled = await post(settings, '/oauth2/v1/token', { client_id: settings.clientId, grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: a.device_code });
    const got = tokens.safeParse(polled.body);
    if (polled.ok && got.success) return { idToken: got.data.id_token, login: loginOf(got.data.id_token) };
    if (polled.status >= 500) continue; // Okta's trouble, not the sign-in's: ask again at the next poll
    const error = oauthError.safeParse(polled.body);
    if (error.success && error.data.error === 'authorization_pending') continue;
    if (error.success && error.data.error === 'slow_down') {
      intervalMs += 5000; // RFC 8628 §3.5
      continue;
    }
    if (error.success && error.data.error === 'access_denied') throw new CliError('The sign-in was denied in Okta: nothing was sent to the workflow.', EXIT.invalidInput);
    if (error.success && error.data.error === 'expired_token') break;
    throw refused('Okta refused the sign-in', polled.body, polled.status);
  }
  throw new CliError(`The sign-in code ${a.user_code} expired before it was approved: run the command again.`, EXIT.invalidInput);
}

async function post(settings: SignInSettings, path: string, form: Record<string, string>): Promise<{ ok: boolean; status: number; body: unknown }> {
  const res = await fetch(`${settings.orgUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
  }).catch((err: Error) => {
    throw new CliError(`Okta at ${settings.orgUrl} cannot be reached for the sign-in (${err.message}).`, EXIT.unexpected);
  });
  return { ok: res.ok, status: res.status, body: await res.json().catch(() => undefined) };
}

function refused(what: string, body: unknown, status: number): CliError {
  const e = oauthError.safeParse(body);
  const why = e.success ? `${e.data.error}${e.data.error_description ? `: ${e.data.error_description}` : ''}` : `HTTP ${status}`;
  const hint = e.success && e.data.error === 'invalid_client' ? ' Check OKTA_CLI_CLIENT_ID: it must name an OIDC native app with the Device Authorization grant.' : '';
  return new CliError(`${what} (${why}).${hint}`, EXIT.invalidInput);
}

/** The login an ID token names, unverified: only to tell the admin who they signed in as. */
function loginOf(idToken: string): string | undefined {
  const login = (jwt.decode(idToken, { json: true }) ?? {}).preferred_username;
  return typeof login === 'string' ? login : undefined;
}
