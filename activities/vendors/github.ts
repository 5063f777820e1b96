/**
 * GitHub Enterprise Cloud, through Octokit and the pipeline's own token: checks the service
 * account whose grant Okta holds (exists, same login, org owner, SAML-authorized, dedicated), and
 * finds or removes people through the org's SCIM API (which Okta provisions through).
 */
import { Octokit } from '@octokit/rest';
import type { StepValues, VendorFinding, VendorProbe } from '../../domain/types';
import type { VendorCredentials } from '../../config/worker-config';
import { RateBudget, VENDOR_PACING } from '../rate-budget';
import { describeFailure, httpFailure, isAccessDenied, vendorFailure } from './errors';
import { paceOctokit } from './paced-octokit';
import { addFinding as find, VendorNotConfigured, type VendorAccount, type VendorContext, type VendorModule, type VendorPerson } from './types';

const SETTINGS = 'GITHUB_TOKEN (an owner of the organization, with read:org; admin:org to remove people)';

interface ScimUser {
  id: string;
  userName: string;
  active?: boolean;
}

interface SamlAuthorization {
  login: string;
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
  // One budget per worker process: every activity's calls share the token's hourly limit.
  if (octokit) paceOctokit(octokit, new RateBudget({ ...VENDOR_PACING, ...creds!.pacing }));

  function target(ctx: VendorContext) {
    const g = ctx.settings.github;
    const org = g?.org ?? (typeof ctx.oktaSettings.githubOrg === 'string' ? ctx.oktaSettings.githubOrg : undefined);
    return {
      org,
      serviceAccount: g?.serviceAccount,
      serviceAccountId: g?.serviceAccountId,
      pattern: new RegExp(g?.serviceAccountPattern ?? '(svc|bot|service|okta|scim|provision)', 'i'),
      requireDedicated: g?.requireDedicatedServiceAccount ?? true,
    };
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
    if (!t.serviceAccount) result.hints.push(`Set apps.${ctx.app.id}.github.serviceAccount in OKTA_REMEDIATION_CONFIG to check the account whose grant Okta holds.`);
    if (!t.org) result.hints.push(`Set apps.${ctx.app.id}.github.org in OKTA_REMEDIATION_CONFIG.`);
    if (!octokit) {
      result.hints.push(`Set ${SETTINGS} so the pipeline can check the service account at GitHub.`);
      return result;
    }
    let me: string;
    try {
      const res = await octokit.users.getAuthenticated();
      me = res.data.login;
      result.evidence.push(`GitHub: the pipeline's token works (as ${me}; scopes: ${res.headers['x-oauth-scopes'] || 'none'}).`);
    } catch (err) {
      const f = httpFailure(err);
      if (!isAccessDenied(f)) throw vendorFailure('GitHub', "checking the pipeline's GitHub token", err, SETTINGS);
      result.hints.push(`GitHub refused the pipeline's token (${describeFailure(f)}): check ${SETTINGS}.`);
      return result;
    }
    if (!t.serviceAccount || !t.org) return result;
    result.probed = true;
    const org = t.org;
    const serviceAccount = t.serviceAccount;
    /** The service account's own token: GitHub's answers to it speak for the account itself. */
    const ownToken = me.toLowerCase() === serviceAccount.toLowerCase();
    let blocking = false;
    const blocker = (f: Omit<VendorFinding, 'blocking'>) => {
      blocking = true;
      find(result, { ...f, blocking: true });
    };
    const ssoRefused = (what: string) => {
      if (ownToken) {
        blocker({
          cause: 'github-saml-missing',
          confidence: 0.95,
          evidence: [`GitHub answered ${serviceAccount}'s own request (${what}) with 403 and X-GitHub-SSO: the account's credentials are not authorized for ${org}'s SAML single sign-on.`],
        });
      } else {
        const hint = `Authorize the pipeline's GitHub token for ${org}'s SAML single sign-on (GitHub answered 403 with X-GitHub-SSO): check ${SETTINGS}.`;
        if (!result.hints.includes(hint)) result.hints.push(hint);
      }
    };

    let user: { id: number; login: string } | undefined;
    try {
      user = (await octokit.users.getByUsername({ username: serviceAccount })).data;
    } catch (err) {
      if (status(err) !== 404) throw vendorFailure('GitHub', `reading GitHub user ${serviceAccount}`, err, SETTINGS);
    }
    const renamedTo = t.serviceAccountId !== undefined && (!user || user.id !== t.serviceAccountId) ? await loginOf(t.serviceAccountId) : undefined;
    let owner = false;
    if (renamedTo && renamedTo !== serviceAccount) {
      values.renamedTo = renamedTo;
      blocker({
        cause: 'github-username-changed',
        confidence: 0.95,
        evidence: [
          `GitHub: account ${t.serviceAccountId} is now called ${renamedTo}; Okta's grant was made as ${serviceAccount}${user ? `, a login now held by another account (${user.id})` : ', which no longer exists'}.`,
        ],
      });
    } else if (!user || (t.serviceAccountId !== undefined && user.id !== t.serviceAccountId)) {
      blocker({
        cause: 'github-account-unavailable',
        confidence: t.serviceAccountId !== undefined ? 0.9 : 0.75,
        evidence: [`GitHub: ${serviceAccount} is not visible: the account was deleted or suspended${t.serviceAccountId === undefined ? ' (or renamed)' : ''}.`],
      });
      if (t.serviceAccountId === undefined) {
        find(result, { cause: 'github-username-changed', confidence: 0.5, blocking: false, heuristic: true, evidence: [`GitHub: ${serviceAccount} may have been renamed.`] });
        result.hints.push(`Set apps.${ctx.app.id}.github.serviceAccountId (the account's numeric id) to tell a renamed account from a deleted one.`);
      }
    } else {
      result.evidence.push(`GitHub: ${serviceAccount} exists (id ${user.id}).`);
      const membership = await membershipOf(org, serviceAccount);
      if (membership === 'sso') ssoRefused(`reading its membership of ${org}`);
      else if (membership !== 'hidden') {
        if (membership.role !== 'admin' || membership.state !== 'active') {
          blocker({
            cause: 'github-not-owner',
            confidence: 0.9,
            evidence: [
              `GitHub: ${serviceAccount} is ${membership.state === 'active' ? 'a' : `a ${membership.state}`} ${membership.role === 'admin' ? 'owner' : 'member'} of ${org}, not an active owner.`,
            ],
          });
        } else {
          owner = true;
          result.evidence.push(`GitHub: ${serviceAccount} is an owner of ${org}.`);
        }
      } else if (!ownToken && (await membershipOf(org, me)) !== 'hidden') {
        // The pipeline sees its own membership, so the org name and the token's scopes are right.
        blocker({ cause: 'github-not-owner', confidence: 0.9, evidence: [`GitHub: ${serviceAccount} is not a member of ${org}.`] });
      } else {
        // GitHub answers 404 alike for a non-member, a mistyped org and a token without read:org.
        result.hints.push(`GitHub shows the pipeline no membership in ${org}: check that apps.${ctx.app.id}.github.org names the organization and that ${SETTINGS}.`);
      }
      if (!blocking) await checkSaml(org, serviceAccount, ctx.credentialFailing, result, ssoRefused);
    }
    if (t.requireDedicated && !t.pattern.test(serviceAccount)) {
      find(result, {
        cause: 'github-not-dedicated',
        confidence: 0.3,
        blocking: false,
        heuristic: true,
        evidence: [
          `GitHub: ${serviceAccount} does not look like a dedicated service account (expected a login matching /${t.pattern.source}/i); a person's password change or departure revokes Okta's grant.`,
        ],
      });
    }
    if (ctx.credentialFailing && !blocking && !result.findings.some((f) => f.cause === 'github-token-revoked')) {
      const standing = owner ? `exists, owns ${org}` : 'exists (its ownership could not be checked)';
      find(result, {
        cause: 'github-token-revoked',
        confidence: owner ? 0.8 : 0.6,
        blocking: false,
        evidence: [`GitHub: ${serviceAccount} ${standing}, yet Okta's calls fail: the token Okta holds was revoked or expired.`],
      });
    }
    return result;
  }

  async function membershipOf(org: string, login: string): Promise<{ role: string; state: string } | 'hidden' | 'sso'> {
    try {
      return (await octokit!.orgs.getMembershipForUser({ org, username: login })).data;
    } catch (err) {
      const f = httpFailure(err);
      if (f.status === 404) return 'hidden';
      if (f.status === 403 && f.headers['x-github-sso']) return 'sso';
      throw vendorFailure('GitHub', `reading ${login}'s membership of ${org}`, err, SETTINGS);
    }
  }

  /**
   * Whether the org uses SAML single sign-on, and what its list of SSO authorizations shows of the
   * service account. GitHub lists personal access tokens and SSH keys there, never the OAuth grant
   * Okta holds, so nothing in it decides a cause: only GitHub's 403 with X-GitHub-SSO to the
   * account's own call does (ssoRefused).
   */
  async function checkSaml(org: string, login: string, credentialFailing: boolean, result: VendorProbe, ssoRefused: (what: string) => void): Promise<void> {
    let auths: SamlAuthorization[];
    try {
      auths = (await octokit!.paginate('GET /orgs/{org}/credential-authorizations', { org, login, per_page: 100 })) as SamlAuthorization[];
    } catch (err) {
      const f = httpFailure(err);
      if (f.status === 404) return; // the org does not use SAML single sign-on
      if (f.status === 403 && f.headers['x-github-sso']) return ssoRefused(`listing ${org}'s SAML authorizations`);
      if (f.status === 403) {
        result.hints.push(`The pipeline's GitHub token cannot list ${org}'s SAML authorizations (an owner's token with read:org can): check ${SETTINGS}.`);
        return;
      }
      throw vendorFailure('GitHub', `listing ${org}'s SAML authorizations`, err, SETTINGS);
    }
    const mine = auths.filter((a) => a.login.toLowerCase() === login.toLowerCase());
    const live = mine.filter((a) => !a.authorized_credential_expires_at || new Date(a.authorized_credential_expires_at) > new Date());
    if (mine.length > live.length) {
      result.hints.push(`GitHub: ${mine.length - live.length} of ${login}'s SSO-authorized personal access tokens or SSH keys for ${org} have expired; they are not the OAuth grant Okta holds.`);
    }
    if (credentialFailing) {
      find(result, {
        cause: 'github-saml-missing',
        confidence: 0.4,
        blocking: false,
        heuristic: true,
        evidence: [
          `GitHub: ${org} uses SAML single sign-on. A re-auth made without an active SAML session for ${org} leaves Okta's grant not authorized for SSO; GitHub lists OAuth grants to no one, so only ${login}'s own token can show it (a 403 with X-GitHub-SSO).`,
        ],
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
    async answers() {
      if (!octokit) return;
      try {
        await octokit.request('GET /rate_limit'); // free: it counts against no rate limit
      } catch (err) {
        const code = status(err);
        if (!code || code >= 500) throw vendorFailure('GitHub', 'checking that GitHub answers', err, SETTINGS);
      }
    },
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
