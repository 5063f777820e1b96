/**
 * The person at GitHub as Okta provisioned them: the GitHub vendor module finds a SCIM identity by
 * the Okta user id (externalId) first, then by userName, against the simulated GitHub; someone
 * found by neither is 'not_found', never removed; a removal counts only once the SCIM identity and
 * the org membership of the account it was linked to (read through GraphQL) are both gone.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { createGitHubVendor } from '../../activities/vendors/github';
import type { VendorContext, VendorModule } from '../../activities/vendors/types';
import { GitHubSim, seedGitHubScenario, type GitHubScenario } from '../../sim/github';

let sim: GitHubSim;
let w: GitHubScenario;
let vendor: VendorModule;
let proxy: Server | undefined;

const ctx = (): VendorContext => ({
  app: { id: '0oagithub1', name: 'githubcloud', label: 'GitHub', status: 'ACTIVE', vendor: 'github', provisioningEnabled: true, provisioningUrl: '' },
  oktaSettings: {},
  settings: { github: { org: w.org, serviceAccountPattern: '(svc|okta)', requireDedicatedServiceAccount: true } },
  credentialFailing: false,
});

/** Ada, as Okta first provisioned her: userName her old Okta username, externalId her Okta user id; her GitHub account accepted the invitation. */
function provisionAda(): void {
  sim.addUser({ login: 'ada-gh', email: 'ada@acme.example' });
  sim.scimProvision(w.org, { userName: 'ada@acme.example', email: 'ada@acme.example', givenName: 'Ada', familyName: 'Lovelace', externalId: '00uada' });
  sim.setMembership(w.org, 'ada-gh', 'member', 'active'); // accepted through SAML SSO
}

const deletes = () => sim.requestCount({ method: 'DELETE' });

beforeEach(async () => {
  sim = new GitHubSim();
  w = seedGitHubScenario(sim);
  await sim.start();
  vendor = createGitHubVendor({ apiUrl: sim.url, token: w.ownerToken });
});
afterEach(async () => {
  await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
  proxy = undefined;
  await sim.stop();
});

describe('finding the person', () => {
  it('finds them by Okta user id (externalId) when their username changed in Okta since the push', async () => {
    provisionAda();
    const found = await vendor.findPerson(ctx(), { login: 'ada.king@acme.example', oktaUserId: '00uada' });
    expect(found.state).toBe('active');
    expect(found.detail).toMatch(/SCIM identity ada@acme\.example, found by Okta user id \(externalId\)/);
    expect(sim.requests().filter((r) => r.path.includes('/scim/'))).toHaveLength(1);
  });

  it('finds them by userName when no identity carries their Okta user id', async () => {
    sim.scimProvision(w.org, { userName: 'bob@acme.example', email: 'bob@acme.example', givenName: 'Bob', familyName: 'Byte' }); // provisioned without externalId
    const found = await vendor.findPerson(ctx(), { login: 'bob@acme.example', oktaUserId: '00ubob' });
    expect(found).toMatchObject({ state: 'active', detail: expect.stringMatching(/found by userName/) });
  });

  it("is not_found, never removed, when found by neither; and leaves alone another Okta user's identity with that userName", async () => {
    const nobody = { login: 'cy@acme.example', oktaUserId: '00ucy' };
    const missing = await vendor.findPerson(ctx(), nobody);
    expect(missing).toEqual({
      state: 'not_found',
      detail: `cy@acme.example was not found at GitHub by Okta user id (externalId 00ucy) nor by userName in ${w.org}: check by hand whether cy@acme.example still has access to ${w.org}.`,
    });
    expect(await vendor.removePerson(ctx(), nobody)).toEqual(missing);

    // The username now belongs to someone else in Okta (a new user given a departed one's username).
    sim.scimProvision(w.org, { userName: 'cy@acme.example', email: 'cy@acme.example', givenName: 'Cy', familyName: 'Cache', externalId: '00uother' });
    const other = await vendor.removePerson(ctx(), nobody);
    expect(other.state).toBe('not_found');
    expect(other.detail).toMatch(/belongs to another Okta user \(externalId 00uother\), so it was left alone/);
    expect(deletes()).toBe(0);
    expect(sim.scimUser(w.org, 'cy@acme.example')).toBeDefined();
  });
});

describe('removing the person', () => {
  it('is confirmed (absent) once the SCIM identity and the linked account’s membership are both gone', async () => {
    provisionAda();
    const removed = await vendor.removePerson(ctx(), { login: 'ada.king@acme.example', oktaUserId: '00uada' });
    expect(removed).toEqual({ state: 'absent', detail: `ada.king@acme.example's SCIM identity ada@acme.example (found by Okta user id (externalId)) and ada-gh's membership of ${w.org} are gone.` });
    expect(sim.scimUser(w.org, 'ada@acme.example')).toBeUndefined();
    expect(sim.membership(w.org, 'ada-gh')).toBeUndefined();
    // The login came from GraphQL before the delete; the membership was read after it.
    const calls = sim.requests().map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(calls.indexOf('POST /graphql 200')).toBeLessThan(calls.findIndex((c) => c.startsWith('DELETE ')));
    expect(calls.at(-1)).toBe(`GET /orgs/${w.org}/memberships/ada-gh 404`);

    // Again (an activity retried after the delete): nobody is found, so nothing is claimed.
    expect((await vendor.removePerson(ctx(), { login: 'ada.king@acme.example', oktaUserId: '00uada' })).state).toBe('not_found');
  });

  it('is not reported removed while the account is still a member of the org after the SCIM identity is gone', async () => {
    provisionAda();
    // An owner adds ada-gh back as the SCIM identity goes (GitHub shows the membership afterwards).
    const base = sim.url;
    proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => ['authorization', 'accept', 'content-type', 'user-agent'].includes(k))) as Record<string, string>;
        void fetch(`${base}${req.url ?? '/'}`, { method: req.method, headers, ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}) }).then(async (answer) => {
          if (req.method === 'DELETE' && answer.status === 204) sim.setMembership(w.org, 'ada-gh', 'member', 'active');
          const body = Buffer.from(await answer.arrayBuffer());
          const out: Record<string, string> = {};
          answer.headers.forEach((v, k) => {
            if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive'].includes(k)) out[k] = v;
          });
          res.writeHead(answer.status, out).end(body);
        });
      });
    });
    await new Promise<void>((resolve) => proxy!.listen(0, '127.0.0.1', resolve));
    const through = createGitHubVendor({ apiUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, token: w.ownerToken });

    const result = await through.removePerson(ctx(), { login: 'ada@acme.example', oktaUserId: '00uada' });
    expect(result.state).toBe('active');
    expect(result.detail).toBe(`ada@acme.example's SCIM identity in ${w.org} is gone, but their GitHub account ada-gh is still a member of ${w.org}: remove ada-gh from ${w.org} by hand.`);
    expect(sim.scimUser(w.org, 'ada@acme.example')).toBeUndefined();
  });

  it('counts an identity linked to no account yet (an invitation not accepted) as removed with the identity', async () => {
    sim.addUser({ login: 'dana-gh', email: 'dana@acme.example' });
    sim.scimProvision(w.org, { userName: 'dana@acme.example', email: 'dana@acme.example', givenName: 'Dana', familyName: 'Data', externalId: '00udana' });
    expect(sim.membership(w.org, 'dana-gh')).toEqual({ role: 'member', state: 'pending' });
    const removed = await vendor.removePerson(ctx(), { login: 'dana@acme.example', oktaUserId: '00udana' });
    expect(removed.state).toBe('absent');
    expect(removed.detail).toMatch(/linked to no GitHub account \(an invitation never accepted\)/);
    expect(sim.membership(w.org, 'dana-gh')).toBeUndefined();
  });

  it("waits for GitHub's GraphQL budget when it is spent, and deletes nothing meanwhile", async () => {
    await sim.stop();
    sim = new GitHubSim({ graphqlRateLimit: 1 });
    w = seedGitHubScenario(sim);
    await sim.start();
    provisionAda();
    // Another client of the same token spends the hour's one point.
    await fetch(`${sim.url}/graphql`, { method: 'POST', headers: { authorization: `bearer ${w.ownerToken}` }, body: JSON.stringify({ query: '{ organization(login: "acme-corp") { login } }' }) });
    const failure = await createGitHubVendor({ apiUrl: sim.url, token: w.ownerToken })
      .removePerson(ctx(), { login: 'ada@acme.example', oktaUserId: '00uada' })
      .then(
        () => undefined,
        (e: unknown) => e as ApplicationFailure,
      );
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'GitHubRateLimited', nonRetryable: false });
    expect(Number(failure!.nextRetryDelay)).toBeGreaterThan(0);
    // GitHub's answer to a spent GraphQL budget is a 200 with an error, not a 403.
    expect(
      sim
        .requests()
        .filter((r) => r.path === '/graphql')
        .map((r) => r.status),
    ).toEqual([200, 200]);
    expect(deletes()).toBe(0);
    expect(sim.membership(w.org, 'ada-gh')).toEqual({ role: 'member', state: 'active' });
  });
});
