/**
 * DocuSign, through the official docusign-esign client and the pipeline's own JWT credential:
 * checks the API Account ID Okta holds, the environment, and the admin who authorized Okta.
 */
import { ApiClient, UsersApi } from 'docusign-esign';
import type { StepValues, VendorProbe } from '../../domain/types';
import type { DocuSignEnvironmentCredential, VendorCredentials } from '../../config/worker-config';
import { headersOf, RateBudget, VENDOR_PACING } from '../rate-budget';
import { describeFailure, httpFailure, isAccessDenied, isBurstLimited, isRateLimited, vendorFailure } from './errors';
import { addFinding as find, VendorNotConfigured, type VendorAccount, type VendorContext, type VendorModule, type VendorPerson } from './types';

const SCOPES = ['signature', 'impersonation'];
const SETTINGS = 'DOCUSIGN_INTEGRATION_KEY, DOCUSIGN_USER_ID and DOCUSIGN_PRIVATE_KEY (and that the user granted consent)';

interface Account {
  accountId: string;
  accountName: string;
  baseUri: string;
}

interface Session {
  env: DocuSignEnvironmentCredential;
  token: string;
  accounts: Account[];
}

interface DocuSignUser {
  userId: string;
  email?: string;
  userStatus?: string;
  isAdmin?: string;
}

class CredentialRefused extends Error {}

/** The pipeline's user signs in but is no admin of the account: its own setting, never the app's cause. */
class PipelineNotAdmin extends VendorNotConfigured {}

type Callback<T> = (err: unknown, data?: T, response?: { status?: number; headers?: Record<string, unknown> }) => void;

export function createDocuSignVendor(creds: VendorCredentials['docusign']): VendorModule {
  // One budget per worker process for each account's hourly limit (X-RateLimit-*), which every
  // integration of the account spends (Okta's own provisioning too).
  const budget = new RateBudget({ ...VENDOR_PACING, ...creds?.pacing });
  /** One eSignature REST call (the client's callback form hands over the answer's headers), paced by the account's budget. */
  async function paced<T>(accountId: string, call: (done: Callback<T>) => void): Promise<T> {
    await budget.acquire(accountId);
    return new Promise<T>((resolve, reject) =>
      call((err, data, response) => {
        const answer = response ?? (err as { response?: { status?: number; headers?: Record<string, unknown> } } | undefined)?.response;
        // The hourly limit's error blocks the account's budget until the reset, whatever status it
        // came with; a burst one only delays this call (vendorFailure retries it after the window).
        const f = err === null || err === undefined ? undefined : httpFailure(err);
        const limited = f !== undefined && isRateLimited(f) && !isBurstLimited(f);
        budget.release(accountId, headersOf(answer?.headers), limited ? 429 : (answer?.status ?? 0));
        if (err) reject(err);
        else resolve(data as T);
      }),
    );
  }
  /** The settings behind one environment's session: the second (demo) one has its own user. */
  const userSettingOf = (env: DocuSignEnvironmentCredential) => (env === creds?.environments[0] ? 'DOCUSIGN_USER_ID' : 'DOCUSIGN_DEMO_USER_ID');
  const settingsFor = (env: DocuSignEnvironmentCredential) => SETTINGS.replace('DOCUSIGN_USER_ID', userSettingOf(env));
  const oauthClient = (host: string) => {
    const client = new ApiClient();
    client.setOAuthBasePath(host); // must come after setBasePath, which resets it
    return client;
  };

  async function session(env: DocuSignEnvironmentCredential): Promise<Session> {
    const client = oauthClient(env.oauthHost);
    let token: string;
    try {
      const res = (await client.requestJWTUserToken(creds!.integrationKey, env.userId, SCOPES, Buffer.from(creds!.privateKey), 3600)) as { body: { access_token: string } };
      token = res.body.access_token;
    } catch (err) {
      const f = httpFailure(err);
      // No HTTP status and no network error code: the client refused our input (e.g. a key it cannot parse).
      if (!f.status && !(err as { code?: string }).code) throw new CredentialRefused(`DocuSign's client refused the pipeline's JWT settings (${(err as Error).message}): check ${settingsFor(env)}.`);
      if (f.status && f.status < 500 && f.status !== 429)
        throw new CredentialRefused(`DocuSign ${env.environment} refused the pipeline's JWT grant (${describeFailure(f)}): check ${settingsFor(env)}.`);
      throw vendorFailure('DocuSign', `requesting a DocuSign ${env.environment} token`, err, settingsFor(env));
    }
    try {
      const info = (await client.getUserInfo(token)) as { accounts?: Account[] };
      return { env, token, accounts: info.accounts ?? [] };
    } catch (err) {
      throw vendorFailure('DocuSign', 'reading DocuSign userinfo', err, SETTINGS);
    }
  }

  async function usersByEmail(s: Session, account: Account, email: string): Promise<DocuSignUser[] | 'not-member'> {
    const client = new ApiClient();
    client.setBasePath(`${account.baseUri}/restapi`);
    client.addDefaultHeader('Authorization', `Bearer ${s.token}`);
    try {
      const res = await paced<{ users?: DocuSignUser[] }>(account.accountId, (done) => void new UsersApi(client).list(account.accountId, { email }, done));
      return (res.users ?? []).filter((u) => u.email?.toLowerCase() === email.toLowerCase());
    } catch (err) {
      const f = httpFailure(err);
      // DocuSign answers an unknown email (or a non-member) with 400 USER_LACKS_MEMBERSHIP.
      if (f.code === 'USER_LACKS_MEMBERSHIP') return 'not-member';
      // Listing users takes an admin; DocuSign says so by this code (seen with 401, matched whatever the status).
      if (f.code === 'USER_LACKS_PERMISSIONS') {
        throw new PipelineNotAdmin(
          `DocuSign refused to list the users of account ${account.accountId} ("${account.accountName}") (${describeFailure(f)}): make the pipeline's DocuSign user (${userSettingOf(s.env)}) an admin of account ${account.accountId}.`,
        );
      }
      throw vendorFailure('DocuSign', `listing users of account ${account.accountId}`, err, SETTINGS);
    }
  }

  function target(ctx: VendorContext) {
    const held = typeof ctx.oktaSettings.apiAccountId === 'string' ? ctx.oktaSettings.apiAccountId : undefined;
    const configured = ctx.settings.docusign?.apiAccountId;
    const environment = ctx.settings.docusign?.environment ?? 'production';
    return { held, configured, apiAccountId: held ?? configured, adminEmail: ctx.settings.docusign?.adminEmail, environment };
  }

  async function probe(ctx: VendorContext): Promise<VendorProbe> {
    const t = target(ctx);
    const values: StepValues = { apiAccountId: t.apiAccountId, adminEmail: t.adminEmail, environment: t.environment };
    const result: VendorProbe = { vendor: 'docusign', probed: false, findings: [], evidence: [], hints: [], values, at: new Date().toISOString() };
    if (!t.adminEmail) result.hints.push(`Set apps.${ctx.app.id}.docusign.adminEmail in OKTA_REMEDIATION_CONFIG to check the DocuSign admin who authorizes Okta.`);
    if (!creds) {
      result.hints.push(`Set ${SETTINGS} so the pipeline can check the API Account ID and the admin at DocuSign.`);
      return result;
    }
    if (!t.apiAccountId) {
      result.hints.push(`Okta's app shows no API Account ID: set apps.${ctx.app.id}.docusign.apiAccountId in OKTA_REMEDIATION_CONFIG.`);
      return result;
    }
    const primaryEnv = creds.environments.find((e) => e.environment === t.environment) ?? creds.environments[0]!;
    const otherEnv = creds.environments.find((e) => e.environment !== primaryEnv.environment);
    let primary: Session;
    try {
      primary = await session(primaryEnv);
    } catch (err) {
      if (err instanceof CredentialRefused) {
        result.hints.push(err.message);
        return result;
      }
      throw err;
    }
    result.probed = true;
    result.evidence.push(
      `DocuSign: Okta holds API Account ID ${t.apiAccountId}${t.held ? '' : ' (from the configuration; Okta does not show one)'}; the app authenticates against ${primaryEnv.environment}.`,
    );
    if (t.held && t.configured && t.held !== t.configured) {
      find(result, {
        cause: 'docusign-account-id-mismatch',
        confidence: 0.9,
        blocking: true,
        evidence: [`DocuSign: Okta holds API Account ID ${t.held}, but the configuration names ${t.configured} as the account to provision.`],
      });
    }
    /** The pipeline's user may not list users: what it could not see decides nothing, so nothing is probed. */
    const notAdmin = (err: unknown): VendorProbe => {
      if (!(err instanceof PipelineNotAdmin)) throw err;
      result.probed = false;
      result.hints.push(err.message);
      return result;
    };
    const account = primary.accounts.find((a) => a.accountId === t.apiAccountId);
    if (!account) {
      await notVisible(t, primary, otherEnv, result).catch(notAdmin);
      return result;
    }
    result.evidence.push(`DocuSign: account ${account.accountId} ("${account.accountName}") exists in ${primaryEnv.environment}.`);
    if (!t.adminEmail) {
      if (ctx.credentialFailing)
        find(result, { cause: 'docusign-grant-revoked', confidence: 0.6, blocking: false, evidence: ['DocuSign: the account checks out; the admin could not be checked (no adminEmail configured).'] });
      return result;
    }
    let found: Awaited<ReturnType<typeof usersByEmail>>;
    try {
      found = await usersByEmail(primary, account, t.adminEmail);
    } catch (err) {
      return notAdmin(err);
    }
    const admin = found === 'not-member' ? undefined : found[0];
    if (!admin) {
      find(result, {
        cause: 'docusign-account-id-mismatch',
        confidence: 0.9,
        blocking: true,
        evidence: [`DocuSign: ${t.adminEmail} is not a member of account ${account.accountId} ("${account.accountName}").`],
      });
    } else if (admin.userStatus?.toLowerCase() === 'closed') {
      find(result, { cause: 'docusign-admin-closed', confidence: 0.95, blocking: true, evidence: [`DocuSign: ${t.adminEmail}'s user in account ${account.accountId} is closed.`] });
    } else if (admin.isAdmin?.toLowerCase() !== 'true') {
      find(result, {
        cause: 'docusign-admin-not-admin',
        confidence: 0.9,
        blocking: true,
        evidence: [`DocuSign: ${t.adminEmail} is a member of account ${account.accountId} but not an admin (isAdmin ${admin.isAdmin}).`],
      });
    } else {
      result.evidence.push(`DocuSign: ${t.adminEmail} is an active admin of account ${account.accountId}.`);
      if (ctx.credentialFailing) {
        find(result, {
          cause: 'docusign-grant-revoked',
          confidence: 0.8,
          blocking: false,
          evidence: ["DocuSign: the account, the environment and the admin all check out, yet Okta's calls fail: the grant Okta holds is no longer valid."],
        });
      }
    }
    return result;
  }

  /**
   * The pipeline's DocuSign user cannot see the account Okta holds. That is evidence only where
   * DocuSign shows the account elsewhere (the other environment) or the admin in another account;
   * otherwise the pipeline may simply not be a member of it, which is its own setting to fix.
   */
  async function notVisible(t: ReturnType<typeof target>, primary: Session, otherEnv: DocuSignEnvironmentCredential | undefined, result: VendorProbe) {
    const accountId = t.apiAccountId!;
    const env = primary.env.environment;
    let other: Session | undefined;
    let otherUnchecked = otherEnv ? '' : `the ${env === 'production' ? 'demo' : 'production'} environment was not checked (DOCUSIGN_DEMO_USER_ID is not set)`;
    if (otherEnv) {
      try {
        other = await session(otherEnv);
      } catch (err) {
        if (!(err instanceof CredentialRefused)) throw err;
        otherUnchecked = `the ${otherEnv.environment} environment could not be checked`;
        result.hints.push(`The ${otherEnv.environment} environment could not be checked: ${err.message}`);
      }
    }
    const elsewhere = other?.accounts.find((a) => a.accountId === accountId);
    if (elsewhere) {
      find(result, {
        cause: 'docusign-environment-mismatch',
        confidence: 0.95,
        blocking: true,
        evidence: [`DocuSign: ${accountId} ("${elsewhere.accountName}") is an account of the ${other!.env.environment} environment, but Okta's app authenticates against ${env}.`],
      });
      return;
    }
    const seen = primary.accounts.map((a) => `${a.accountId} ("${a.accountName}")`).join(', ') || 'none';
    const adminAccounts = t.adminEmail ? await accountsOf(primary, t.adminEmail) : [];
    // Decisive only when the admin works in another account and no environment is left unchecked.
    const decisive = adminAccounts.length > 0 && !otherUnchecked;
    find(result, {
      cause: 'docusign-account-id-mismatch',
      confidence: decisive ? 0.85 : 0.4,
      blocking: decisive,
      evidence: [
        `DocuSign: ${accountId} is not among the ${env} accounts the pipeline's user can see: ${seen}.`,
        ...(t.adminEmail ? [`DocuSign: ${t.adminEmail} belongs to ${adminAccounts.map((a) => `${a.accountId} ("${a.accountName}")`).join(', ') || 'none of them'}.`] : []),
      ],
    });
    if (adminAccounts.length === 0) {
      result.hints.push(`If ${accountId} is the right account, make the pipeline's DocuSign user (${userSettingOf(primary.env)}) a member of it, so the pipeline can check it.`);
    }
    if (otherUnchecked) {
      find(result, { cause: 'docusign-environment-mismatch', confidence: 0.4, blocking: false, evidence: [`DocuSign: ${otherUnchecked}, so ${accountId} may belong to it.`] });
      if (!otherEnv) result.hints.push("Set DOCUSIGN_DEMO_USER_ID (the pipeline's user in the demo environment) to tell a demo account from a wrong one.");
    }
  }

  async function accountsOf(s: Session, email: string): Promise<Account[]> {
    const out: Account[] = [];
    for (const a of s.accounts) {
      const users = await usersByEmail(s, a, email);
      if (users !== 'not-member' && users.some((u) => u.userStatus?.toLowerCase() !== 'closed')) out.push(a);
    }
    return out;
  }

  async function personIn(ctx: VendorContext, person: VendorPerson) {
    if (!creds) throw new VendorNotConfigured(`Set ${SETTINGS} to let the pipeline act in DocuSign.`);
    const t = target(ctx);
    const accountId = t.configured ?? t.held;
    if (!accountId) throw new VendorNotConfigured(`Set apps.${ctx.app.id}.docusign.apiAccountId in OKTA_REMEDIATION_CONFIG: the pipeline must know which DocuSign account to act in.`);
    const env = creds.environments.find((e) => e.environment === t.environment) ?? creds.environments[0]!;
    let s: Session;
    try {
      s = await session(env);
    } catch (err) {
      if (err instanceof CredentialRefused) throw new VendorNotConfigured(err.message);
      throw err;
    }
    const account = s.accounts.find((a) => a.accountId === accountId);
    if (!account) throw new VendorNotConfigured(`The pipeline's DocuSign user is not a member of account ${accountId}.`);
    const email = person.email ?? person.login;
    const users = await usersByEmail(s, account, email);
    return { s, account, email, user: users === 'not-member' ? undefined : (users.find((u) => u.userStatus?.toLowerCase() !== 'closed') ?? users[0]) };
  }

  const stateOf = (user: DocuSignUser | undefined, email: string, accountId: string): VendorAccount => {
    if (!user) return { state: 'absent', detail: `${email} is not a member of DocuSign account ${accountId}.` };
    if (user.userStatus?.toLowerCase() === 'closed') return { state: 'inactive', detail: `${email} is closed in DocuSign account ${accountId}.` };
    return { state: 'active', detail: `${email} is ${user.userStatus ?? 'active'} in DocuSign account ${accountId}.` };
  };

  return {
    probe,
    async answers(ctx) {
      if (!creds) return;
      const env = creds.environments.find((e) => e.environment === target(ctx).environment) ?? creds.environments[0]!;
      try {
        await session(env); // a token and the userinfo: DocuSign's account server answers
      } catch (err) {
        if (!(err instanceof CredentialRefused)) throw err; // a refusal is an answer
      }
    },
    async findPerson(ctx, person) {
      const { account, email, user } = await personIn(ctx, person);
      return stateOf(user, email, account.accountId);
    },
    async removePerson(ctx, person) {
      const { s, account, email, user } = await personIn(ctx, person);
      if (user && user.userStatus?.toLowerCase() !== 'closed') {
        const client = new ApiClient();
        client.setBasePath(`${account.baseUri}/restapi`);
        client.addDefaultHeader('Authorization', `Bearer ${s.token}`);
        try {
          await paced(account.accountId, (done) => void new UsersApi(client)._delete(account.accountId, { userInfoList: { users: [{ userId: user.userId }] } }, done));
        } catch (err) {
          const f = httpFailure(err);
          if (isAccessDenied(f))
            throw new VendorNotConfigured(`DocuSign refused to close ${email} (${describeFailure(f)}): the pipeline's DocuSign user must be an admin of account ${account.accountId}.`);
          throw vendorFailure('DocuSign', `closing ${email}`, err, SETTINGS);
        }
      }
      // Confirm with a fresh read: the removal counts only once DocuSign shows it.
      const after = await usersByEmail(s, account, email);
      const users = after === 'not-member' ? [] : after;
      return stateOf(users.find((u) => u.userStatus?.toLowerCase() !== 'closed') ?? users[0], email, account.accountId);
    },
  };
}
