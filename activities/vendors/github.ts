/**
 * GitHub Enterprise Cloud, through Octokit and the pipeline's own token: checks the service
 * account whose grant Okta holds (exists, same login, org owner, SAML-authorized, dedicated), and
 * finds or removes people through the org's SCIM API (which Okta provisions through).
 */
import { Octokit } from '@octokit/rest';
import type { StepValues, VendorFinding, VendorProbe } from '../../domain/types';
import type { VendorCredentials } from '../../worker/config';
import { describeFailure, httpFailure, isAccessDenied, vendorFailure } from './errors';
import { addFinding, VendorNotConfigured, type VendorAccount, type VendorContext, type VendorModule, type VendorPerson } from './types';

const SETTINGS = 'GITHUB_TOKEN (an owner of the organization, with read:org; admin:org to remove people)';

interface ScimUser {
  id: string;
  userName: string;
  active?: boolean;
}

interface SamlAuthorization {
  login: string;
  credential_type?: string;
  credential_authorized_at?: string;
  authorized_credential_expires_at?: string | null;
}

/** GitHub serves SCIM as application/scim+json, which this Octokit leaves undecoded. */
function json<T>(data: unknown): T {
  if (typeof data === 'string') return JSON.parse(data) as T;
  if (Object.prototype.toString.call(data) === '[object ArrayBuffer]') return JSON.parse(Buffer.from(data as ArrayBuffer).toString('utf8')) as T;
  return data as T;
}

const status = (err: unknown) => httpFailure(err).status;

export function createGitHubVendor(creds: VendorCredentials['github']): VendorModule {
  const octokit = creds ? new Octokit({ auth: creds.token, baseUrl: creds.apiUrl, userAgent: 'okta-remediation' }) : undefined;

  function target(ctx: VendorContext) {
    const g = ctx.settings.github;
    const org = g?.org ?? (typeof ctx.oktaSettings.githubOrg === 'string' ? ctx.oktaSettings.githubOrg : undefined);
    return { org, serviceAccount: g?.serviceAccount, serviceAccountId: g?.serviceAccountId, pattern: new RegExp(g?.serviceAccountPattern ?? '(svc|bot|service|okta|scim|provision)', 'i'), requireDedicated: g?.requireDedicatedServiceAccount ?? true };
  }

  async function loginOf(id: number): Promise<string | undefined> {
    try {
      const res = await octokit!.request('GET /user/{account_id}', { account_id: id });
      return (res.data as { login: string }).login;
    } catch (err) {
      if (status(err) === 404) return undefined;
      throw vendorFailure('GitHub', `reading GitHub user ${id}`, err, SETTINGS);
    }
  }

  async function probe(ctx: VendorContext): Promise<VendorProbe> {
    const t = target(ctx);
    const values: StepValues = { org: t.org, serviceAccount: t.serviceAccount };
    const result: VendorProbe = { vendor: 'github', probed: false, findings: [], evidence: [], hints: [], values, at: new Date().toISOString() };
    const find = (f: VendorFinding) => addFinding(result, f);
    if (!t.serviceAccount) result.hints.push(`Set apps.${ctx.app.id}.github.serviceAccount in OKTA_REMEDIATION_CONFIG to check the account whose grant Okta holds.`);
    if (!t.org) result.hints.push(`Set apps.${ctx.app.id}.github.org in OKTA_REMEDIATION_CONFIG.`);
    if (!octokit) {
      result.hints.push(`Set ${SETTINGS} so the pipeline can check the service account at GitHub.`);
      return result;
    }
    try {
      const me = await octokit.users.getAuthenticated();
      result.evidence.push(`GitHub: the pipeline's token works (as ${me.data.login}; scopes: ${me.headers['x-oauth-scopes'] || 'none'}).`);
    } catch (err) {
      const f = httpFailure(err);
      if (!isAccessDenied(f)) throw vendorFailure('GitHub', 'checking the pipeline\'s GitHub token', err, SETTINGS);
      result.hints.push(`GitHub refused the pipeline's token (${describeFailure(f)}): check ${SETTINGS}.`);
      return result;
    }
    if (!t.serviceAccount || !t.org) return result;
    result.probed = true;

    let blocking = false;
    const blocker = (f: Omit<VendorFinding, 'blocking'>) => {
      blocking = true;
      find({ ...f, blocking: true });
    };
    /** No SSO-authorized token is listed: SSO revoked, or the token itself revoked; GitHub's list cannot tell which. */
    const ambiguous = (f: Omit<VendorFinding, 'blocking'>) => find({ ...f, blocking: true });
    let user: { id: number; login: string } | undefined;
    try {
      user = (await octokit.users.getByUsername({ username: t.serviceAccount })).data;
    } catch (err) {
      if (status(err) !== 404) throw vendorFailure('GitHub', `reading GitHub user ${t.serviceAccount}`, err, SETTINGS);
    }
    const renamedTo = t.serviceAccountId !== undefined && (!user || user.id !== t.serviceAccountId) ? await loginOf(t.serviceAccountId) : undefined;
    if (renamedTo && renamedTo !== t.serviceAccount) {
      values.renamedTo = renamedTo;
      blocker({ cause: 'github-username-changed', confidence: 0.95, evidence: [`GitHub: account ${t.serviceAccountId} is now called ${renamedTo}; Okta's grant was made as ${t.serviceAccount}${user ? `, a login now held by another account (${user.id})` : ', which no longer exists'}.`] });
    } else if (!user || (t.serviceAccountId !== undefined && user.id !== t.serviceAccountId)) {
      blocker({ cause: 'github-account-unavailable', confidence: t.serviceAccountId !== undefined ? 0.9 : 0.75, evidence: [`GitHub: ${t.serviceAccount} is not visible: the account was deleted or suspended${t.serviceAccountId === undefined ? ' (or renamed)' : ''}.`] });
      if (t.serviceAccountId === undefined) {
        find({ cause: 'github-username-changed', confidence: 0.5, blocking: true, evidence: [`GitHub: ${t.serviceAccount} may have been renamed.`] });
        result.hints.push(`Set apps.${ctx.app.id}.github.serviceAccountId (the account's numeric id) to tell a renamed account from a deleted one.`);
      }
    } else {
      result.evidence.push(`GitHub: ${t.serviceAccount} exists (id ${user.id}).`);
      try {
        const m = (await octokit.orgs.getMembershipForUser({ org: t.org, username: t.serviceAccount })).data;
        if (m.role !== 'admin' || m.state !== 'active') {
          blocker({ cause: 'github-not-owner', confidence: 0.9, evidence: [`GitHub: ${t.serviceAccount} is ${m.state === 'active' ? 'a' : `a ${m.state}`} ${m.role === 'admin' ? 'owner' : 'member'} of ${t.org}, not an active owner.`] });
        } else {
          result.evidence.push(`GitHub: ${t.serviceAccount} is an owner of ${t.org}.`);
        }
      } catch (err) {
        const f = httpFailure(err);
        if (f.status === 404) blocker({ cause: 'github-not-owner', confidence: 0.9, evidence: [`GitHub: ${t.serviceAccount} is not a member of ${t.org}.`] });
        else if (f.status === 403 && f.headers['x-github-sso']) result.hints.push(`Authorize the pipeline's GitHub token for ${t.org}'s SAML single sign-on (GitHub answered 403 with X-GitHub-SSO).`);
        else throw vendorFailure('GitHub', `reading ${t.serviceAccount}'s membership of ${t.org}`, err, SETTINGS);
      }
      await checkSaml(t.org, t.serviceAccount, ctx.lastReauthAt, result, blocker, ambiguous);
    }
    const personal = t.requireDedicated && !t.pattern.test(t.serviceAccount);
    if (personal) {
      find({
        cause: 'github-not-dedicated',
        confidence: ctx.credentialFailing && !blocking ? 0.85 : 0.3,
        blocking: false,
        evidence: [`GitHub: ${t.serviceAccount} does not look like a dedicated service account (expected a login matching /${t.pattern.source}/i); a person's password change or departure revokes Okta's grant.`],
      });
    }
    if (ctx.credentialFailing && !blocking) {
      find({ cause: 'github-token-revoked', confidence: personal ? 0.6 : 0.8, blocking: false, evidence: [`GitHub: ${t.serviceAccount} exists, owns ${t.org} and is SAML-authorized, yet Okta's calls fail: the token Okta holds was revoked or expired.`] });
    }
    return result;
  }

  /** Whether the service account holds a SAML-authorized OAuth token for the org (owners can list them). */
  async function checkSaml(
    org: string,
    login: string,
    lastReauthAt: string | undefined,
    result: VendorProbe,
    blocker: (f: Omit<VendorFinding, 'blocking'>) => void,
    ambiguous: (f: Omit<VendorFinding, 'blocking'>) => void,
  ) {
    let auths: SamlAuthorization[];
    try {
      auths = (await octokit!.request('GET /orgs/{org}/credential-authorizations', { org, per_page: 100 })).data as SamlAuthorization[];
    } catch (err) {
      const s = status(err);
      if (s === 404) return; // the org does not use SAML single sign-on
      if (s === 403) {
        result.hints.push(`The pipeline's GitHub token cannot list ${org}'s SAML authorizations (an owner's token with read:org can).`);
        return;
      }
      throw vendorFailure('GitHub', `listing ${org}'s SAML authorizations`, err, SETTINGS);
    }
    const mine = auths.filter((a) => a.login.toLowerCase() === login.toLowerCase() && /oauth/i.test(a.credential_type ?? ''));
    const live = mine.filter((a) => !a.authorized_credential_expires_at || new Date(a.authorized_credential_expires_at) > new Date());
    const newest = live.map((a) => a.credential_authorized_at ?? '').sort().at(-1);
    if (live.length > 0 && lastReauthAt && newest && newest < lastReauthAt) {
      // Okta was re-authenticated after the newest SSO authorization: its new token has none.
      blocker({
        cause: 'github-saml-missing',
        confidence: 0.9,
        evidence: [`GitHub: Okta's app was re-authenticated at ${lastReauthAt}, but ${login}'s newest SAML-authorized OAuth token for ${org} dates from ${newest}: the token Okta now holds is not authorized for SSO.`],
      });
    } else if (live.length > 0) {
      result.evidence.push(`GitHub: ${login} has a SAML-authorized OAuth token for ${org}.`);
    } else if (mine.length > 0) {
      result.evidence.push(`GitHub: ${login}'s SAML-authorized OAuth token for ${org} expired at ${mine[0]!.authorized_credential_expires_at}.`);
    } else {
      ambiguous({
        cause: 'github-saml-missing',
        confidence: 0.5,
        evidence: [`GitHub: ${org} enforces SAML single sign-on and ${login} has no SAML-authorized OAuth token for it: its SSO authorization was revoked, or the token itself was (GitHub lists only live tokens' authorizations).`],
      });
    }
  }

  async function scimUser(ctx: VendorContext, person: VendorPerson): Promise<{ org: string; user?: ScimUser }> {
    const t = target(ctx);
    if (!octokit) throw new VendorNotConfigured(`Set ${SETTINGS} to let the pipeline act in GitHub.`);
    if (!t.org) throw new VendorNotConfigured(`Set apps.${ctx.app.id}.github.org in OKTA_REMEDIATION_CONFIG.`);
    try {
      const res = await octokit.request('GET /scim/v2/organizations/{org}/Users', { org: t.org, filter: `userName eq "${person.login}"` });
      return { org: t.org, user: json<{ Resources?: ScimUser[] }>(res.data).Resources?.[0] };
    } catch (err) {
      const f = httpFailure(err);
      if (isAccessDenied(f)) throw new VendorNotConfigured(`GitHub refused to list ${t.org}'s SCIM users (${describeFailure(f)}): check ${SETTINGS}.`);
      throw vendorFailure('GitHub', `finding ${person.login} in ${t.org}`, err, SETTINGS);
    }
  }

  const stateOf = (org: string, login: string, user?: ScimUser): VendorAccount =>
    !user
      ? { state: 'absent', detail: `${login} has no SCIM identity in ${org}.` }
      : user.active === false
        ? { state: 'inactive', detail: `${login}'s SCIM identity in ${org} is inactive.` }
        : { state: 'active', detail: `${login} is provisioned in ${org}.` };

  return {
    probe,
    async findPerson(ctx, person) {
      const { org, user } = await scimUser(ctx, person);
      return stateOf(org, person.login, user);
    },
    async removePerson(ctx, person) {
      const { org, user } = await scimUser(ctx, person);
      if (user) {
        try {
          await octokit!.request('DELETE /scim/v2/organizations/{org}/Users/{scim_user_id}', { org, scim_user_id: user.id });
        } catch (err) {
          const f = httpFailure(err);
          if (f.status !== 404) {
            if (isAccessDenied(f)) throw new VendorNotConfigured(`GitHub refused to remove ${person.login} from ${org} (${describeFailure(f)}): check ${SETTINGS}.`);
            throw vendorFailure('GitHub', `removing ${person.login} from ${org}`, err, SETTINGS);
          }
        }
      }
      // Confirm with a fresh read: the removal counts only once GitHub shows it.
      const after = await scimUser(ctx, person);
      return stateOf(org, person.login, after.user);
    },
  };
}
