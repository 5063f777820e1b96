/**
 * The Okta activities against the simulated org through the real SDK, run in Temporal's
 * MockActivityEnvironment (heartbeats, cancellation-aware sleep).
 */
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { parseAppConfig } from '../../config/app-config';
import { createOktaClient } from '../../activities/okta/client';
import { OktaSim } from '../../sim/okta';
import { readOktaActivity } from '../../activities/okta/audit';
import { eventually } from '../support/harness';
import { testLogger } from '../support/log-capture';

describe('Okta activities', () => {
  let sim: OktaSim;
  let appId: string;
  let ann: string;
  let bob: string;
  let cara: string;

  const deps = (token = sim.apiToken) => ({
    okta: createOktaClient({ orgUrl: sim.url, auth: { mode: 'SSWS' as const, token }, requestTimeoutMs: 5_000 }),
    orgUrl: sim.url,
    appConfig: parseAppConfig({}),
    vendors: {},
    lookbackHours: 24,
    sync: { timeoutMs: 5_000, pollMs: 20 },
  });
  const activities = (token = sim.apiToken) => createActivities(deps(token));
  const run = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> => new MockActivityEnvironment(undefined, { logger: testLogger }).run(fn, ...args) as Promise<R>;

  beforeEach(async () => {
    sim = new OktaSim({ syncDelayMs: 20 });
    await sim.start();
    appId = sim.addApp({ name: 'docusign', label: 'DocuSign' });
    ann = sim.addUser({ login: 'ann@example.com', firstName: 'Ann', lastName: 'Lee' });
    bob = sim.addUser({ login: 'bob@example.com', firstName: 'Bob', lastName: 'Ng' });
    cara = sim.addUser({ login: 'cara@example.com', firstName: 'Cara', lastName: 'Diaz' });
    sim.assignUser(appId, ann);
    sim.assignUser(appId, bob);
    sim.breakCredential(appId);
    sim.assignUser(appId, cara); // fails: ERROR
    sim.unassignUser(appId, bob); // failed deprovision
  });
  afterEach(() => sim.stop());

  it('diagnoses the app: credential cause first, failed deprovision and push listed', async () => {
    const d = await run(activities().diagnoseApp, { appId });
    expect(d.app).toMatchObject({ id: appId, label: 'DocuSign', vendor: 'docusign', provisioningEnabled: true });
    expect(d.causes[0]?.id).toBe('credential-invalid');
    expect(d.affected.map((a) => [a.kind, a.login])).toEqual([
      ['deprovision', 'bob@example.com'],
      ['push', 'cara@example.com'],
    ]);
    expect(d.affected[1]!.reason).toMatch(/credentials used to connect to the API were invalid/);
  });

  it('reports an unknown app as a non-retryable failure that says what to do', async () => {
    const err = await run(activities().diagnoseApp, { appId: '0oaNOSUCHAPP000000000' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'UnknownOktaApp', nonRetryable: true });
    expect((err as Error).message).toMatch(/Okta has no app with id 0oaNOSUCHAPP000000000/);
  });

  it('stops on a rejected API token without repeating the token', async () => {
    const err = await run(activities('wrong-token-value').diagnoseApp, { appId }).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'OktaAccessDenied', nonRetryable: true });
    expect((err as Error).message).toMatch(/HTTP 401/);
    expect((err as Error).message).not.toContain('wrong-token-value');
  });

  it("waits for Okta's reset after a 429 and sends again: the activity does not fail, no attempt is spent", async () => {
    const okta = createOktaClient({ orgUrl: sim.url, auth: { mode: 'SSWS', token: sim.apiToken }, requestTimeoutMs: 5_000 });
    sim.injectFault({ path: /\/api\/v1\/apps\//, status: 429, count: 1 });
    const d = await run(createActivities({ ...deps(), okta }).diagnoseApp, { appId });
    expect(d.app.id).toBe(appId);
    expect(okta.rateBudget.stats.throttled).toBe(1);
  });

  it('hands a 429 back as a retryable OktaRateLimited only after several resends in a row', async () => {
    sim.injectFault({ path: /\/api\/v1\/apps\//, status: 429, count: 6 });
    const err = await run(activities().diagnoseApp, { appId }).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'OktaRateLimited', nonRetryable: false });
    expect((err as ApplicationFailure).nextRetryDelay).toBeDefined();
  });

  it("re-push: still failing with Okta's reason while the credential is bad", async () => {
    const user = { userId: cara, login: 'cara@example.com', kind: 'push' as const, failedAt: new Date().toISOString() };
    const r = await run(activities().repushUser, { appId, user });
    expect(r).toMatchObject({ outcome: 'still_failing', syncState: 'ERROR' });
    expect(r.detail).toMatch(/credentials used to connect to the API were invalid/);
  });

  it('re-push: succeeds after re-auth, and is not pushed again once synchronized', async () => {
    const user = { userId: cara, login: 'cara@example.com', kind: 'push' as const, failedAt: new Date(Date.now() - 1000).toISOString() };
    sim.reauthenticate(appId, { login: 'admin@example.com' });
    expect(await run(activities().repushUser, { appId, user })).toMatchObject({ outcome: 'succeeded', syncState: 'SYNCHRONIZED' });
    expect(sim.appUser(appId, cara)?.syncState).toBe('SYNCHRONIZED');
    const pushes = sim.requestCount({ method: 'POST', path: new RegExp(`/api/v1/apps/${appId}/users/${cara}$`) });
    const again = await run(activities().repushUser, { appId, user });
    expect(again).toMatchObject({ outcome: 'succeeded' });
    expect(again.detail).toMatch(/Already synchronized/);
    expect(sim.requestCount({ method: 'POST', path: new RegExp(`/api/v1/apps/${appId}/users/${cara}$`) })).toBe(pushes);
  });

  describe('when a POST of an unchanged profile starts no push (Okta starts one for a change)', () => {
    const quick = () => createActivities({ ...deps(), sync: { timeoutMs: 300, pollMs: 20 } });
    const caraUser = () => ({ userId: cara, login: 'cara@example.com', kind: 'push' as const, failedAt: new Date(Date.now() - 1000).toISOString() });

    it('re-push: no new attempt in Okta ends needs_manual_retry with the Retry Selected step, never still_failing', async () => {
      sim.reauthenticate(appId, { login: 'admin@example.com' });
      sim.setPushBehaviour(appId, { unchangedPost: 'ignored' });
      const r = await run(quick().repushUser, { appId, user: caraUser() });
      expect(r).toMatchObject({ outcome: 'needs_manual_retry', syncState: 'ERROR' });
      expect(r.detail).toMatch(/no new push attempt/);
      expect(r.detail).toContain(`Dashboard > Tasks`);
      expect(r.detail).toContain(`npx okta-remediate recheck --app ${appId}`);
      expect(sim.appUser(appId, cara)?.syncState).toBe('ERROR');
    });

    it("recheck: after the admin's Retry Selected, Okta's sync settles the user; without it, they keep waiting", async () => {
      sim.reauthenticate(appId, { login: 'admin@example.com' });
      sim.setPushBehaviour(appId, { unchangedPost: 'ignored' });
      const since = new Date().toISOString();
      const before = await run(quick().recheckUsers, { appId, users: [{ ...caraUser(), since }] });
      expect(before).toEqual({ changed: [], unchanged: 1 });
      sim.retryTasks(appId, [cara]);
      await eventually(() => sim.appUser(appId, cara)?.syncState === 'SYNCHRONIZED', 'the retried push');
      const after = await run(quick().recheckUsers, { appId, users: [{ ...caraUser(), since }] });
      expect(after.changed).toEqual([expect.objectContaining({ userId: cara, outcome: 'succeeded', syncState: 'SYNCHRONIZED' })]);
    });

    it("recheck: a Retry Selected that fails again is still_failing with Okta's reason", async () => {
      const since = new Date().toISOString();
      sim.retryTasks(appId, [cara]); // the credential is still bad
      await eventually(() => sim.appUser(appId, cara)?.syncState === 'ERROR', 'the retried push');
      const after = await run(quick().recheckUsers, { appId, users: [{ ...caraUser(), since }] });
      expect(after.changed).toEqual([expect.objectContaining({ userId: cara, outcome: 'still_failing' })]);
      expect(after.changed[0]!.detail).toMatch(/credentials used to connect to the API were invalid/);
    });

    it('the same re-push where Okta pushes an unchanged POST succeeds (both behaviours are modelled)', async () => {
      sim.reauthenticate(appId, { login: 'admin@example.com' });
      sim.setPushBehaviour(appId, { unchangedPost: 'pushes' });
      expect(await run(quick().repushUser, { appId, user: caraUser() })).toMatchObject({ outcome: 'succeeded', syncState: 'SYNCHRONIZED' });
    });

    it('with Update User Attributes off, the diagnosis shows it and a re-push ends needs_manual_retry', async () => {
      sim.reauthenticate(appId, { login: 'admin@example.com' });
      sim.setPushBehaviour(appId, { capabilities: { updateProfile: false } });
      const d = await run(activities().diagnoseApp, { appId });
      expect(d.app.pushCapabilities).toEqual({ create: true, updateProfile: false, deactivate: true });
      const said = d.causes.find((c) => c.id === 'to-app-settings-off');
      expect(said?.title).toBe('Update User Attributes is off for DocuSign in Okta: a re-push pushes nothing');
      expect(said?.steps[0]).toContain('Provisioning > To App > Edit: enable Update User Attributes, and Save.');
      expect(await run(quick().repushUser, { appId, user: caraUser() })).toMatchObject({ outcome: 'needs_manual_retry' });
    });
  });

  it('re-push: skips a user no longer assigned and a failed deprovision, with reasons', async () => {
    const a = activities();
    const gone = await run(a.repushUser, { appId, user: { userId: bob, login: 'bob@example.com', kind: 'push', failedAt: new Date().toISOString() } });
    expect(gone).toMatchObject({ outcome: 'skipped' });
    expect(gone.detail).toMatch(/No longer assigned/);
    const deprov = await run(a.repushUser, { appId, user: { userId: bob, login: 'bob@example.com', kind: 'deprovision', failedAt: new Date().toISOString() } });
    expect(deprov).toMatchObject({ outcome: 'skipped' });
    expect(deprov.detail).toMatch(/remove the person at the vendor/);
  });

  it('re-push: a user unassigned while Okta syncs ends skipped as no longer assigned, not retried', async () => {
    const slowSim = new OktaSim({ syncDelayMs: 60_000 }); // Okta is still syncing when cara is unassigned
    await slowSim.start();
    try {
      const app = slowSim.addApp({ name: 'docusign', label: 'DocuSign' });
      const dana = slowSim.addUser({ login: 'dana@example.com', firstName: 'Dana', lastName: 'Ray' });
      slowSim.assignUser(app, dana);
      const a = createActivities({
        ...deps(),
        okta: createOktaClient({ orgUrl: slowSim.url, auth: { mode: 'SSWS', token: slowSim.apiToken }, requestTimeoutMs: 5_000 }),
        sync: { timeoutMs: 30_000, pollMs: 20 },
      });
      const user = { userId: dana, login: 'dana@example.com', kind: 'push' as const, failedAt: new Date(Date.now() + 60_000).toISOString() };
      const repush = run(a.repushUser, { appId: app, user });
      await eventually(() => slowSim.requestCount({ method: 'POST', path: new RegExp(`/api/v1/apps/${app}/users/${dana}$`) }) > 0, 'the push');
      slowSim.unassignUser(app, dana); // the admin unassigns dana while Okta's push is in flight
      const r = await repush;
      expect(r).toMatchObject({ outcome: 'skipped' });
      expect(r.detail).toMatch(/No longer assigned to the app in Okta \(it answered 404 during the re-push\)/);
    } finally {
      await slowSim.stop();
    }
  });

  it('audit: finds the re-auth behind thousands of sign-ins, newest first', async () => {
    sim.logSignIns(appId, ann, 5_200);
    sim.reauthenticate(appId, { login: 'admin@example.com' });
    const since = new Date(Date.now() - 3_600_000).toISOString();
    const audit = await run(activities().oktaActivitySince, { appId, since });
    expect(audit.changes.map((c) => [c.eventType, c.actor])).toEqual([['application.lifecycle.update', 'admin@example.com']]);
    expect(audit.truncatedBefore).toBeUndefined();
  });

  it('audit and diagnosis: a read cut at its cap keeps the newest events and says where it stopped', async () => {
    // An app with no users: its two re-auths are its only events (no pushes follow them).
    const quiet = sim.addApp({ name: 'zoom', label: 'Zoom' });
    sim.reauthenticate(quiet, { login: 'old.admin@example.com' });
    const first = Date.now();
    await eventually(() => Date.now() > first, 'the clock to move on, so the two re-auths are ordered');
    sim.reauthenticate(quiet, { login: 'admin@example.com' });
    // Okta's `until` is exclusive: read from a later millisecond than the newest event's.
    const second = Date.now();
    await eventually(() => Date.now() > second, 'the clock to move on past the second re-auth');
    const since = new Date(Date.now() - 3_600_000).toISOString();
    const audit = await readOktaActivity(deps().okta, quiet, since, new Date(), 1);
    expect(audit.changes.map((c) => c.actor)).toEqual(['admin@example.com']);
    expect(audit.truncatedBefore).toBe(sim.events().find((e) => e.actor.alternateId === 'old.admin@example.com')!.published);

    sim.breakCredential(appId);
    sim.assignUser(appId, bob); // a newer failure than cara's
    const d = await run(createActivities({ ...deps(), maxLogEvents: 1 }).diagnoseApp, { appId });
    expect(d.window.truncatedBefore).toBeDefined();
    expect(d.hints).toContainEqual(expect.stringMatching(/only those after .* were read/));
    expect(d.affected.find((u) => u.userId === bob)?.reason).toMatch(/credentials used to connect/);
  });
});

describe("the worker's Okta rate budget", () => {
  let strict: OktaSim;
  afterEach(() => strict.stop());

  it('paces a burst by the X-Rate-Limit headers: every request answered, no 429, the budget shared by all callers', async () => {
    // A real org's rules (one bucket for /api/v1/apps, half of it for a token), scaled in time.
    strict = new OktaSim({ rateLimit: { limit: 20, windowMs: 1_500 }, latencyMs: 5 });
    await strict.start();
    const app = strict.addApp({ name: 'docusign', label: 'DocuSign' });
    const okta = createOktaClient({ orgUrl: strict.url, auth: { mode: 'SSWS', token: strict.apiToken }, requestTimeoutMs: 5_000 });
    const answers = await Promise.all(Array.from({ length: 35 }, () => okta.applicationApi.getApplication({ appId: app })));
    expect(answers.every((a) => a.id === app)).toBe(true);
    expect(okta.rateBudget.stats).toMatchObject({ requests: 35, throttled: 0 });
    expect(strict.requestCount({ method: 'GET', path: /^\/api\/v1\/apps\// })).toBe(35);
  });

  it("keeps at most its concurrency in flight, under the org's cap", async () => {
    strict = new OktaSim({ rateLimit: { concurrency: 3 }, latencyMs: 50 });
    await strict.start();
    const app = strict.addApp({ name: 'docusign', label: 'DocuSign' });
    const okta = createOktaClient({ orgUrl: strict.url, auth: { mode: 'SSWS', token: strict.apiToken }, requestTimeoutMs: 5_000, pacing: { share: 0.5, concurrency: 3 } });
    await Promise.all(Array.from({ length: 12 }, () => okta.applicationApi.getApplication({ appId: app })));
    expect(okta.rateBudget.stats).toMatchObject({ requests: 12, throttled: 0 });
  });
});
