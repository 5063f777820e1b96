/**
 * GitHub Enterprise Cloud, through Octokit and the pipeline's own token: checks the service
 * account whose grant Okta holds (exists, same login, org owner, SAML-authorized, dedicated), and
 * finds or removes people through the org's SCIM API (which Okta provisions through), by the Okta
 * user id first, and confirms a removal by the org membership of the account GraphQL links them to.
 */
import { Octokit } from '@octokit/rest';
import { ApplicationFailure } from '@temporalio/common';
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
  externalId?: string | null;
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
    /** A classic token's scopes (X-OAuth-Scopes); GitHub sends none for fine-grained and GitHub App tokens. */
    let scopes: string[] | undefined;
    try {
      const res = await octokit.users.getAuthenticated();
      me = res.data.login;
      const header = res.headers['x-oauth-scopes'];
      scopes = typeof header === 'string' ? header.split(',').flatMap((s) => (s.trim() ? [s.trim()] : [])) : undefined;
      result.evidence.push(`GitHub: the pipeline's token works (as ${me}; scopes: ${header || 'none'}).`);
    } catch (err) {
      const f = httpFailure(err);
      if (!isAccessDenied(f)) throw vendorFailure('GitHub', "checking the pipeline's GitHub token", err, SETTINGS);
      result.hints.push(`GitHub refused the pipeline's token (${describeFailure(f)}): check ${SETTINGS}.`);
      return result;
    }
    if (!t.serviceAccount || !t.org) return result;
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
    // Without read:org, or as no active member of the org, the pipeline is shown nothing of it: GitHub's
    // 404s would read as the app's causes. That is the pipeline's own setting: nothing is probed.
    const held = (scope: 'read:org' | 'admin:org') => grantsOrgScope(scopes, scope);
    const scopeList = `its scopes: ${scopes?.join(', ') || 'none'}`;
    if (!held('read:org')) {
      result.hints.push(`The pipeline's GitHub token has no read:org (${scopeList}), so GitHub shows it nothing of ${org}'s members: check ${SETTINGS}.`);
      return result;
    }
    if (!ownToken) {
      const mine = await membershipOf(org, me);
      if (mine === 'sso') {
        ssoRefused(`reading its own membership of ${org}`);
        return result;
      }
      if (mine === 'hidden' || mine.state !== 'active') {
        const seen = mine === 'hidden' ? 'no membership' : 'only a pending invitation';
        result.hints.push(`GitHub shows the pipeline's account (${me}) ${seen} in ${org}: check that apps.${ctx.app.id}.github.org names the organization and that ${SETTINGS}.`);
        return result;
      }
      // A member still sees the others' roles; only owners list SAML authorizations and use SCIM.
      if (mine.role !== 'admin') result.hints.push(`${me}, the pipeline's GitHub account, is a member of ${org}, not an owner: it cannot remove people through SCIM. Check ${SETTINGS}.`);
    }
    if (!held('admin:org')) result.hints.push(`The pipeline's GitHub token has no admin:org (${scopeList}): it diagnoses, but cannot remove people through SCIM. Check ${SETTINGS}.`);
    result.probed = true;

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
      } else if (!ownToken) {
        // The pipeline, an active member, sees its own membership: the org name and the token's scopes are right.
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

  /** The org the app provisions into, with the pipeline's token able to act there. */
  function orgOf(ctx: VendorContext): string {
    const t = target(ctx);
    if (!octokit) throw new VendorNotConfigured(`Set ${SETTINGS} to let the pipeline act in GitHub.`);
    if (!t.org) throw new VendorNotConfigured(`Set apps.${ctx.app.id}.github.org in OKTA_REMEDIATION_CONFIG.`);
    return t.org;
  }

  async function scimUsers(org: string, filter: string, login: string): Promise<ScimUser[]> {
    try {
      const res = await octokit!.request('GET /scim/v2/organizations/{org}/Users', { org, filter });
      return json<{ Resources?: ScimUser[] }>(res.data).Resources ?? [];
    } catch (err) {
      const f = httpFailure(err);
      if (isAccessDenied(f)) throw new VendorNotConfigured(`GitHub refused to list ${org}'s SCIM users (${describeFailure(f)}): check ${SETTINGS}.`);
      throw vendorFailure('GitHub', `finding ${login} in ${org}`, err, SETTINGS);
    }
  }

  /**
   * The person's SCIM identity as Okta provisioned it: by externalId (the Okta user id Okta sends
   * with every push, which survives a change of username or email in Okta), then by userName (the
   * Okta username). GitHub's SCIM list filters on both (`filter`, "List SCIM provisioned
   * identities"). An identity found by userName but provisioned for another Okta user (another
   * externalId) is someone else's: it is reported, never used.
   */
  async function lookUp(ctx: VendorContext, person: VendorPerson): Promise<Lookup> {
    const org = orgOf(ctx);
    if (person.oktaUserId) {
      const [byId] = await scimUsers(org, `externalId eq ${scimString(person.oktaUserId)}`, person.login);
      if (byId) return { org, user: byId, by: 'Okta user id (externalId)' };
    }
    const [byName] = await scimUsers(org, `userName eq ${scimString(person.login)}`, person.login);
    if (byName && person.oktaUserId && byName.externalId && byName.externalId !== person.oktaUserId) return { org, someoneElse: byName };
    return byName ? { org, user: byName, by: 'userName' } : { org };
  }

  function notFound(person: VendorPerson, found: Lookup): VendorAccount {
    const { org, someoneElse } = found;
    const byId = `by Okta user id (externalId ${person.oktaUserId})`;
    const check = `check by hand whether ${person.login} still has access to ${org}.`;
    if (someoneElse && person.oktaUserId) {
      return {
        state: 'not_found',
        detail: `${person.login} was not found at GitHub ${byId} in ${org}; the SCIM identity with userName ${someoneElse.userName} belongs to another Okta user (externalId ${someoneElse.externalId}), so it was left alone: ${check}`,
      };
    }
    if (!person.oktaUserId) return { state: 'not_found', detail: `${person.login} was not found at GitHub by userName in ${org} (no Okta user id to look up as externalId): ${check}` };
    return { state: 'not_found', detail: `${person.login} was not found at GitHub ${byId} nor by userName in ${org}: ${check}` };
  }

  const stateOf = (person: VendorPerson, found: Lookup): VendorAccount => {
    const { org, user, by } = found;
    if (!user) return notFound(person, found);
    const identity = `SCIM identity ${user.userName}, found by ${by}`;
    return user.active === false
      ? { state: 'inactive', detail: `${person.login}'s ${identity} in ${org} is inactive.` }
      : { state: 'active', detail: `${person.login} is provisioned in ${org} (${identity}).` };
  };

  /**
   * The GitHub logins linked to a SCIM identity. SCIM names no account; GitHub's GraphQL API does:
   * the org's SAML identity provider lists its external identities (filtered by the userName/NameID
   * attribute), each with its SCIM username, SAML NameID and linked `user { login }`. An identity
   * not linked yet (an invitation not accepted) has no user. Paced with every other call.
   */
  async function linkedLogins(org: string, userName: string): Promise<string[]> {
    const what = `reading which GitHub account ${org}'s SCIM identity ${userName} is linked to`;
    let res: { data: unknown; headers: Record<string, unknown> };
    try {
      res = await octokit!.request('POST /graphql', { query: EXTERNAL_IDENTITIES, variables: { org, userName } });
    } catch (err) {
      const f = httpFailure(err);
      if (isAccessDenied(f)) throw new VendorNotConfigured(`GitHub refused ${what} (${describeFailure(f)}): check ${SETTINGS}.`);
      throw vendorFailure('GitHub', what, err, SETTINGS);
    }
    const body = json<ExternalIdentitiesAnswer>(res.data);
    const errors = body.errors ?? [];
    if (errors.length > 0) {
      const words = errors.map((e) => e.message).join('; ');
      // A spent primary limit is a 200 with an error and x-ratelimit-remaining 0: wait for the reset.
      if (errors.some((e) => e.type === 'RATE_LIMIT' || e.type === 'RATE_LIMITED')) {
        throw vendorFailure('GitHub', what, { status: 429, response: { headers: res.headers, data: { message: words } } }, SETTINGS);
      }
      if (errors.some((e) => e.type === 'FORBIDDEN')) throw new VendorNotConfigured(`GitHub refused ${what} (${words}): check ${SETTINGS}.`);
      throw ApplicationFailure.nonRetryable(`${what}: GitHub's GraphQL API answered: ${words}`, 'GitHubRejectedRequest');
    }
    const provider = body.data?.organization?.samlIdentityProvider;
    if (!provider) {
      throw new VendorNotConfigured(
        `GitHub shows the pipeline no SAML identity provider for ${org}, so it cannot tell which account a SCIM identity is linked to (an owner's token with read:org can): check ${SETTINGS}.`,
      );
    }
    const same = (s: string | null | undefined) => !!s && s.toLowerCase() === userName.toLowerCase();
    const mine = (provider.externalIdentities.nodes ?? []).filter((n): n is ExternalIdentity => !!n && (same(n.scimIdentity?.username) || same(n.samlIdentity?.nameId)));
    if (mine.length === 0) {
      // Every SCIM identity is an external identity: one that GitHub does not show cannot be confirmed gone.
      throw ApplicationFailure.nonRetryable(
        `GitHub's GraphQL API shows no external identity with userName ${userName} in ${org}, so a removal could not be confirmed: not removed; remove them by hand.`,
        'GitHubRejectedRequest',
      );
    }
    return [...new Set(mine.flatMap((n) => (n.user?.login ? [n.user.login] : [])))];
  }

  async function deleteIdentity(org: string, user: ScimUser, login: string): Promise<void> {
    try {
      await octokit!.request('DELETE /scim/v2/organizations/{org}/Users/{scim_user_id}', { org, scim_user_id: user.id });
    } catch (err) {
      const f = httpFailure(err);
      if (f.status === 404) return; // gone already
      if (isAccessDenied(f)) throw new VendorNotConfigured(`GitHub refused to remove ${login} from ${org} (${describeFailure(f)}): check ${SETTINGS}.`);
      throw vendorFailure('GitHub', `removing ${login} from ${org}`, err, SETTINGS);
    }
  }

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
      return stateOf(person, await lookUp(ctx, person));
    },
    /**
     * Deleting the org SCIM identity removes the person from the org (GitHub's SCIM for
     * organizations). The removal counts only once fresh reads show both gone: no SCIM identity by
     * either lookup, and no org membership (active or invited) for the accounts it was linked to.
     */
    async removePerson(ctx, person) {
      const found = await lookUp(ctx, person);
      const { org, user, by } = found;
      if (!user) return notFound(person, found);
      // Before the delete: the link to the GitHub account goes with the identity.
      const logins = await linkedLogins(org, user.userName);
      await deleteIdentity(org, user, person.login);

      const after = await lookUp(ctx, person);
      if (after.user) return { state: 'active', detail: `${person.login} still has a SCIM identity in ${org} after its removal (${after.user.userName}, found by ${after.by}).` };
      for (const login of logins) {
        const membership = await membershipOf(org, login);
        if (membership === 'sso')
          throw new VendorNotConfigured(`GitHub refused to show ${login}'s membership of ${org} (SAML SSO): authorize the pipeline's token for ${org}'s SSO; check ${SETTINGS}.`);
        if (membership !== 'hidden') {
          const still = membership.state === 'pending' ? `still invited to ${org}` : `still a ${membership.role === 'admin' ? 'owner' : 'member'} of ${org}`;
          return { state: 'active', detail: `${person.login}'s SCIM identity in ${org} is gone, but their GitHub account ${login} is ${still}: remove ${login} from ${org} by hand.` };
        }
      }
      const identity = `SCIM identity ${user.userName} (found by ${by})`;
      return logins.length > 0
        ? { state: 'absent', detail: `${person.login}'s ${identity} and ${logins.join(', ')}'s membership of ${org} are gone.` }
        : { state: 'absent', detail: `${person.login}'s ${identity} is gone from ${org}; it was linked to no GitHub account (an invitation never accepted), so no membership remained.` };
    },
  };
}

/** Whether a classic token's scopes grant `scope` (admin:org grants write:org, which grants read:org); unknown scopes count as held. */
function grantsOrgScope(scopes: string[] | undefined, scope: 'read:org' | 'admin:org'): boolean {
  const granting = scope === 'admin:org' ? ['admin:org'] : ['admin:org', 'write:org', 'read:org'];
  return scopes === undefined || scopes.some((s) => granting.includes(s));
}

/** SCIM's string literal in a filter (RFC 7644 §3.4.2.2: JSON string rules): quotes and backslashes escaped. */
function scimString(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

interface Lookup {
  org: string;
  user?: ScimUser;
  /** How the identity was found, in words. */
  by?: string;
  /** Found by userName, but provisioned for another Okta user: never acted on. */
  someoneElse?: ScimUser;
}

/**
 * GitHub's GraphQL reference: Organization.samlIdentityProvider, OrganizationIdentityProvider
 * .externalIdentities(first, userName) and ExternalIdentity { guid scimIdentity samlIdentity user }.
 */
const EXTERNAL_IDENTITIES = `query($org: String!, $userName: String!) {
  organization(login: $org) {
    samlIdentityProvider {
      externalIdentities(first: 10, userName: $userName) {
        nodes { guid scimIdentity { username } samlIdentity { nameId } user { login } }
      }
    }
  }
}`;

interface ExternalIdentity {
  guid: string;
  scimIdentity: { username: string | null } | null;
  samlIdentity: { nameId: string | null } | null;
  user: { login: string } | null;
}

interface ExternalIdentitiesAnswer {
  data?: { organization: { samlIdentityProvider: { externalIdentities: { nodes: Array<ExternalIdentity | null> | null } } | null } | null } | null;
  errors?: Array<{ message: string; type?: string }>;
}
