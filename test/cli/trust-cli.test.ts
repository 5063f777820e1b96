/**
 * What an admin sees from the terminal where a remediation could lose their trust: a correct
 * GitHub re-auth must be verified (GitHub stamps the SSO authorization at the consent, before
 * Okta logs the Save), a vendor that cannot be checked must not turn a good re-auth into "did not
 * work", the pipeline's own access problems must not block, and a remediation or a scan that
 * fails must say so (and the scan must not skip what it missed). On the dev server, through the CLI.
 */
import { randomUUID } from 'node:crypto';
import { EXIT } from '../../client/errors';
import { seedDemo } from '../../sim/seed';
import { remediationWorkflowId } from '../../domain/messages';
import { cli } from '../support/cli';
import { eventually, startHarness, type Harness } from '../support/harness';
import { startWorldHarness, type WorldHarness, type WorldHarnessOptions } from '../support/world-harness';

let h: WorldHarness | Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function brokenGitHub(opts: WorldHarnessOptions = {}): Promise<{ env: Record<string, string>; app: string; w: WorldHarness }> {
  const w = (h = await startWorldHarness({ breakWith: (world) => world.breakGitHub('token_revoked'), ...opts }));
  const env = { TEMPORAL_ADDRESS: w.address, OKTA_REMEDIATION_TASK_QUEUE: w.taskQueue };
  const app = w.seeded.github.appId;
  const started = await cli(['start', '--app', app], env);
  // With its own access short, the pipeline sees nothing of GitHub and names Okta's evidence only.
  expect(started.stdout).toMatch(opts.vendors ? /rejects the API credential stored in Okta/ : /The service account's token|revoked or expired/);
  return { env, app, w };
}

describe('a correct GitHub re-auth is verified', () => {
  it.each([
    ['the consent 2 s before Okta logs the Save', 2_000],
    ['the consent an hour before a later, unrelated save of the app', 3_600_000],
  ])('%s', async (_what, consentBeforeSaveMs) => {
    const { env, app, w } = await brokenGitHub();
    w.world.reauthenticate(app, { githubConsentAt: new Date(Date.now() - consentBeforeSaveMs) });
    const done = await cli(['reauth-done', '--app', app, '--by', 'admin@example.com', '--wait'], env);
    expect(done).toMatchObject({ code: 0, stderr: '' });
    expect(done.stdout).toMatch(/^Verified: The vendor checks out and canary \S+ synchronized\.\n/);
    await w.client.workflow.getHandle(remediationWorkflowId(app)).result();
  });

  it('in an org where more than a page of other members authorized credentials for SSO', async () => {
    const { env, app, w } = await brokenGitHub();
    const org = w.seeded.github.org;
    for (let i = 0; i < 120; i++) {
      const login = `sso-member-${i}`;
      w.world.github.addUser({ login, name: `SSO member ${i}`, email: `${login}@example.com` });
      w.world.github.setMembership(org, login, 'member');
      w.world.github.issueToken(login, { kind: 'pat', samlAuthorizedOrgs: [org], issuedAt: new Date(Date.now() - 60_000) });
    }
    w.world.reauthenticate(app);
    const done = await cli(['reauth-done', '--app', app, '--by', 'admin@example.com', '--wait'], env);
    expect(done).toMatchObject({ code: 0, stderr: '' });
    expect(done.stdout).toMatch(/^Verified: /);
  });
});

describe('a vendor that cannot be checked', () => {
  it('leaves the verdict to the canary push and says the vendor was not checked', async () => {
    const { env, app, w } = await brokenGitHub();
    w.world.github.injectFault({ path: /^\/orgs\//, status: 502, count: 1000 });
    w.world.reauthenticate(app);
    const done = await cli(['reauth-done', '--app', app, '--by', 'admin@example.com', '--wait'], env);
    expect(done).toMatchObject({ code: 0, stderr: '' });
    expect(done.stdout).toMatch(/^Verified: Vendor not checked \(.*\)\. Canary \S+ synchronized\.\n/);
  });
});

describe('a remediation that fails', () => {
  it('says so in status and on its channels', async () => {
    const w = (h = await startWorldHarness());
    const env = { TEMPORAL_ADDRESS: w.address, OKTA_REMEDIATION_TASK_QUEUE: w.taskQueue };
    const unknown = '0oaNOSUCHAPP000000000';
    await cli(['start', '--app', unknown], env);
    await eventually(() => w.notices.find((line) => line.includes(`Failed: remediation of app ${unknown} stopped`)), 'the failed notice');
    const status = await cli(['status', '--app', unknown], env);
    expect(status.stdout).toMatch(new RegExp(`^${unknown}: Failed since \\S+\\nError: Okta has no app with id ${unknown}: copy the id from the app's URL`));
    expect(status.stdout).toMatch(/\n {2}\S+ failed: delivered to console\n/);
  });
});

describe("the pipeline's own access is a hint, not a cause", () => {
  it('a GitHub token without read:org: no GitHub cause at all, a hint naming the setting', async () => {
    const { env, app, w } = await brokenGitHub({
      vendors: (world) => ({
        github: {
          apiUrl: world.pipelineCredentials.github.apiUrl,
          token: world.github.issueToken(world.pipelineCredentials.github.login, { scopes: ['read:user'], samlAuthorizedOrgs: [world.seeded.github.org] }),
        },
      }),
    });
    const status = await cli(['status', '--app', app, '--json'], env);
    const diagnosis = JSON.parse(status.stdout).diagnosis;
    expect(diagnosis.causes.map((c: { id: string }) => c.id)).toEqual(['credential-invalid']);
    expect(diagnosis.vendorProbe.probed).toBe(false);
    expect(diagnosis.hints.join('\n')).toMatch(/The pipeline's GitHub token has no read:org \(its scopes: read:user\), so GitHub shows it nothing of \S+'s members: check GITHUB_TOKEN/);
    w.world.reauthenticate(app);
    expect((await cli(['reauth-done', '--app', app, '--by', 'admin@example.com', '--wait'], env)).code).toBe(0);
  });
});

describe('a scan that fails', () => {
  it('exits 9 with the reason, tells the default channels, and the next good scan reads what it missed', async () => {
    let token = `00${randomUUID().replace(/-/g, '')}`;
    const valid = token;
    const harness = (h = await startHarness({ sim: { apiToken: valid }, oktaToken: () => token }));
    const env = { TEMPORAL_ADDRESS: harness.address, OKTA_REMEDIATION_TASK_QUEUE: harness.taskQueue };
    const { docusign } = seedDemo(harness.sim);
    expect((await cli(['schedule', '--every', '1h'], env)).code).toBe(0);
    expect((await cli(['scan'], env)).code).toBe(0);

    token = 'revoked-token-value'; // the worker's Okta token stops working
    await harness.restartWorker();
    const missed = harness.sim.addUser({ login: 'late.leaver@example.com', firstName: 'Late', lastName: 'Leaver' });
    harness.sim.assignUser(docusign.appId, missed); // fails while the scanner is blind
    const failed = await cli(['scan'], env);
    expect(failed.code).toBe(EXIT.scanFailed);
    expect(failed.stderr).toMatch(/failed: .*HTTP 401.*check OKTA_API_TOKEN/);
    expect(harness.notices.join('\n')).toContain('Scanner failing: the Okta System Log scan failed (1 scan in a row)');
    expect(harness.notices.join('\n') + failed.stderr).not.toContain('revoked-token-value');

    token = valid;
    await harness.restartWorker();
    const recovered = await cli(['scan', '--json'], env);
    expect(recovered.code).toBe(0);
    expect(JSON.parse(recovered.stdout)).toMatchObject({ newEvents: 1, apps: [{ appId: docusign.appId, pushes: 1 }] });
  });
});
