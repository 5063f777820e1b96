/**
 * The simulator against Okta's OpenAPI description: every answer below (successes and errors) is
 * checked for a declared status, a body that validates against the declared schema, and the
 * X-Rate-Limit-* headers, besides the assertions on its content.
 */
import { OktaSim, type AppUser, type LogEvent, type OktaErrorBody, type SimState } from '../../sim/okta';
import { seedDemo, type SeededDemo } from '../../sim/seed';
import { SimWorld } from '../../sim/world';
import { SCOPE_BY_OPERATION } from '../../sim/okta/oauth/scopes';
import type { Answer } from './support/contract';
import { OktaContract } from './support/okta-contract';
import { call, linkRel, type CallOptions } from './support/http';
import { waitFor } from './support/wait';

const OPERATIONS: Array<[string, string]> = [
  ['GET', '/api/v1/apps'],
  ['GET', '/api/v1/apps/{appId}'],
  ['GET', '/api/v1/apps/{appId}/features'],
  ['GET', '/api/v1/apps/{appId}/features/{name}'],
  ['GET', '/api/v1/apps/{appId}/connections/default'],
  ['GET', '/api/v1/apps/{appId}/users'],
  ['GET', '/api/v1/apps/{appId}/users/{userId}'],
  ['POST', '/api/v1/apps/{appId}/users/{userId}'],
  ['POST', '/api/v1/apps/{appId}/users'],
  ['DELETE', '/api/v1/apps/{appId}/users/{userId}'],
  ['GET', '/api/v1/users/{userId}'],
  ['GET', '/api/v1/logs'],
];

interface App {
  id: string;
  name: string;
  label: string;
  signOnMode: string;
  settings: { app: Record<string, unknown> };
}

let contract: OktaContract;

beforeAll(async () => {
  contract = await OktaContract.load();
  contract.precompile(OPERATIONS);
}, 60_000);

it("every operation the simulator serves asks an access token for the scope the description's security lists", () => {
  expect(Object.keys(SCOPE_BY_OPERATION).sort()).toEqual(OPERATIONS.map(([method, template]) => `${method} ${template}`).sort());
  for (const [method, template] of OPERATIONS)
    expect([method, template, contract.oauthScopes(method, template)]).toEqual([method, template, expect.arrayContaining([SCOPE_BY_OPERATION[`${method} ${template}`]])]);
});

describe('the simulated Okta org honours management.yaml', () => {
  let sim: OktaSim;
  let seeded: SeededDemo;

  beforeEach(async () => {
    sim = new OktaSim({ syncDelayMs: 20 });
    await sim.start();
    seeded = seedDemo(sim);
  });
  afterEach(() => sim.stop());

  /** Calls the simulator and checks the answer against the contract. */
  async function api(method: string, path: string, opts: Partial<CallOptions> = {}): Promise<Answer> {
    const answer = await call(sim.url, method, path, { token: sim.apiToken, ...opts });
    contract.expectValid(answer);
    return answer;
  }

  async function get<T>(path: string): Promise<T> {
    const answer = await api('GET', path);
    expect(answer.status).toBe(200);
    return answer.body as T;
  }

  /** Follows `next` links from `path` and returns every item and how many pages it took. */
  async function all<T>(path: string): Promise<{ items: T[]; pages: number }> {
    const items: T[] = [];
    let url: string | undefined = path;
    let pages = 0;
    while (url) {
      const answer = await api('GET', url);
      expect(answer.status).toBe(200);
      expect(linkRel(answer.headers, 'self')).toBeDefined();
      items.push(...(answer.body as T[]));
      pages += 1;
      url = linkRel(answer.headers, 'next');
    }
    return { items, pages };
  }

  function expectError(answer: Answer, status: number, errorCode: string, summary?: string | RegExp): void {
    expect(answer.status).toBe(status);
    const body = answer.body as OktaErrorBody;
    expect(body).toMatchObject({ errorCode, errorLink: errorCode, errorCauses: expect.any(Array) });
    expect(body.errorId).toMatch(/^oae/);
    if (summary) expect(body.errorSummary).toMatch(summary);
  }

  it('has a checker that rejects what the spec forbids (so passing means something)', async () => {
    const app = await api('GET', `/api/v1/apps/${seeded.docusign.appId}`);
    const body = app.body as Record<string, unknown>;
    const mutated = (patch: Record<string, unknown>, headers = app.headers): Answer => ({ ...app, headers, body: { ...body, ...patch } });
    // The discriminator: an AUTO_LOGIN app must carry settings.signOn.loginUrl (AutoLoginApplication).
    expect(contract.problems(mutated({ signOnMode: 'AUTO_LOGIN', settings: { signOn: {} } })).join()).toMatch(/loginUrl/);
    expect(contract.problems(mutated({ status: 'BROKEN' })).join()).toMatch(/allowed values/);
    expect(contract.problems(mutated({ created: 'yesterday' })).join()).toMatch(/date-time/);
    const noReset = new Headers(app.headers);
    noReset.delete('x-rate-limit-reset');
    expect(contract.problems(mutated({}, noReset))).toEqual(['header X-Rate-Limit-Reset is missing']);

    const user = await api('GET', `/api/v1/users/${seeded.users['maya.patel@example.com']}`);
    const profile = (user.body as { profile: object }).profile;
    // nullable: true is honoured, and only where the spec says so.
    expect(contract.problems({ ...user, body: { ...(user.body as object), profile: { ...profile, secondEmail: null } } })).toEqual([]);
    expect(contract.problems({ ...user, body: { ...(user.body as object), profile: { ...profile, email: null } } }).join()).toMatch(/profile\/email/);

    const logs = await api('GET', `/api/v1/logs?until=${new Date(Date.now() + 1000).toISOString()}&limit=1`);
    const [event] = logs.body as LogEvent[];
    const long = { ...logs, body: [{ ...event, outcome: { result: 'FAILURE', reason: 'x'.repeat(256) } }] };
    expect(contract.problems(long).join()).toMatch(/must NOT have more than 255 characters/);
    expect(contract.problems({ ...logs, status: 201 })).toEqual(['status 201 is not declared for GET /api/v1/logs']);
  });

  describe('applications', () => {
    it('lists apps with limit/after pagination and q/filter', async () => {
      const { items, pages } = await all<App>('/api/v1/apps?limit=1');
      expect(pages).toBe(2);
      expect(items.map((a) => [a.name, a.label, a.signOnMode])).toEqual([
        ['docusign', 'DocuSign', 'SAML_2_0'],
        ['githubcloud', 'GitHub Enterprise Cloud - Organization', 'SAML_2_0'],
      ]);
      expect((await get<App[]>('/api/v1/apps?q=git')).map((a) => a.id)).toEqual([seeded.github.appId]);
      expect((await get<App[]>(`/api/v1/apps?filter=${encodeURIComponent('name eq "docusign"')}`)).map((a) => a.id)).toEqual([seeded.docusign.appId]);
    });

    it('gets an app, and answers 404 E0000007 for an unknown one', async () => {
      const app = await get<App>(`/api/v1/apps/${seeded.github.appId}`);
      expect(app).toMatchObject({ id: seeded.github.appId, status: 'ACTIVE', settings: { app: { githubOrg: 'example-eng' } } });
      expectError(await api('GET', '/api/v1/apps/0oa00000000000000000'), 404, 'E0000007', 'Not found: Resource not found: 0oa00000000000000000 (AppInstance)');
    });

    it('validates a generic (AUTO_LOGIN) app against its mapped schema too', async () => {
      const id = sim.addApp({ name: 'zendesk', label: 'Zendesk' });
      expect(await get<App>(`/api/v1/apps/${id}`)).toMatchObject({ signOnMode: 'AUTO_LOGIN' });
    });

    it('shows USER_PROVISIONING enabled, and 404 for a feature the app lacks', async () => {
      const base = `/api/v1/apps/${seeded.docusign.appId}/features`;
      const features = await get<Array<{ name: string; status: string }>>(base);
      expect(features.map((f) => [f.name, f.status])).toEqual([['USER_PROVISIONING', 'ENABLED']]);
      expect(await get(`${base}/USER_PROVISIONING`)).toMatchObject({ capabilities: { update: { profile: { status: 'ENABLED' } } } });
      expectError(await api('GET', `${base}/INBOUND_PROVISIONING`), 404, 'E0000007');
      expectError(await api('GET', '/api/v1/apps/0oa00000000000000000/features'), 404, 'E0000007');
    });

    it('answers connections/default for apps outside the connection API with status UNKNOWN', async () => {
      expect(await get(`/api/v1/apps/${seeded.docusign.appId}/connections/default`)).toMatchObject({
        status: 'UNKNOWN',
        profile: { authScheme: 'UNKNOWN' },
      });
    });
  });

  describe('application users', () => {
    it('lists app users across pages, and filters with q', async () => {
      const { items, pages } = await all<AppUser>(`/api/v1/apps/${seeded.docusign.appId}/users?limit=3`);
      expect(pages).toBe(3);
      expect(items).toHaveLength(8);
      expect(
        items
          .filter((u) => u.syncState === 'ERROR')
          .map((u) => u.id)
          .sort(),
      ).toEqual([...seeded.docusign.pushFailed].sort());
      for (const gone of seeded.docusign.deprovisionFailed) expect(items.map((u) => u.id)).not.toContain(gone);
      const maya = await get<AppUser[]>(`/api/v1/apps/${seeded.docusign.appId}/users?q=maya`);
      expect(maya.map((u) => u.credentials.userName)).toEqual(['maya.patel@example.com']);
    });

    it('gets an app user; 404 for one that is not assigned', async () => {
      const [userId] = seeded.github.pushFailed;
      const u = await get<AppUser>(`/api/v1/apps/${seeded.github.appId}/users/${userId}`);
      expect(u).toMatchObject({ id: userId, scope: 'USER', syncState: 'ERROR' });
      const [gone] = seeded.github.deprovisionFailed;
      expectError(await api('GET', `/api/v1/apps/${seeded.github.appId}/users/${gone}`), 404, 'E0000007', `Not found: Resource not found: ${gone} (AppUser)`);
    });

    it('pushes: 200 SYNCING, then ERROR while the credential is bad, SYNCHRONIZED after re-auth', async () => {
      const appId = seeded.docusign.appId;
      const [userId] = seeded.docusign.pushFailed;
      const path = `/api/v1/apps/${appId}/users/${userId}`;
      const current = await get<AppUser>(path);

      const pushed = await api('POST', path, { body: { profile: current.profile } });
      expect(pushed.status).toBe(200);
      expect((pushed.body as AppUser).syncState).toBe('SYNCING');
      await waitFor(async () => ((await get<AppUser>(path)).syncState === 'ERROR' ? true : undefined), 'the push to fail');

      sim.reauthenticate(appId, { login: 'admin@example.com' });
      await api('POST', path, { body: { profile: current.profile } });
      const done = await waitFor(async () => {
        const u = await get<AppUser>(path);
        return u.syncState === 'SYNCHRONIZED' ? u : undefined;
      }, 'the push to succeed');
      expect(done.status).toBe('PROVISIONED');
      expect(Date.parse(done.lastSync!)).toBeGreaterThan(Date.parse(current.lastUpdated));
    });

    it('rejects malformed pushes and pushes to unknown users', async () => {
      const path = `/api/v1/apps/${seeded.docusign.appId}/users/${seeded.docusign.pushFailed[0]}`;
      expectError(await api('POST', path, { body: '{"profile":' }), 400, 'E0000003');
      expectError(await api('POST', path, { body: [1, 2] }), 400, 'E0000001');
      expectError(await api('POST', path, { body: { profile: 'x' } }), 400, 'E0000001');
      expectError(await api('POST', `/api/v1/apps/${seeded.docusign.appId}/users/00u00000000000000000`, { body: {} }), 404, 'E0000007');
    });
  });

  describe('assigning and unassigning (the test-user round trip)', () => {
    const omar = (): string => seeded.users['omar.haddad@example.com']!;
    const events = (type: string, userId: string, appId: string): LogEvent[] =>
      sim.events().filter((e) => e.eventType === type && e.target.some((t) => t.id === userId) && e.target.some((t) => t.id === appId));

    it('assigns: 200 with the new app user SYNCING, then ERROR while the credential is bad; SYNCHRONIZED after re-auth', async () => {
      const appId = seeded.docusign.appId;
      const assigned = await api('POST', `/api/v1/apps/${appId}/users`, { body: { id: omar(), scope: 'USER', credentials: { userName: 'omar.haddad@example.com' } } });
      expect(assigned.status).toBe(200);
      expect(assigned.body).toMatchObject({ id: omar(), scope: 'USER', status: 'STAGED', syncState: 'SYNCING', credentials: { userName: 'omar.haddad@example.com' } });
      expect(assigned.body).not.toHaveProperty('externalId');
      const path = `/api/v1/apps/${appId}/users/${omar()}`;
      await waitFor(async () => ((await get<AppUser>(path)).syncState === 'ERROR' ? true : undefined), 'the assignment push to fail');
      expect(events('application.user_membership.add', omar(), appId)).toHaveLength(1);
      expect(events('application.provision.user.push', omar(), appId).map((e) => e.outcome.result)).toEqual(['FAILURE']);

      sim.reauthenticate(appId);
      // Assigning an assigned user updates the assignment, and pushes again.
      const again = await api('POST', `/api/v1/apps/${appId}/users`, { body: { id: omar(), profile: { title: 'Analyst' } } });
      expect(again.body).toMatchObject({ id: omar(), syncState: 'SYNCING', profile: { title: 'Analyst' } });
      const done = await waitFor(async () => {
        const u = await get<AppUser>(path);
        return u.syncState === 'SYNCHRONIZED' ? u : undefined;
      }, 'the assignment to provision');
      expect(done).toMatchObject({ status: 'PROVISIONED', externalId: expect.any(String) });
      expect(events('application.user_membership.add', omar(), appId)).toHaveLength(1);
    });

    it('rejects assignments without a user id, of another scope, of unknown users and to unknown apps', async () => {
      const path = `/api/v1/apps/${seeded.github.appId}/users`;
      expectError(await api('POST', path, { body: {} }), 400, 'E0000001', 'Api validation failed: id');
      expectError(await api('POST', path, { body: { id: omar(), scope: 'GROUP' } }), 400, 'E0000001');
      expectError(await api('POST', path, { body: { id: omar(), credentials: { userName: '' } } }), 400, 'E0000001');
      expectError(await api('POST', path, { body: '{"id":' }), 400, 'E0000003');
      expectError(await api('POST', path, { body: { id: '00u00000000000000000' } }), 404, 'E0000007', 'Not found: Resource not found: 00u00000000000000000 (User)');
      expectError(await api('POST', '/api/v1/apps/0oa00000000000000000/users', { body: { id: omar() } }), 404, 'E0000007', /AppInstance/);
    });

    it('unassigns: 204 without a body, the app user is gone at once, the deactivation is logged when the job runs', async () => {
      const appId = seeded.github.appId;
      const userId = seeded.users['daniel.okafor@example.com']!;
      const path = `/api/v1/apps/${appId}/users/${userId}`;
      const removed = await api('DELETE', path);
      expect(removed.status).toBe(204);
      expect(removed.body).toBeUndefined();
      expectError(await api('GET', path), 404, 'E0000007', /AppUser/);
      expect(events('application.user_membership.remove', userId, appId)).toHaveLength(1);
      const deactivated = await waitFor(() => events('application.provision.user.deactivate', userId, appId)[0], 'the deactivation job');
      // The demo's GitHub credential is bad: the deprovision fails and the person keeps access.
      expect(deactivated.outcome).toMatchObject({ result: 'FAILURE', reason: expect.stringContaining('The credentials used to connect to the API were invalid') });

      expectError(await api('DELETE', path), 404, 'E0000007', /AppUser/);
      expectError(await api('DELETE', `/api/v1/apps/0oa00000000000000000/users/${userId}`), 404, 'E0000007', /AppInstance/);
    });
  });

  describe('users', () => {
    it('finds a user by id, login or short login; 404 otherwise', async () => {
      const id = seeded.users['grace.kim@example.com']!;
      for (const key of [id, 'grace.kim@example.com', 'grace.kim']) {
        expect(await get(`/api/v1/users/${encodeURIComponent(key)}`)).toMatchObject({ id, profile: { firstName: 'Grace', lastName: 'Kim' } });
      }
      expectError(await api('GET', '/api/v1/users/nobody@example.com'), 404, 'E0000007', 'Not found: Resource not found: nobody@example.com (User)');
    });
  });

  describe('System Log', () => {
    const q = (params: Record<string, string>): string => `/api/v1/logs?${new URLSearchParams(params)}`;

    it('pages a bounded query (with until) and stops at the end', async () => {
      const since = new Date(Date.now() - 60_000).toISOString();
      const until = new Date(Date.now() + 1_000).toISOString();
      const { items, pages } = await all<LogEvent>(q({ since, until, limit: '7' }));
      const expected = sim.events();
      expect(items.map((e) => e.uuid)).toEqual(expected.map((e) => e.uuid));
      expect(pages).toBe(Math.ceil(expected.length / 7));
    });

    it('keeps a polling query (no until) open: a next link even on an empty page, which later finds new events', async () => {
      const since = new Date(Date.now() + 1).toISOString();
      await new Promise((resolve) => setTimeout(resolve, 5));
      const first = await api('GET', q({ since }));
      expect(first.body).toEqual([]);
      const next = linkRel(first.headers, 'next');
      expect(next).toBeDefined();

      sim.breakCredential(seeded.docusign.appId);
      sim.assignUser(seeded.docusign.appId, seeded.users['omar.haddad@example.com']!);
      const later = await api('GET', next!);
      expect((later.body as LogEvent[]).map((e) => e.eventType)).toEqual(['application.user_membership.add', 'application.integration.authentication_failure', 'application.provision.user.push']);
      const after = await api('GET', linkRel(later.headers, 'next')!);
      expect(after.body).toEqual([]);
      expect(linkRel(after.headers, 'next')).toBeDefined();
    });

    it('filters with eq/sw/co/pr, and/or and parentheses over dotted and array paths', async () => {
      const until = new Date(Date.now() + 1_000).toISOString();
      const appId = seeded.github.appId;
      const events = sim.events();
      const failuresOfApp = events.filter((e) => e.outcome.result === 'FAILURE' && e.target.some((t) => t.id === appId));
      const byFilter = async (filter: string): Promise<string[]> => (await all<LogEvent>(q({ until, filter, limit: '3' }))).items.map((e) => e.uuid);

      expect(await byFilter(`target.id eq "${appId}" and outcome.result eq "FAILURE"`)).toEqual(failuresOfApp.map((e) => e.uuid));
      expect(failuresOfApp.map((e) => e.eventType).sort()).toEqual([
        'application.integration.authentication_failure',
        'application.provision.user.deactivate',
        'application.provision.user.push',
        'application.provision.user.push_profile',
        'application.provision.user.push_profile',
      ]);
      const deactivations = events.filter((e) => e.eventType === 'application.provision.user.deactivate' && e.outcome.result === 'FAILURE');
      expect(await byFilter('eventType eq "application.provision.user.deactivate" and outcome.result eq "FAILURE"')).toEqual(deactivations.map((e) => e.uuid));
      expect(await byFilter('(eventType sw "application.provision.user.push" or eventType eq "application.lifecycle.update") and outcome.reason co "javax.ws.rs"')).toEqual(
        events.filter((e) => e.eventType.startsWith('application.provision.user.push') && e.outcome.reason?.includes('javax.ws.rs')).map((e) => e.uuid),
      );
      expect((await byFilter('outcome.reason pr')).length).toBe(events.filter((e) => e.outcome.reason).length);
    });

    it('sorts DESCENDING and searches keywords with q', async () => {
      const until = new Date(Date.now() + 1_000).toISOString();
      const desc = await get<LogEvent[]>(q({ until, sortOrder: 'DESCENDING', limit: '1000' }));
      expect(desc.map((e) => e.uuid)).toEqual(
        sim
          .events()
          .reverse()
          .map((e) => e.uuid),
      );
      const javax = await get<LogEvent[]>(q({ until, q: 'javax.ws.rs.BadRequestException' }));
      expect(javax.length).toBe(seeded.docusign.pushFailed.length + seeded.docusign.deprovisionFailed.length);
    });

    it('rejects a malformed filter with 400 E0000031, and bad parameters with 400 E0000001', async () => {
      for (const filter of ['eventType eq', 'eventType zz "x"', '(eventType eq "x"', 'eventType eq "x" and', 'nosuch.attr eq "x"', 'eventType eq "unterminated']) {
        expectError(await api('GET', q({ filter })), 400, 'E0000031', 'Invalid search criteria.');
      }
      expectError(await api('GET', q({ since: 'yesterday' })), 400, 'E0000001');
      expectError(await api('GET', q({ sortOrder: 'SIDEWAYS' })), 400, 'E0000001');
      expectError(await api('GET', q({ limit: 'many' })), 400, 'E0000001');
    });
  });

  describe('the provisioning failures it records', () => {
    it('writes Okta-like FAILURE events: system actor, AppInstance and User targets, the credential message', async () => {
      const events = sim.events().filter((e) => e.outcome.result === 'FAILURE' && e.eventType.startsWith('application.provision.'));
      const docusign = events.find((e) => e.target[0]?.id === seeded.docusign.appId && e.eventType === 'application.provision.user.push_profile')!;
      expect(docusign).toMatchObject({
        severity: 'ERROR',
        actor: { type: 'SystemPrincipal', displayName: 'Okta System' },
        displayMessage: 'Push user profile update to external application',
        target: [
          { type: 'AppInstance', id: seeded.docusign.appId, alternateId: 'DocuSign', displayName: 'DocuSign' },
          { type: 'User', id: seeded.docusign.pushFailed[0], alternateId: 'maya.patel@example.com', displayName: 'Maya Patel' },
        ],
        outcome: {
          reason:
            'Automatic provisioning of user Maya Patel to app DocuSign failed: The credentials used to connect to the API were invalid; please check your configuration. javax.ws.rs.BadRequestException: HTTP 400 Bad Request',
        },
      });
      expect(docusign.debugContext.debugData.errorMessage).toBe(docusign.outcome.reason);
      const github = events.find((e) => e.target[0]?.id === seeded.github.appId)!;
      expect(github.outcome.reason).toMatch(/^Automatic provisioning of user \S+ \S+ to app GitHub Enterprise Cloud - Organization failed: The credentials/);
      expect(github.outcome.reason).not.toMatch(/javax/);
      const deprovisions = events.filter((e) => e.eventType === 'application.provision.user.deactivate').map((e) => e.target[1]?.id);
      expect(deprovisions.sort()).toEqual([...seeded.docusign.deprovisionFailed, ...seeded.github.deprovisionFailed].sort());
    });
  });

  describe('authentication, rate limits and faults', () => {
    it('answers 401 E0000011 without a valid SSWS token', async () => {
      for (const token of [null, 'wrong', `${sim.apiToken}x`]) {
        expectError(await api('GET', '/api/v1/apps', { token }), 401, 'E0000011', 'Invalid token provided');
      }
      const bearer = await fetch(`${sim.url}/api/v1/apps`, { headers: { Authorization: `Bearer ${sim.apiToken}` } });
      expect(bearer.status).toBe(401);
    });

    it('injects 429/500/502/503 faults for the next N matching requests', async () => {
      sim.injectFault({ path: /^\/api\/v1\/apps$/, status: 429, count: 1 });
      const limited = await api('GET', '/api/v1/apps');
      expectError(limited, 429, 'E0000047', 'API call exceeded rate limit due to too many requests.');
      expect(limited.headers.get('x-rate-limit-remaining')).toBe('0');
      const reset = Number(limited.headers.get('x-rate-limit-reset'));
      expect(reset * 1000).toBeGreaterThan(Date.now());
      expect(reset * 1000).toBeLessThanOrEqual(Date.now() + 2_000);
      expect((await api('GET', '/api/v1/apps')).status).toBe(200);

      sim.injectFault({ method: 'POST', path: /\/users\//, status: 500, count: 2 });
      const appUser = `/api/v1/apps/${seeded.github.appId}/users/${seeded.github.pushFailed[0]}`;
      expect((await api('GET', appUser)).status).toBe(200);
      expectError(await api('POST', appUser, { body: {} }), 500, 'E0000009');
      expectError(await api('POST', appUser, { body: {} }), 500, 'E0000009');
      expect((await api('POST', appUser, { body: {} })).status).toBe(200);

      sim.injectFault({ path: /\/logs/, status: 502, count: 1 });
      sim.injectFault({ path: /\/logs/, status: 503, count: 1 });
      expect((await api('GET', '/api/v1/logs')).status).toBe(502);
      expect((await api('GET', '/api/v1/logs')).status).toBe(503);
      expect((await api('GET', '/api/v1/logs?until=2030-01-01T00:00:00Z')).status).toBe(200);
    });

    it('404s unknown routes and 405s unsupported methods, Okta-shaped', async () => {
      expectError(await api('GET', '/api/v1/nothing-here'), 404, 'E0000007');
      const wrongMethod = await api('DELETE', `/api/v1/apps/${seeded.docusign.appId}`);
      expectError(wrongMethod, 405, 'E0000022');
      expect(wrongMethod.headers.get('allow')).toBe('GET');
    });
  });

  describe('simulator admin endpoints', () => {
    it('breaks and re-authenticates an app, assigns and unassigns, and shows the state', async () => {
      const appId = seeded.github.appId;
      const state = async (): Promise<SimState['apps'][number]> => (await get<SimState>('/sim/v1/state')).apps.find((a) => a.id === appId)!;
      expect((await state()).credentialValid).toBe(false);

      const reauth = await api('POST', `/sim/v1/apps/${appId}/reauth`, { body: { login: 'grace.kim@example.com' } });
      expect(reauth.body).toEqual({ appId, credentialValid: true });
      expect((await state()).credentialValid).toBe(true);
      const update = sim
        .events()
        .filter((e) => e.eventType === 'application.lifecycle.update')
        .pop()!;
      expect(update).toMatchObject({
        outcome: { result: 'SUCCESS' },
        actor: { id: seeded.users['grace.kim@example.com'], type: 'User', alternateId: 'grace.kim@example.com' },
        target: [{ id: appId, type: 'AppInstance' }],
      });

      const mateo = seeded.users['mateo.alvarez@example.com']!;
      const assigned = await api('POST', `/sim/v1/apps/${appId}/users/${mateo}/assign`, { body: { profile: { title: 'Designer' } } });
      expect(assigned.body).toMatchObject({ id: mateo, syncState: 'SYNCHRONIZED', profile: { title: 'Designer' } });

      expect((await api('POST', `/sim/v1/apps/${appId}/break`)).body).toEqual({ appId, credentialValid: false });
      expect((await api('POST', `/sim/v1/apps/${appId}/users/${mateo}/unassign`)).status).toBe(204);
      expect((await state()).users.map((u) => u.id)).not.toContain(mateo);
      expect(sim.events().pop()).toMatchObject({ eventType: 'application.provision.user.deactivate', outcome: { result: 'FAILURE' } });

      expectError(await api('POST', `/sim/v1/apps/0oa00000000000000000/reauth`), 404, 'E0000007');
      expectError(await api('POST', `/sim/v1/apps/${appId}/reauth`, { body: { login: 42 } }), 400, 'E0000001');
      expectError(await api('POST', `/sim/v1/apps/${appId}/reauth`, { body: { settings: 'x' } }), 400, 'E0000001');

      // Settings typed in the console are merged into settings.app.
      await api('POST', `/sim/v1/apps/${appId}/reauth`, { body: { login: 'admin@example.com', settings: { githubOrg: 'example-platform' } } });
      expect((await get<App>(`/api/v1/apps/${appId}`)).settings.app).toEqual({ githubOrg: 'example-platform' });
      expectError(await api('GET', '/sim/v1/state', { token: null }), 401, 'E0000011');
    });
  });
});

describe('an org whose apps are linked to vendor simulators (SimWorld)', () => {
  let world: SimWorld;
  beforeEach(async () => {
    // Nothing here talks TLS to DocuSign, so this process need not trust the simulator CA.
    world = await SimWorld.start({ syncDelayMs: 20, requireTrustedCa: false });
    world.seed();
  });
  afterEach(() => world.stop());

  const api = async (method: string, path: string, opts: Partial<CallOptions> = {}): Promise<Answer> => {
    const answer = await call(world.okta.url, method, path, { token: world.okta.apiToken, ...opts });
    contract.expectValid(answer);
    return answer;
  };

  it('re-authenticates with typed settings: the vendor decides whether it worked; a failed vendor sign-in is a 400 and saves nothing', async () => {
    const { docusign } = world.seeded;
    world.breakDocuSign('admin_closed');
    const reauth = `/sim/v1/apps/${docusign.appId}/reauth`;
    const refused = await api('POST', reauth);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ errorCode: 'E0000001', errorCauses: [{ errorSummary: expect.stringContaining('cannot sign in to DocuSign') }] });

    const wrong = await api('POST', reauth, { body: { login: docusign.backupAdminEmail, settings: { apiAccountId: docusign.foreignAccountId } } });
    expect(wrong.body).toEqual({ appId: docusign.appId, credentialValid: false });
    const app = await api('GET', `/api/v1/apps/${docusign.appId}`);
    expect((app.body as App).settings.app).toEqual({ apiAccountId: docusign.foreignAccountId });
    const right = await api('POST', reauth, { body: { login: docusign.backupAdminEmail, settings: { apiAccountId: docusign.apiAccountId } } });
    expect(right.body).toEqual({ appId: docusign.appId, credentialValid: true });

    const broken = await api('POST', `/sim/v1/apps/${docusign.appId}/break`);
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ errorCauses: [{ errorSummary: expect.stringContaining('linked to a vendor simulator') }] });
  });

  it('serves assignments and unassignments of linked apps the same way', async () => {
    const { github, users, testUser } = world.seeded;
    const userId = users[testUser]!;
    const assigned = await api('POST', `/api/v1/apps/${github.appId}/users`, { body: { id: userId, scope: 'USER' } });
    expect(assigned.body).toMatchObject({ syncState: 'SYNCING', credentials: { userName: testUser } });
    await waitFor(() => (world.vendorAccess(github.appId, testUser) === 'active' ? true : undefined), 'the SCIM identity');
    expect((await api('GET', `/api/v1/apps/${github.appId}/users/${userId}`)).body).toMatchObject({ syncState: 'SYNCHRONIZED' });
    expect((await api('DELETE', `/api/v1/apps/${github.appId}/users/${userId}`)).status).toBe(204);
    await waitFor(() => (world.vendorAccess(github.appId, testUser) === 'absent' ? true : undefined), 'the SCIM identity to go');
  });
});

describe('rate limits as a real org applies them', () => {
  let sim: OktaSim | undefined;
  afterEach(() => sim?.stop());
  const started = async (opts: ConstructorParameters<typeof OktaSim>[0]) => {
    sim = new OktaSim(opts);
    await sim.start();
    return sim;
  };

  it("counts an app's GETs and its app users' POSTs in one /api/v1/apps bucket, and answers 429 E0000047 past it", async () => {
    const s = await started({ rateLimit: { limit: 4, tokenShare: 1 } });
    const app = s.addApp({ name: 'docusign', label: 'DocuSign' });
    const other = s.addApp({ name: 'githubcloud', label: 'GitHub' });
    const user = s.addUser({ login: 'ann@example.com', firstName: 'Ann', lastName: 'Lee' });
    s.assignUser(app, user);
    const answers: Answer[] = [];
    const get = (path: string) => call(s.url, 'GET', path, { token: s.apiToken });
    answers.push(await get(`/api/v1/apps/${app}`), await get(`/api/v1/apps/${other}`));
    answers.push(await call(s.url, 'POST', `/api/v1/apps/${app}/users/${user}`, { token: s.apiToken, body: {} }));
    answers.push(await get(`/api/v1/apps/${app}/users`), await get(`/api/v1/apps/${app}`));
    for (const a of answers) contract.expectValid(a);
    expect(answers.map((a) => [a.status, a.headers.get('x-rate-limit-remaining')])).toEqual([
      [200, '3'],
      [200, '2'],
      [200, '1'],
      [200, '0'],
      [429, '0'],
    ]);
    expect(answers[4]!.body).toMatchObject({ errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.', errorCauses: [] });
    expect(Number(answers[4]!.headers.get('x-rate-limit-reset'))).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 59);

    // The System Log and the users have buckets of their own.
    const logs = await get('/api/v1/logs');
    contract.expectValid(logs);
    expect([logs.status, logs.headers.get('x-rate-limit-limit'), logs.headers.get('x-rate-limit-remaining')]).toEqual([200, '4', '3']);
    expect((await get(`/api/v1/users/${user}`)).status).toBe(200);
  });

  it('gives one API token half of each bucket by default', async () => {
    const s = await started({ rateLimit: { limit: 4 } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(s.url, 'GET', '/api/v1/apps', { token: s.apiToken })).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it("answers 429 to the first request past the org's concurrency cap", async () => {
    const s = await started({ rateLimit: { concurrency: 2 }, latencyMs: 200 });
    const answers = await Promise.all([0, 1, 2, 3].map(() => call(s.url, 'GET', '/api/v1/apps', { token: s.apiToken })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 429, 429]);
    for (const a of answers) contract.expectValid(a);
    expect((await call(s.url, 'GET', '/api/v1/apps', { token: s.apiToken })).status).toBe(200);
  });
});
