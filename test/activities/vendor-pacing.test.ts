/**
 * The pipeline's GitHub calls are paced by the token's budget, read from GitHub's x-ratelimit-*
 * headers, against the simulated GitHub's real limit (scaled in time): a burst waits instead of
 * being refused, and a budget spent until a far reset fails fast, sending nothing, as a rate limit
 * to try again at that reset. DocuSign's account limit likewise.
 */
import { ApplicationFailure } from '@temporalio/common';
import { Octokit } from '@octokit/rest';
import { BudgetSpent, RateBudget } from '../../activities/rate-budget';
import { vendorFailure } from '../../activities/vendors/errors';
import { paceOctokit } from '../../activities/vendors/paced-octokit';
import { createDocuSignVendor } from '../../activities/vendors/docusign';
import type { VendorContext } from '../../activities/vendors/types';
import { GitHubSim, seedGitHubScenario } from '../../sim/github';
import { pipelineVendors, seededAppSettings } from '../../sim/pipeline-settings';
import { SimWorld } from '../../sim/world';

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
let sim: GitHubSim;
afterEach(() => sim?.stop());

async function started(opts: ConstructorParameters<typeof GitHubSim>[0]) {
  sim = new GitHubSim(opts);
  const w = seedGitHubScenario(sim);
  await sim.start();
  const octokit = new Octokit({ auth: w.ownerToken, baseUrl: sim.url, log: quiet, request: { retries: 0 } });
  const readScim = () => octokit.request('GET /scim/v2/organizations/{org}/Users', { org: w.org });
  const query = () => octokit.request('POST /graphql', { query: `{ organization(login: "${w.org}") { login } }` });
  return { octokit, readScim, query };
}

const refused = () => sim.requests().filter((r) => r.status === 403 || r.status === 429).length;

it('refuses part of a burst of 24 SCIM reads at 6 a window without a budget (the limit is real)', async () => {
  const { readScim } = await started({ scimRateLimit: 6, rateWindowMs: 1_000 });
  await Promise.allSettled(Array.from({ length: 24 }, readScim));
  expect(refused()).toBeGreaterThan(0);
});

it('paces the same burst by the budget: every read answered, none refused', async () => {
  const { octokit, readScim } = await started({ scimRateLimit: 6, rateWindowMs: 1_000 });
  paceOctokit(octokit, new RateBudget({ share: 1, concurrency: 4, headerPrefix: 'x-ratelimit', maxWaitMs: 20_000 }));
  const answers = await Promise.all(Array.from({ length: 24 }, readScim));
  expect(answers.every((a) => a.status === 200)).toBe(true);
  expect(refused()).toBe(0);
});

it('fails fast as GitHubRateLimited, at the reset and sending nothing, once its share of an hourly limit is spent', async () => {
  const { octokit, readScim } = await started({ scimRateLimit: 2 }); // GitHub's hour
  paceOctokit(octokit, new RateBudget({ share: 0.5, concurrency: 4, headerPrefix: 'x-ratelimit', maxWaitMs: 20_000 }));
  await readScim(); // learns the limit: half of 2 is this one request
  const sent = sim.requests().length;
  const err = await readScim().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BudgetSpent);
  expect(sim.requests().length).toBe(sent);
  const failure = vendorFailure('GitHub', 'finding ada in acme', err, 'GITHUB_TOKEN');
  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect(failure.type).toBe('GitHubRateLimited');
  expect(failure.nonRetryable).toBe(false);
  expect(Number(failure.nextRetryDelay)).toBeGreaterThan(20_000); // past what a call waits inside itself
  expect(Number(failure.nextRetryDelay)).toBeLessThanOrEqual(3_601_000); // the hour, and the reset's rounding to a second
});

it('meters GraphQL apart from REST, as GitHub does: a spent GraphQL hour fails the next query fast, sending nothing, while REST calls go on', async () => {
  const { octokit, query } = await started({ graphqlRateLimit: 2 });
  paceOctokit(octokit, new RateBudget({ share: 1, concurrency: 4, headerPrefix: 'x-ratelimit', maxWaitMs: 20_000 }));
  await query();
  await query(); // the hour's last point, learned from the answer's x-ratelimit-remaining
  const sentQueries = () => sim.requests().filter((r) => r.path === '/graphql').length;
  const err = await query().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BudgetSpent);
  expect(sentQueries()).toBe(2);
  expect((await octokit.request('GET /user')).status).toBe(200);
});

describe('DocuSign', () => {
  let world: SimWorld | undefined;
  afterEach(() => world?.stop());

  /** A world whose DocuSign account allows 4 calls an hour (or a burst), and the seeded DocuSign app as the vendor module sees it. */
  async function accountOfFour(rateLimitStatus?: 400 | 429, limit: 'hourly' | 'burst' = 'hourly') {
    world = await SimWorld.start({ docusign: limit === 'hourly' ? { hourlyRateLimit: 4, rateLimitStatus } : { burstRateLimit: 4, rateLimitStatus } });
    const seeded = world.seed();
    const ctx: VendorContext = {
      app: { id: seeded.docusign.appId, name: 'docusign', label: seeded.docusign.label, status: 'ACTIVE', vendor: 'docusign', provisioningEnabled: true, provisioningUrl: '' },
      oktaSettings: {},
      settings: seededAppSettings(seeded)[seeded.docusign.appId]!,
      credentialFailing: false,
    };
    return { creds: pipelineVendors(world).docusign!, ctx, person: { login: Object.keys(seeded.users)[0]! } };
  }

  it("fails fast as DocuSignRateLimited, sending nothing, once its share of the account's hourly limit is spent", async () => {
    const { creds, ctx, person } = await accountOfFour();
    const vendor = createDocuSignVendor(creds);
    // Half of the account's 4 an hour: two reads of the account's users.
    await vendor.findPerson(ctx, person);
    await vendor.findPerson(ctx, person);
    const restCalls = () => world!.docusign.requests().filter((r) => r.path.includes('/restapi/')).length;
    const sent = restCalls();
    expect(sent).toBe(2);
    const err = await vendor.findPerson(ctx, person).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe('DocuSignRateLimited');
    expect(Number((err as ApplicationFailure).nextRetryDelay)).toBeGreaterThan(0);
    expect(restCalls()).toBe(sent);
  });

  // DocuSign documents the limit errors' codes and words, not their status.
  it.each([400, 429] as const)('takes the hourly limit error answered with %i as a rate limit, never as a refused credential, and waits for the reset', async (status) => {
    const { creds, ctx, person } = await accountOfFour(status);
    // Another integration of the account spends its whole hour; ours has not heard of it.
    const other = createDocuSignVendor({ ...creds, pacing: { share: 1 } });
    for (let i = 0; i < 4; i++) await other.findPerson(ctx, person);
    const vendor = createDocuSignVendor(creds);
    const restCalls = () => world!.docusign.requests().filter((r) => r.path.includes('/restapi/')).length;
    const refusedAt = restCalls();
    const failureOf = (call: Promise<unknown>) =>
      call.then(
        () => undefined,
        (e: unknown) => e as ApplicationFailure,
      );

    const refused = await failureOf(vendor.findPerson(ctx, person));
    expect(refused).toBeInstanceOf(ApplicationFailure);
    expect(refused).toMatchObject({ type: 'DocuSignRateLimited', nonRetryable: false });
    expect(refused!.message).not.toMatch(/credential/);
    expect(Number(refused!.nextRetryDelay)).toBeGreaterThan(0);
    expect(restCalls()).toBe(refusedAt + 1);
    // The answer's reset holds the budget: the next call waits for it, sending nothing.
    expect(await failureOf(vendor.findPerson(ctx, person))).toMatchObject({ type: 'DocuSignRateLimited' });
    expect(restCalls()).toBe(refusedAt + 1);
  });

  it("takes the burst limit error as a rate limit of the 30-second window, not the hour's", async () => {
    const { creds, ctx, person } = await accountOfFour(400, 'burst');
    const other = createDocuSignVendor({ ...creds, pacing: { share: 1 } });
    for (let i = 0; i < 4; i++) await other.findPerson(ctx, person);
    const refused = await createDocuSignVendor(creds)
      .findPerson(ctx, person)
      .then(
        () => undefined,
        (e: unknown) => e as ApplicationFailure,
      );
    expect(refused).toMatchObject({ type: 'DocuSignRateLimited', nonRetryable: false });
    expect(Number(refused!.nextRetryDelay)).toBe(30_000);
  });
});
