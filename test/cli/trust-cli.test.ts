/**
 * What an admin sees from the terminal where a remediation could lose their trust: a correct
 * GitHub re-auth must be verified (GitHub stamps the SSO authorization at the consent, before
 * Okta logs the Save), a vendor that cannot be checked must not turn a good re-auth into "did not
 * work", and a remediation that fails must say so. On the dev server, through the CLI.
 */
import { remediationWorkflowId } from '../../workflows/messages';
import { cli } from '../support/cli';
import { eventually } from '../support/harness';
import { startWorldHarness, type WorldHarness, type WorldHarnessOptions } from '../support/world-harness';

let h: WorldHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function brokenGitHub(opts: WorldHarnessOptions = {}) {
  h = await startWorldHarness({ breakWith: (w) => w.breakGitHub('token_revoked'), ...opts });
  const env = { TEMPORAL_ADDRESS: h.address, OKTA_REMEDIATION_TASK_QUEUE: h.taskQueue };
  const app = h.seeded.github.appId;
  const started = await cli(['start', '--app', app], env);
  expect(started.stdout).toMatch(/The service account's token|revoked or expired/);
  return { env, app };
}

describe('a correct GitHub re-auth is verified', () => {
  it.each([
    ['the consent 2 s before Okta logs the Save', 2_000],
    ['the consent an hour before a later, unrelated save of the app', 3_600_000],
  ])('%s', async (_what, consentBeforeSaveMs) => {
    const { env, app } = await brokenGitHub();
    h!.world.reauthenticate(app, { githubConsentAt: new Date(Date.now() - consentBeforeSaveMs) });
    const done = await cli(['reauth-done', '--app', app, '--by', 'admin@example.com', '--wait'], env);
    expect(done).toMatchObject({ code: 0, stderr: '' });
    expect(done.stdout).toMatch(/^Verified: The vendor checks out and canary \S+ synchronized\.\n/);
    await h!.client.workflow.getHandle(remediationWorkflowId(app)).result();
  });

  it('in an org where more than a page of other members authorized credentials for SSO', async () => {
    const { env, app } = await brokenGitHub();
    const w = h!.world;
    const org = h!.seeded.github.org;
    for (let i = 0; i < 120; i++) {
      const login = `sso-member-${i}`;
      w.github.addUser({ login, name: `SSO member ${i}`, email: `${login}@example.com` });
      w.github.setMembership(org, login, 'member');
      w.github.issueToken(login, { kind: 'pat', samlAuthorizedOrgs: [org], issuedAt: new Date(Date.now() - 60_000) });
    }
    w.reauthenticate(app);
    const done = await cli(['reauth-done', '--app', app, '--by', 'admin@example.com', '--wait'], env);
    expect(done).toMatchObject({ code: 0, stderr: '' });
    expect(done.stdout).toMatch(/^Verified: /);
  });
});

describe('a vendor that cannot be checked', () => {
  it('leaves the verdict to the canary push and says the vendor was not checked', async () => {
    const { env, app } = await brokenGitHub();
    h!.world.github.injectFault({ path: /^\/orgs\//, status: 502, count: 1000 });
    h!.world.reauthenticate(app);
    const done = await cli(['reauth-done', '--app', app, '--by', 'admin@example.com', '--wait'], env);
    expect(done).toMatchObject({ code: 0, stderr: '' });
    expect(done.stdout).toMatch(/^Verified: Vendor not checked \(.*\)\. Canary \S+ synchronized\.\n/);
  });
});

describe('a remediation that fails', () => {
  it('says so in status and on its channels', async () => {
    h = await startWorldHarness();
    const env = { TEMPORAL_ADDRESS: h.address, OKTA_REMEDIATION_TASK_QUEUE: h.taskQueue };
    const unknown = '0oaNOSUCHAPP000000000';
    await cli(['start', '--app', unknown], env);
    await eventually(() => h!.notices.find((line) => line.includes(`Failed: remediation of app ${unknown} stopped`)), 'the failed notice');
    const status = await cli(['status', '--app', unknown], env);
    expect(status.stdout).toMatch(new RegExp(`^${unknown}: Failed since \\S+\\nError: Okta has no app with id ${unknown}: copy the id from the app's URL`));
    expect(status.stdout).toMatch(/\n {2}\S+ failed: delivered to console\n/);
  });
});

describe('the pipeline\'s own access is a hint, not a cause', () => {
  it('a GitHub token without read:org: no "not a member" cause, a hint naming the setting', async () => {
    const { env, app } = await brokenGitHub({
      vendors: (w) => ({
        github: { apiUrl: w.pipelineCredentials.github.apiUrl, token: w.github.issueToken(w.pipelineCredentials.github.login, { scopes: ['read:user'], samlAuthorizedOrgs: [w.seeded.github.org] }) },
      }),
    });
    const status = await cli(['status', '--app', app, '--json'], env);
    const diagnosis = JSON.parse(status.stdout).diagnosis;
    expect(diagnosis.causes.map((c: { id: string }) => c.id)).not.toContain('github-not-owner');
    expect(diagnosis.hints.join('\n')).toMatch(/GitHub shows the pipeline no membership in \S+: check that apps\.\S+\.github\.org names the organization and that GITHUB_TOKEN/);
    h!.world.reauthenticate(app);
    expect((await cli(['reauth-done', '--app', app, '--by', 'admin@example.com', '--wait'], env)).code).toBe(0);
  });
});

