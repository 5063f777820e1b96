/**
 * The real @okta/okta-sdk-nodejs client against the simulator, configured the way the pipeline
 * uses it: SSWS token, no SDK retries, no response cache (it would hide syncState changes).
 */
import { Client, DefaultRequestExecutor, OktaApiError, type AppUser, type LogEvent } from '@okta/okta-sdk-nodejs';
import { OktaSim } from '../../sim/okta';
import { seedDemo, type SeededDemo } from '../../sim/seed';
import { waitFor } from './support/wait';

/** Drains an SDK collection (it follows Link: rel="next" on its own). */
async function collect<T>(collection: AsyncIterable<T | null>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of collection) if (item) items.push(item);
  return items;
}

describe('the Okta SDK against the simulated org', () => {
  const leaked: Record<string, string | undefined> = {};
  let sim: OktaSim;
  let seeded: SeededDemo;
  let client: Client;

  const sdk = (token = sim.apiToken): Client =>
    new Client({
      orgUrl: sim.url,
      token,
      requestExecutor: new DefaultRequestExecutor({ maxRetries: 0, requestTimeout: 0 }),
      cacheMiddleware: null,
    });

  beforeAll(() => {
    // The SDK's config loader reads OKTA_CLIENT_* before the explicit config: keep the operator's out.
    for (const key of Object.keys(process.env).filter((k) => k.startsWith('OKTA_CLIENT_'))) {
      leaked[key] = process.env[key];
      delete process.env[key];
    }
  });
  afterAll(() => Object.assign(process.env, leaked));

  beforeEach(async () => {
    sim = new OktaSim({ syncDelayMs: 30 });
    await sim.start();
    seeded = seedDemo(sim);
    client = sdk();
  });
  afterEach(() => sim.stop());

  const appUser = (appId: string, userId: string): Promise<AppUser> => client.applicationApi.getApplicationUser({ appId, userId });

  it('reads an app, its features and a user', async () => {
    const app = await client.applicationApi.getApplication({ appId: seeded.docusign.appId });
    expect(app).toMatchObject({ id: seeded.docusign.appId, label: 'DocuSign', signOnMode: 'SAML_2_0', status: 'ACTIVE' });
    expect((app as { name?: string }).name).toBe('docusign');

    const features = await collect(await client.applicationApi.listFeaturesForApplication({ appId: seeded.docusign.appId }));
    expect(features.map((f) => [f.name, f.status])).toEqual([['USER_PROVISIONING', 'ENABLED']]);
    const feature = await client.applicationApi.getFeatureForApplication({ appId: seeded.docusign.appId, name: 'USER_PROVISIONING' });
    expect(feature.status).toBe('ENABLED');

    const connection = await client.applicationApi.getDefaultProvisioningConnectionForApplication({ appId: seeded.github.appId });
    expect(connection).toMatchObject({ status: 'UNKNOWN', profile: { authScheme: 'UNKNOWN' } });

    const login = 'priya.raman@example.com';
    const user = await client.userApi.getUser({ userId: login });
    expect(user).toMatchObject({ id: seeded.users[login], status: 'ACTIVE', profile: { login, firstName: 'Priya' } });
  });

  it('lists app users across pages', async () => {
    const appId = seeded.docusign.appId;
    const users = await collect(await client.applicationApi.listApplicationUsers({ appId, limit: 2 }));
    expect(users).toHaveLength(8);
    expect(new Set(users.map((u) => u.id)).size).toBe(8);
    expect(
      users
        .filter((u) => u.syncState === 'ERROR')
        .map((u) => u.id)
        .sort(),
    ).toEqual([...seeded.docusign.pushFailed].sort());
    expect(sim.requestCount({ method: 'GET', path: new RegExp(`^/api/v1/apps/${appId}/users$`) })).toBe(4);
  });

  it('pushes an app user: SYNCING, then ERROR while broken, SYNCHRONIZED after the admin re-authenticates', async () => {
    const appId = seeded.github.appId;
    const [userId] = seeded.github.pushFailed as [string];
    const before = await appUser(appId, userId);
    expect(before.syncState).toBe('ERROR');

    const pushed = await client.applicationApi.updateApplicationUser({ appId, userId, appUser: { profile: before.profile } });
    expect(pushed.syncState).toBe('SYNCING');
    await waitFor(async () => ((await appUser(appId, userId)).syncState === 'ERROR' ? true : undefined), 'the push to fail');

    sim.reauthenticate(appId, { login: 'admin@example.com' });
    // The whole app user, as read, is an acceptable body too.
    await client.applicationApi.updateApplicationUser({ appId, userId, appUser: before });
    const after = await waitFor(async () => {
      const u = await appUser(appId, userId);
      return u.syncState === 'SYNCHRONIZED' ? u : undefined;
    }, 'the push to succeed');
    expect(after.lastSync!.getTime()).toBeGreaterThan(before.lastUpdated!.getTime());
    expect(sim.requestCount({ method: 'POST', path: new RegExp(`^/api/v1/apps/${appId}/users/${userId}$`) })).toBe(2);
  });

  it('pages through a bounded System Log query, and a target.id + outcome.result filter picks the right events', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const until = new Date(Date.now() + 1_000).toISOString();
    const all = await collect<LogEvent>(await client.systemLogApi.listLogEvents({ since, until, limit: 4 }));
    expect(all.map((e) => e.uuid)).toEqual(sim.events().map((e) => e.uuid));
    const pages = sim.requestCount({ method: 'GET', path: /^\/api\/v1\/logs$/ });
    expect(pages).toBe(Math.ceil(all.length / 4));
    expect(pages).toBeGreaterThan(3);

    const appId = seeded.docusign.appId;
    const filter = `target.id eq "${appId}" and outcome.result eq "FAILURE"`;
    const failures = await collect<LogEvent>(await client.systemLogApi.listLogEvents({ since, until, filter, limit: 2 }));
    const expected = sim.events().filter((e) => e.outcome.result === 'FAILURE' && e.target.some((t) => t.id === appId));
    expect(failures.map((e) => e.uuid)).toEqual(expected.map((e) => e.uuid));
    const users = failures.flatMap((e) => e.target?.filter((t) => t.type === 'User').map((t) => t.id) ?? []);
    expect(users.sort()).toEqual([...seeded.docusign.pushFailed, ...seeded.docusign.deprovisionFailed].sort());
    expect(failures.every((e) => e.published instanceof Date && e.outcome?.reason?.includes('The credentials used to connect to the API were invalid'))).toBe(true);
  });

  it('surfaces a 429 as OktaApiError with the rate-limit headers, and never puts the token in errors', async () => {
    sim.injectFault({ path: /^\/api\/v1\/apps\//, status: 429, count: 1 });
    const limited = await client.applicationApi.getApplication({ appId: seeded.github.appId }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(OktaApiError);
    const err = limited as OktaApiError;
    expect(err).toMatchObject({ status: 429, errorCode: 'E0000047' });
    expect(Number(err.headers.get('x-rate-limit-reset'))).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
    expect(err.headers.get('x-rate-limit-remaining')).toBe('0');
    // maxRetries: 0 — the SDK did not retry on its own.
    expect(sim.requestCount({ path: /^\/api\/v1\/apps\// })).toBe(1);

    const wrongToken = `${sim.apiToken}-revoked`;
    const denied = (await sdk(wrongToken)
      .applicationApi.getApplication({ appId: seeded.github.appId })
      .catch((e: unknown) => e)) as OktaApiError;
    expect(denied).toMatchObject({ status: 401, errorCode: 'E0000011' });
    for (const e of [err, denied]) {
      const text = [e.message, e.stack, String(e), JSON.stringify(e)].join('\n');
      expect(text).not.toContain(sim.apiToken);
    }
  });
});
