/**
 * The page re-push against the simulated org through the real SDK: every user Okta shows in ERROR
 * on a page is pushed once and watched by re-reading the page, so the retry costs about one
 * request per user; a push that fails again carries Okta's reason; a retried attempt does not
 * push again.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { createOktaClient } from '../../activities/okta/client';
import { createPageRepush, type AppUsersPage, type RepushPageResult } from '../../activities/okta/repush-page';
import { OktaSim } from '../../sim/okta';
import { testLogger } from '../support/log-capture';

describe('repushPage', () => {
  let sim: OktaSim;
  let appId: string;
  const USERS = 120;

  beforeEach(async () => {
    sim = new OktaSim({ syncDelayMs: 20 });
    await sim.start();
    appId = sim.addApp({ name: 'docusign', label: 'DocuSign' });
    sim.breakCredential(appId);
    for (let i = 0; i < USERS; i++) sim.assignUser(appId, sim.addUser({ login: `user${i}@example.com`, firstName: 'User', lastName: String(i) }));
  });
  afterEach(() => sim.stop());

  const activities = () =>
    createPageRepush({ okta: createOktaClient({ orgUrl: sim.url, auth: { mode: 'SSWS', token: sim.apiToken }, requestTimeoutMs: 5_000 }), sync: { timeoutMs: 5_000, pollMs: 30 } });
  const repush = (input: { after?: string; limit: number; userIds?: string[] }, heartbeatDetails?: unknown) => {
    const { repushPage } = activities();
    return new MockActivityEnvironment({ heartbeatDetails }, { logger: testLogger }).run(repushPage, { appId, ...input }) as Promise<RepushPageResult>;
  };

  it('after a re-auth, synchronizes every page at about one request per user', async () => {
    sim.reauthenticate(appId, { login: 'admin@example.com' });
    const before = sim.requestCount();
    const pages: RepushPageResult[] = [];
    let after: string | undefined;
    do {
      const page = await repush({ after, limit: 50 });
      pages.push(page);
      after = page.next;
    } while (after);
    const results = pages.flatMap((p) => p.results);
    expect(pages.map((p) => p.read)).toEqual([50, 50, 20]);
    expect(results).toHaveLength(USERS);
    expect(results.filter((r) => r.outcome !== 'succeeded')).toEqual([]);
    expect(sim.requestCount({ method: 'POST' })).toBe(USERS);
    expect((sim.requestCount() - before) / USERS).toBeLessThanOrEqual(1.2);
  });

  it("with the credential still bad, ends each user still_failing with Okta's reason", async () => {
    const page = await repush({ limit: 500 });
    expect(page.results).toHaveLength(USERS);
    expect(page.results.every((r) => r.outcome === 'still_failing')).toBe(true);
    expect(page.results[0]!.detail).toMatch(/credentials used to connect to the API were invalid/);
  });

  it('where Okta ignores a POST that changes nothing, ends each user needs_manual_retry (System Log reads per page, not per user), never still_failing', async () => {
    sim.reauthenticate(appId, { login: 'admin@example.com' });
    sim.setPushBehaviour(appId, { unchangedPost: 'ignored' });
    const { repushPage } = createPageRepush({
      okta: createOktaClient({ orgUrl: sim.url, auth: { mode: 'SSWS', token: sim.apiToken }, requestTimeoutMs: 5_000 }),
      sync: { timeoutMs: 300, pollMs: 30 },
    });
    const logReads = sim.requestCount({ path: /\/api\/v1\/logs/ });
    const page = (await new MockActivityEnvironment(undefined, { logger: testLogger }).run(repushPage, { appId, limit: 20 })) as RepushPageResult;
    expect(page.results).toHaveLength(20);
    expect(page.results.every((r) => r.outcome === 'needs_manual_retry')).toBe(true);
    expect(page.results[0]!.detail).toContain(`recheck --app ${appId}`);
    expect(sim.requestCount({ path: /\/api\/v1\/logs/ }) - logReads).toBeLessThanOrEqual(2);
  });

  it('a retried attempt watches the pushes its earlier attempt made instead of pushing again', async () => {
    const first = await repush({ limit: 10 });
    const pushedAt = Object.fromEntries(first.results.map((r) => [r.userId, new Date(Date.now() - 1_000).toISOString()]));
    sim.reauthenticate(appId, { login: 'admin@example.com' });
    const posts = sim.requestCount({ method: 'POST' });
    const retried = await repush({ limit: 10 }, { pushedAt });
    expect(sim.requestCount({ method: 'POST' })).toBe(posts);
    expect(retried.results.map((r) => r.userId)).toEqual(first.results.map((r) => r.userId));
  });

  it("lists a page with each user's syncState in one request, and pushes only the users asked for", async () => {
    const before = sim.requestCount();
    const page = (await new MockActivityEnvironment({}, { logger: testLogger }).run(activities().listAppUsersPage, { appId, limit: 50 })) as AppUsersPage;
    expect(sim.requestCount() - before).toBe(1);
    expect(page.users).toHaveLength(50);
    expect(page.users.every((u) => u.syncState === 'ERROR' && u.login.endsWith('@example.com'))).toBe(true);
    expect(page.next).toBeDefined();

    sim.reauthenticate(appId, { login: 'admin@example.com' });
    const asked = page.users.slice(0, 3).map((u) => u.userId);
    const posts = sim.requestCount({ method: 'POST' });
    const done = await repush({ limit: 50, userIds: asked });
    expect(sim.requestCount({ method: 'POST' }) - posts).toBe(3);
    expect(done.results.map((r) => [r.userId, r.outcome])).toEqual(asked.map((id) => [id, 'succeeded']));
    // Asked again, they are already synchronized: no second push.
    const again = await repush({ limit: 50, userIds: asked });
    expect(sim.requestCount({ method: 'POST' }) - posts).toBe(3);
    expect(again.results.every((r) => r.outcome === 'succeeded' && r.detail.startsWith('Already synchronized'))).toBe(true);
  });
});
