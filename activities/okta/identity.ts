/**
 * Who acts, proven: the ID token an admin's `--sign-in` got from Okta is checked against the org's
 * published keys (signature), issuer (the org), audience (the CLI's app), expiry and age, then the
 * user it names is read from Okta (still active, the same login). The verdict names the login, or
 * says why it cannot be trusted; the token itself never enters a verdict, a log or an error.
 */
import { Context } from '@temporalio/activity';
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { OktaClient } from './client';
import { isNotFound, toActivityFailure } from './errors';

export interface IdentityDeps {
  okta: OktaClient;
  orgUrl: string;
  /** The client id of the CLI's OIDC native app (OKTA_CLI_CLIENT_ID): the audience of the ID tokens it gets. */
  signInClientId?: string;
  now?: () => Date;
}

export interface VerifyIdentityInput {
  idToken: string;
}

export type IdentityVerdict = { verified: true; login: string; subject: string } | { verified: false; reason: string };

/** A sign-in counts for this long: an ID token read back from a workflow's history an hour later proves nothing about who acts now. */
export const MAX_SIGN_IN_AGE_SECONDS = 15 * 60;
/** Okta's clocks and ours may differ by this much. */
const CLOCK_TOLERANCE_SECONDS = 60;
/** Unknown key ids refetch the org's keys at most this often (Okta rotates its keys; a forged kid must not make us hammer it). */
const KEYS_REFETCH_MS = 60_000;

export function createIdentityActivities(deps: IdentityDeps) {
  const issuer = deps.orgUrl.replace(/\/+$/, '');
  const now = deps.now ?? (() => new Date());
  const keys = new Map<string, KeyObject>();
  let keysFetchedAt = Number.NEGATIVE_INFINITY;
  /** Each sign-in's token id, and the one action it was used for: a retry of that action passes, another action does not. */
  const used = new Map<string, { action: string; until: number }>();

  async function keyFor(kid: string): Promise<KeyObject | undefined> {
    if (!keys.has(kid) && Date.now() - keysFetchedAt >= KEYS_REFETCH_MS) {
      const res = await fetch(`${issuer}/oauth2/v1/keys`, { headers: { Accept: 'application/json' } });
      if (!res.ok) throw new Error(`reading the org's signing keys: Okta answered HTTP ${res.status}`);
      const { keys: published } = (await res.json()) as { keys: Array<JsonWebKey & { kid?: string }> };
      keys.clear();
      for (const k of published) {
        if (!k.kid || k.kty !== 'RSA' || (k.use && k.use !== 'sig')) continue;
        try {
          keys.set(k.kid, createPublicKey({ key: k, format: 'jwk' }));
        } catch {
          // One key this runtime cannot read must not stop the check of tokens signed by the others.
        }
      }
      keysFetchedAt = Date.now();
    }
    return keys.get(kid);
  }

  return {
    async verifyIdentity(input: VerifyIdentityInput): Promise<IdentityVerdict> {
      const refuse = (reason: string): IdentityVerdict => ({ verified: false, reason });
      if (!deps.signInClientId) return refuse("the worker cannot check a sign-in: set OKTA_CLI_CLIENT_ID on the worker to the client id of the CLI's Okta app");
      const decoded = jwt.decode(input.idToken, { complete: true });
      if (!decoded || typeof decoded.payload === 'string') return refuse('what was sent as an ID token is not one');
      const key = decoded.header.kid ? await keyFor(decoded.header.kid) : undefined;
      if (!key) return refuse("the ID token is not signed by a key of this Okta org (its key id is not among the org's published keys)");
      let claims: jwt.JwtPayload;
      try {
        claims = jwt.verify(input.idToken, key, {
          algorithms: ['RS256'],
          issuer,
          audience: deps.signInClientId,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          clockTimestamp: now().getTime() / 1000,
        }) as jwt.JwtPayload;
      } catch (err) {
        return refuse(tokenProblem(err, issuer));
      }
      const ageSeconds = now().getTime() / 1000 - (claims.iat ?? 0);
      if (ageSeconds > MAX_SIGN_IN_AGE_SECONDS + CLOCK_TOLERANCE_SECONDS)
        return refuse(`the sign-in is ${Math.round(ageSeconds / 60)} minutes old; one counts for ${MAX_SIGN_IN_AGE_SECONDS / 60}: sign in again`);
      const claimed = typeof claims.preferred_username === 'string' ? claims.preferred_username : undefined;
      if (!claims.sub || !claimed) return refuse("the ID token names no user: the CLI's sign-in must ask for the 'profile' scope");
      if (typeof claims.jti !== 'string') return refuse('the ID token has no id (jti), so it cannot be held to one use');
      const jti = claims.jti;
      const action = actionOf();
      const nowMs = now().getTime();
      for (const [id, u] of used) if (u.until < nowMs) used.delete(id);
      const seen = used.get(jti);
      if (seen && seen.action !== action) return refuse('this sign-in was already used for another action: sign in again');
      // Held for this action before Okta is asked: two actions checking one sign-in at once cannot both pass.
      used.set(jti, { action, until: ((claims.exp ?? 0) + CLOCK_TOLERANCE_SECONDS) * 1000 });
      /** A sign-in refused (or not checked) here is not used up. */
      const release = () => {
        if (!seen) used.delete(jti);
      };
      const unhold = (reason: string): IdentityVerdict => {
        release();
        return refuse(reason);
      };
      let user;
      try {
        user = await deps.okta.userApi.getUser({ userId: claims.sub });
      } catch (err) {
        if (isNotFound(err)) return unhold(`Okta has no user ${claims.sub} any more`);
        release();
        throw toActivityFailure(err, 'reading the signed-in user', now());
      }
      const login = String(user.profile?.login ?? '');
      if (user.status !== 'ACTIVE') return unhold(`${login || claims.sub} is ${String(user.status)} in Okta, not ACTIVE`);
      if (login.toLowerCase() !== claimed.toLowerCase()) return unhold(`the ID token names ${claimed}, but Okta's user ${claims.sub} is ${login}`);
      return { verified: true, login, subject: claims.sub };
    },
  };
}

/** The action a verification is for: its workflow and activity (the same across the activity's retries). */
function actionOf(): string {
  const { workflowExecution: run, activityId } = Context.current().info;
  return `${run?.workflowId}/${run?.runId}/${activityId}`;
}

function tokenProblem(err: unknown, issuer: string): string {
  if (err instanceof jwt.TokenExpiredError) return `the sign-in expired at ${err.expiredAt.toISOString()}: sign in again`;
  const message = err instanceof Error ? err.message : String(err);
  if (/audience/.test(message)) return "the ID token was issued to another app than the CLI's (OKTA_CLI_CLIENT_ID)";
  if (/issuer/.test(message)) return `the ID token was issued by another authorization server than this org's (${issuer})`;
  if (/signature/.test(message)) return "the ID token's signature does not match the org's keys";
  return `the ID token is not valid (${message})`;
}
