/**
 * The shared world: Okta and the vendors agree. For every cause the vendor's verdict names it and
 * a push through the real Okta SDK fails with Okta's one credential message; the right re-auth
 * fixes it and a wrong one does not; deprovisions reach the vendor only when they succeed. Okta is
 * driven through @okta/okta-sdk-nodejs, the vendors are read through their own APIs where it
 * matters (docusign-esign, Octokit) with the pipeline's credentials.
 */
import { Octokit } from '@octokit/rest';
import { Client, DefaultRequestExecutor, type AppUser } from '@okta/okta-sdk-nodejs';
import { ApiClient, UsersApi } from 'docusign-esign';
import type { LogEvent } from '../../sim/okta';
import { ensureSimCertificates } from '../../sim/tls/ca';
import { simCaTrustProblem } from '../../sim/tls/trust';
import { SimWorld, type DocuSignCause, type GitHubCause, type SeededWorld, type VendorAccess } from '../../sim/world';
import { waitFor } from './support/wait';

const trustProblem = simCaTrustProblem(ensureSimCertificates().caPath);
if (trustProblem) throw new Error(`test/sim/world cannot reach the DocuSign simulator over TLS: ${trustProblem}`);

const CREDENTIAL_MESSAGE = 'The credentials used to connect to the API were invalid; please check your configuration';
const SERVICE_ACCOUNT_PATTERN = /(svc|bot|service|okta|scim|provision)/i;
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

describe('SimWorld: Okta and the vendors agree', () => {
  const leaked: Record<string, string | undefined> = {};
  let world: SimWorld;
  let s: SeededWorld;
  let okta: Client;

  beforeAll(() => {
    // The SDK's config loader reads OKTA_CLIENT_* before the explicit config: keep the operator's out.
    for (const key of Object.keys(process.env).filter((k) => k.startsWith('OKTA_CLIENT_'))) {
      leaked[key] = process.env[key];
      delete process.env[key];
    }
  });
  afterAll(() => Object.assign(process.env, leaked));

  beforeEach(async () => {
    world = await SimWorld.start({ syncDelayMs: 20 });
    s = world.seed();
    okta = new Client({
      orgUrl: world.okta.url,
      token: world.okta.apiToken,
      requestExecutor: new DefaultRequestExecutor({ maxRetries: 0, requestTimeout: 0 }),
      cacheMiddleware: null,
    });
  });
  afterEach(() => world.stop());

  const id = (login: string): string => s.users[login]!;
  const appUser = (appId: string, userId: string): Promise<AppUser> => okta.applicationApi.getApplicationUser({ appId, userId });
  /** The app's settings.app, read raw: the SDK's SamlApplication model has no `app` and drops it. */
  const appSettings = async (appId: string): Promise<Record<string, unknown>> =>
    ((await okta.http.getJson(`${world.okta.url}/api/v1/apps/${appId}`)) as { settings: { app: Record<string, unknown> } }).settings.app;

  /** Re-pushes the app user through the SDK, as the pipeline does, and waits for the push to settle. */
  async function push(appId: string, userId: string): Promise<AppUser> {
    const current = await appUser(appId, userId);
    const pushed = await okta.applicationApi.updateApplicationUser({ appId, userId, appUser: { profile: current.profile } });
    expect(pushed.syncState).toBe('SYNCING');
    return settled(appId, userId);
  }

  async function settled(appId: string, userId: string): Promise<AppUser> {
    return waitFor(async () => {
      const u = await appUser(appId, userId);
      return u.syncState === 'SYNCING' ? undefined : u;
    }, `the push of ${userId} to settle`);
  }

  /** The newest event whose type starts with `eventType`, about this app and user. */
  async function lastEvent(eventType: string, appId: string, userId: string): Promise<LogEvent> {
    return waitFor(
      () =>
        world.okta
          .events()
          .filter((e) => e.eventType.startsWith(eventType) && e.target.some((t) => t.id === appId) && e.target.some((t) => t.id === userId))
          .pop(),
      `a ${eventType} event`,
    );
  }

  async function access(appId: string, login: string, expected: VendorAccess): Promise<void> {
    await waitFor(() => (world.vendorAccess(appId, login) === expected ? true : undefined), `${login} to be ${expected} at the vendor`);
  }

  describe('seeded healthy', () => {
    it('provisioned everyone Okta assigned, at the vendors, and Okta shows the settings an admin typed', async () => {
      expect(world.vendorHealth(s.docusign.appId)).toEqual({ ok: true });
      expect(world.vendorHealth(s.github.appId)).toEqual({ ok: true });
      for (const app of [s.docusign, s.github, s.generic]) {
        const users: AppUser[] = [];
        for await (const u of await okta.applicationApi.listApplicationUsers({ appId: app.appId })) if (u) users.push(u);
        expect(users.length).toBeGreaterThan(3);
        expect(users.every((u) => u.syncState === 'SYNCHRONIZED' && u.status === 'PROVISIONED')).toBe(true);
        if (app !== s.generic) for (const u of users) expect(world.vendorAccess(app.appId, login(u))).toBe('active');
      }
      expect(world.vendorAccess(s.docusign.appId, s.testUser)).toBe('absent');
      expect(world.vendorAccess(s.github.appId, s.testUser)).toBe('absent');
      expect(() => world.vendorAccess(s.generic.appId, s.testUser)).toThrow(/no vendor/);

      expect(await appSettings(s.docusign.appId)).toEqual({ apiAccountId: s.docusign.apiAccountId });
      expect(await appSettings(s.github.appId)).toEqual({ githubOrg: s.github.org });
      expect(s.github.serviceAccount).toBe(s.github.dedicatedServiceAccount);
      expect(s.github.serviceAccount).toMatch(SERVICE_ACCOUNT_PATTERN);
      expect(s.generic).toMatchObject({ label: 'Salesforce.com', pushFailed: [], deprovisionFailed: [] });
      expect(Object.values(s.users)).toContain(id(s.testUser));
    });

    it('gives the pipeline working credentials of its own at both vendors', async () => {
      const c = world.pipelineCredentials;
      // DocuSign: the JWT grant as the pipeline's admin user, then a users lookup by email.
      const client = new ApiClient();
      client.setBasePath(c.docusign.restBaseUrl);
      client.setOAuthBasePath(c.docusign.oauthHost);
      const token = (await client.requestJWTUserToken(c.docusign.integrationKey, c.docusign.userId, ['signature', 'impersonation'], Buffer.from(c.docusign.privateKeyPem), 3600)) as {
        body: { access_token: string };
      };
      const info = (await client.getUserInfo(token.body.access_token)) as { accounts: Array<{ accountId: string }> };
      expect(info.accounts.map((a) => a.accountId)).toEqual([s.docusign.apiAccountId]);
      client.addDefaultHeader('Authorization', `Bearer ${token.body.access_token}`);
      const maya = await new UsersApi(client).list(s.docusign.apiAccountId, { email: 'maya.patel@example.com' });
      expect(maya.users?.[0]).toMatchObject({ userStatus: 'Active', isAdmin: 'False' });
      expect(c.docusign.environment).toBe('production');

      // GitHub: an org owner's token that can read SCIM, where Okta's users carry their Okta login.
      const octokit = new Octokit({ auth: c.github.token, baseUrl: c.github.apiUrl, log: quiet });
      const me = await octokit.users.getAuthenticated();
      expect(me.data.login).toBe(c.github.login);
      expect(me.headers['x-oauth-scopes']).toBe('admin:org, read:user');
      const membership = await octokit.orgs.getMembershipForUser({ org: s.github.org, username: c.github.login });
      expect(membership.data.role).toBe('admin');
      const scim = await octokit.request('GET /scim/v2/organizations/{org}/Users', { org: s.github.org, filter: 'userName eq "daniel.okafor@example.com"' });
      // SCIM comes as application/scim+json, which Octokit leaves undecoded (see github-scim.test.ts).
      const raw: unknown = scim.data;
      const body = (typeof raw === 'string' ? JSON.parse(raw) : JSON.parse(Buffer.from(raw as ArrayBuffer).toString('utf8'))) as {
        totalResults: number;
        Resources: Array<{ externalId: string }>;
      };
      expect(body.totalResults).toBe(1);
      expect(body.Resources[0]?.externalId).toBe(id('daniel.okafor@example.com'));
    });

    it("can run GitHub on a person's account, healthy but not a service account", async () => {
      const other = await SimWorld.start({ syncDelayMs: 20 });
      try {
        const seeded = other.seed({ githubServiceAccountIsPerson: true });
        expect(seeded.github.serviceAccount).toBe('jane-doe');
        expect(seeded.github.serviceAccount).not.toMatch(SERVICE_ACCOUNT_PATTERN);
        expect(other.vendorHealth(seeded.github.appId)).toEqual({ ok: true });
        expect(other.github.oktaIntegration()?.adminLogin).toBe('jane-doe');
      } finally {
        await other.stop();
      }
    });
  });

  interface Case<C> {
    cause: C;
    code: string;
    /** A re-auth that must leave it broken: its options, or 'throws' when the sign-in fails. */
    wrong: { login?: string; apiAccountId?: string } & { throws?: boolean };
    fix: { login?: string; apiAccountId?: string };
  }

  const docusignCases = (x: SeededWorld): Array<Case<DocuSignCause>> => [
    { cause: 'account_id_mismatch', code: 'account_not_among_admin_accounts', wrong: {}, fix: { apiAccountId: x.docusign.apiAccountId } },
    { cause: 'environment_mismatch', code: 'environment_mismatch', wrong: { apiAccountId: x.docusign.foreignAccountId }, fix: { apiAccountId: x.docusign.apiAccountId } },
    { cause: 'admin_not_admin', code: 'admin_not_admin', wrong: {}, fix: { login: x.docusign.backupAdminEmail } },
    { cause: 'admin_closed', code: 'admin_closed', wrong: { throws: true }, fix: { login: x.docusign.backupAdminEmail } },
    // Re-authenticating fixes a revoked grant, unless a wrong API Account ID is typed on the way.
    { cause: 'grant_revoked', code: 'grant_revoked', wrong: { apiAccountId: x.docusign.sandboxAccountId }, fix: { apiAccountId: x.docusign.apiAccountId } },
  ];

  const githubCases = (x: SeededWorld): Array<Case<GitHubCause>> => [
    { cause: 'account_deleted', code: 'admin_deleted', wrong: { throws: true }, fix: { login: x.github.personOwner } },
    { cause: 'account_suspended', code: 'admin_suspended', wrong: { throws: true }, fix: { login: x.github.personOwner } },
    { cause: 'username_changed', code: 'admin_renamed', wrong: { login: x.github.serviceAccount, throws: true }, fix: {} },
    { cause: 'not_owner', code: 'not_org_owner', wrong: {}, fix: { login: x.github.personOwner } },
    { cause: 'token_revoked', code: 'token_revoked', wrong: { login: 'daniel-okafor' }, fix: { login: x.github.serviceAccount } },
    { cause: 'token_expired', code: 'token_expired', wrong: { login: 'daniel-okafor' }, fix: { login: x.github.serviceAccount } },
    { cause: 'password_changed', code: 'password_changed', wrong: { login: 'daniel-okafor' }, fix: { login: x.github.serviceAccount } },
    { cause: 'saml_missing', code: 'saml_authorization_missing', wrong: { login: 'daniel-okafor' }, fix: { login: x.github.serviceAccount } },
  ];

  /** Break, see Okta fail the vendor's way, re-auth wrongly (still failing) and rightly (fixed). */
  async function breakAndRepair<C>(appId: string, c: Case<C>, breakIt: () => { pushFailed: string[]; deprovisionFailed: string[] }, reasonLike: RegExp): Promise<void> {
    const failed = breakIt();
    const health = world.vendorHealth(appId);
    expect(health).toMatchObject({ ok: false, cause: c.code });
    expect(world.okta.credentialWorks(appId)).toBe(false);

    // What seedDemo shows: failed pushes in ERROR, failed deprovisions still active at the vendor.
    expect(failed.pushFailed.length).toBeGreaterThanOrEqual(2);
    expect(failed.deprovisionFailed.length).toBeGreaterThanOrEqual(1);
    for (const userId of failed.pushFailed) expect((await appUser(appId, userId)).syncState).toBe('ERROR');
    for (const userId of failed.deprovisionFailed) {
      const login = loginById(userId);
      expect(world.vendorAccess(appId, login)).toBe('active');
      expect(await lastEvent('application.provision.user.deactivate', appId, userId)).toMatchObject({ outcome: { result: 'FAILURE' } });
    }

    // A push through the SDK fails with Okta's message, which never says why.
    const [target] = failed.pushFailed as [string];
    expect((await push(appId, target)).syncState).toBe('ERROR');
    // push for a user the vendor never got, push_profile for one it has.
    const event = await lastEvent('application.provision.user.push', appId, target);
    expect(event.outcome.result).toBe('FAILURE');
    expect(event.outcome.reason).toContain(CREDENTIAL_MESSAGE);
    expect(event.outcome.reason).toMatch(reasonLike);
    expect(event.outcome.reason).not.toMatch(new RegExp(c.code));

    // The wrong re-auth.
    const { throws, ...wrong } = c.wrong;
    if (throws) {
      expect(() => world.reauthenticate(appId, wrong)).toThrow(/cannot sign in/);
    } else {
      world.reauthenticate(appId, wrong);
    }
    expect(world.vendorHealth(appId).ok).toBe(false);
    expect((await push(appId, target)).syncState).toBe('ERROR');

    // The right one: Okta logs the admin's change, and the retried push reaches the vendor.
    world.reauthenticate(appId, c.fix);
    expect(world.vendorHealth(appId)).toEqual({ ok: true });
    expect(
      world.okta
        .events()
        .filter((e) => e.eventType === 'application.lifecycle.update')
        .pop(),
    ).toMatchObject({ outcome: { result: 'SUCCESS' } });
    for (const userId of failed.pushFailed) {
      expect((await push(appId, userId)).syncState).toBe('SYNCHRONIZED');
      expect(world.vendorAccess(appId, loginById(userId))).toBe('active');
    }
  }

  function loginById(userId: string): string {
    const found = Object.entries(s.users).find(([, v]) => v === userId);
    if (!found) throw new Error(`no user ${userId}`);
    return found[0];
  }

  function login(u: AppUser): string {
    return loginById(u.id!);
  }

  describe('DocuSign causes', () => {
    it.each(['account_id_mismatch', 'environment_mismatch', 'admin_not_admin', 'admin_closed', 'grant_revoked'] as const)('%s', async (cause) => {
      const c = docusignCases(s).find((x) => x.cause === cause)!;
      await breakAndRepair(s.docusign.appId, c, () => world.breakDocuSign(cause), /javax\.ws\.rs\.BadRequestException/);
    });

    it('keeps the API Account ID Okta holds visible through Okta, as the admin typed it', async () => {
      world.breakDocuSign('environment_mismatch');
      expect((await appSettings(s.docusign.appId)).apiAccountId).toBe(s.docusign.sandboxAccountId);
      world.reauthenticate(s.docusign.appId, { apiAccountId: s.docusign.apiAccountId });
      expect((await appSettings(s.docusign.appId)).apiAccountId).toBe(s.docusign.apiAccountId);
    });
  });

  describe('GitHub causes', () => {
    it.each(['account_deleted', 'account_suspended', 'username_changed', 'not_owner', 'token_revoked', 'token_expired', 'password_changed', 'saml_missing'] as const)('%s', async (cause) => {
      const c = githubCases(s).find((x) => x.cause === cause)!;
      await breakAndRepair(s.github.appId, c, () => world.breakGitHub(cause), /to app GitHub Enterprise Cloud - Organization failed/);
    });

    it('username_changed: the probe finds the renamed account by its id, and the default re-auth uses the new login', async () => {
      world.breakGitHub('username_changed');
      const octokit = new Octokit({ auth: world.pipelineCredentials.github.token, baseUrl: world.pipelineCredentials.github.apiUrl, log: quiet });
      const gone = await octokit.users.getByUsername({ username: s.github.serviceAccount }).catch((e: { status: number }) => e);
      expect(gone).toMatchObject({ status: 404 });
      const byId = await octokit.request('GET /user/{account_id}', { account_id: s.github.serviceAccountId });
      expect(byId.data.login).toBe(`${s.github.serviceAccount}-renamed`);
      world.reauthenticate(s.github.appId);
      expect(world.github.oktaIntegration()?.adminLogin).toBe(`${s.github.serviceAccount}-renamed`);
    });

    it('saml_missing: GitHub answers the token Okta now holds with 403 and X-GitHub-SSO, until a re-auth inside SSO; owners see no OAuth grant listed', async () => {
      const owner = new Octokit({ auth: world.pipelineCredentials.github.token, baseUrl: world.pipelineCredentials.github.apiUrl, log: quiet });
      const asOkta = () => new Octokit({ auth: world.github.oktaIntegration()!.token, baseUrl: world.pipelineCredentials.github.apiUrl, log: quiet, request: { retries: 0 } });
      const listed = async () => (await owner.request('GET /orgs/{org}/credential-authorizations', { org: s.github.org, login: s.github.serviceAccount })).data;
      const oktaCall = () => asOkta().request('GET /scim/v2/organizations/{org}/Users', { org: s.github.org });
      expect((await oktaCall()).status).toBe(200);

      world.breakGitHub('saml_missing');
      const refused = await oktaCall().then(
        () => undefined,
        (e: { status: number; response?: { headers: Record<string, string> } }) => e,
      );
      expect(refused?.status).toBe(403);
      expect(refused?.response?.headers['x-github-sso']).toMatch(/^required; url=/);
      // An owner's list of SSO authorizations holds personal access tokens and SSH keys: it cannot tell.
      expect(await listed()).toEqual([]);

      world.reauthenticate(s.github.appId);
      expect((await oktaCall()).status).toBe(200);
      expect(await listed()).toEqual([]);
    });
  });

  describe('the generic app', () => {
    it('breaks without a vendor to ask, and a linked app cannot be broken from the Okta side', async () => {
      const failed = world.breakGeneric();
      expect(failed.pushFailed.length).toBeGreaterThanOrEqual(2);
      expect(world.vendorHealth(s.generic.appId)).toMatchObject({ ok: false });
      expect((await push(s.generic.appId, failed.pushFailed[0]!)).syncState).toBe('ERROR');
      world.reauthenticate(s.generic.appId);
      expect((await push(s.generic.appId, failed.pushFailed[0]!)).syncState).toBe('SYNCHRONIZED');
      expect(() => world.okta.breakCredential(s.docusign.appId)).toThrow(/linked to a vendor/);
    });
  });

  describe('deprovisioning through the Okta SDK', () => {
    it('a successful unassignment removes vendor access (DocuSign closes, GitHub removes the SCIM identity)', async () => {
      const docusignUser = 'daniel.okafor@example.com';
      await okta.applicationApi.unassignUserFromApplication({ appId: s.docusign.appId, userId: id(docusignUser) });
      await access(s.docusign.appId, docusignUser, 'closed');
      expect(await lastEvent('application.provision.user.deactivate', s.docusign.appId, id(docusignUser))).toMatchObject({ outcome: { result: 'SUCCESS' } });

      const githubUser = 'grace.kim@example.com';
      expect(world.github.membership(s.github.org, 'grace-kim')).toEqual({ role: 'member', state: 'active' });
      await okta.applicationApi.unassignUserFromApplication({ appId: s.github.appId, userId: id(githubUser) });
      await access(s.github.appId, githubUser, 'absent');
      expect(world.github.scimUser(s.github.org, githubUser)).toBeUndefined();
      expect(world.github.membership(s.github.org, 'grace-kim')).toBeUndefined();
      await expect(appUser(s.github.appId, id(githubUser))).rejects.toMatchObject({ status: 404 });
    });

    it('a failed unassignment leaves the person active at the vendor, with a FAILURE deactivate event', async () => {
      world.breakDocuSign('grant_revoked');
      world.breakGitHub('token_revoked');
      for (const [appId, userLogin] of [
        [s.docusign.appId, 'amara.nwosu@example.com'],
        [s.github.appId, 'priya.raman@example.com'],
      ] as const) {
        await okta.applicationApi.unassignUserFromApplication({ appId, userId: id(userLogin) });
        const event = await lastEvent('application.provision.user.deactivate', appId, id(userLogin));
        expect(event.outcome).toMatchObject({ result: 'FAILURE', reason: expect.stringContaining(CREDENTIAL_MESSAGE) });
        expect(world.vendorAccess(appId, userLogin)).toBe('active');
      }
    });
  });

  describe('the test-user round trip through the Okta SDK', () => {
    it.each(['docusign', 'github'] as const)('%s: assign provisions at the vendor, unassign deprovisions', async (vendor) => {
      const appId = s[vendor].appId;
      const userId = id(s.testUser);
      const userName = s.testUser;
      const assigned = await okta.applicationApi.assignUserToApplication({ appId, appUser: { id: userId, scope: 'USER', credentials: { userName } } });
      expect(assigned).toMatchObject({ id: userId, syncState: 'SYNCING', status: 'STAGED', credentials: { userName } });
      expect(world.vendorAccess(appId, s.testUser)).toBe('absent');
      expect(await settled(appId, userId)).toMatchObject({ syncState: 'SYNCHRONIZED', status: 'PROVISIONED' });
      expect(world.vendorAccess(appId, s.testUser)).toBe('active');
      if (vendor === 'docusign') expect(world.docusign.userByEmail(s.docusign.apiAccountId, s.testUser)).toMatchObject({ status: 'active', firstName: 'Okta' });
      else expect(world.github.scimUser(s.github.org, s.testUser)).toMatchObject({ userName: s.testUser, externalId: userId, active: true });

      await okta.applicationApi.unassignUserFromApplication({ appId, userId });
      await access(appId, s.testUser, vendor === 'docusign' ? 'closed' : 'absent');
    });

    it('while broken, the assignment ends in ERROR and nothing reaches the vendor', async () => {
      world.breakGitHub('not_owner');
      const userId = id(s.testUser);
      await okta.applicationApi.assignUserToApplication({ appId: s.github.appId, appUser: { id: userId, scope: 'USER' } });
      expect((await settled(s.github.appId, userId)).syncState).toBe('ERROR');
      expect(world.vendorAccess(s.github.appId, s.testUser)).toBe('absent');
      world.reauthenticate(s.github.appId, { login: s.github.personOwner });
      expect((await push(s.github.appId, userId)).syncState).toBe('SYNCHRONIZED');
      expect(world.vendorAccess(s.github.appId, s.testUser)).toBe('active');
    });
  });
});
