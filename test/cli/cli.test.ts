/** The `okta-remediate` binary as an operator runs it: output, JSON and exit codes. */
import { EXIT } from '../../client/errors';
import { seedDemo } from '../../sim/seed';
import { remediationWorkflowId } from '../../domain/messages';
import { cli } from '../support/cli';
import { startHarness, type Harness } from '../support/harness';

describe('okta-remediate CLI', () => {
  let h: Harness;
  let env: Record<string, string>;
  beforeAll(async () => {
    h = await startHarness();
    env = { TEMPORAL_ADDRESS: h.address, OKTA_REMEDIATION_TASK_QUEUE: h.taskQueue };
  });
  afterAll(() => h.close());

  it('rejects invalid arguments with a specific message and exit code 2', async () => {
    const missing = await cli(['reauth-done', '--app', '0oa1234567890abcdefg'], env);
    expect(missing.code).toBe(EXIT.invalidInput);
    expect(missing.stderr).toMatch(/^Say who acts: --by <email>, or --sign-in to prove it with Okta\.\n$/);
    const badId = await cli(['status', '--app', 'not/an id'], env);
    expect(badId.code).toBe(EXIT.invalidInput);
    expect(badId.stderr).toMatch(/invalid app id: expected an Okta app id/);
  });

  it('says so when no Temporal server is reachable (exit 5)', async () => {
    const r = await cli(['status', '--app', '0oa1234567890abcdefg'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(r.code).toBe(EXIT.temporalUnreachable);
    expect(r.stderr).toMatch(/No Temporal server reachable at 127\.0\.0\.1:1/);
  });

  it('says so when no remediation runs for the app (exit 4)', async () => {
    const r = await cli(['reauth-done', '--app', '0oaNOTRUNNING00000000', '--by', 'admin@example.com'], env);
    expect(r.code).toBe(EXIT.noRemediation);
    expect(r.stderr).toMatch(/No remediation is running for app 0oaNOTRUNNING00000000/);
  });

  it('names an unknown app (exit 3)', async () => {
    const r = await cli(['start', '--app', '0oaUNKNOWNAPP00000000'], env);
    expect(r.code).toBe(EXIT.unknownApp);
    expect(r.stderr).toMatch(/Okta has no app with id 0oaUNKNOWNAPP00000000/);
  });

  it('starts, shows the diagnosis, takes the re-auth and reports per user', async () => {
    const { github } = seedDemo(h.sim);
    const started = await cli(['start', '--app', github.appId], env);
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(/Started remediation okta-remediation-/);
    expect(started.stdout).toMatch(/Likely cause: GitHub Enterprise Cloud - Organization rejects the API credential/);
    expect(started.stdout).toMatch(/What to do:\n  1\. /);

    const again = await cli(['start', '--app', github.appId, '--no-wait'], env);
    expect(again.stdout).toMatch(/Joined the remediation of app \S+ already running since \d{4}-\d\d-\d\dT[\d:.]+Z/);

    h.sim.reauthenticate(github.appId, { login: 'admin@example.com' });
    const done = await cli(['reauth-done', '--app', github.appId, '--by', 'admin@example.com', '--note', 'rotated'], env);
    expect(done.code).toBe(0);
    await h.client.workflow.getHandle(remediationWorkflowId(github.appId)).result();

    const text = await cli(['status', '--app', github.appId], env);
    expect(text.stdout).toMatch(/Completed/);
    expect(text.stdout).toMatch(/Re-auth reported by admin@example.com .*\(rotated\): verified/);
    for (const line of text.stdout.split('\n').filter((l) => /^\s+(succeeded|skipped|still_failing|pending)/.test(l))) {
      expect(line).toMatch(/^\s+(succeeded|skipped)\s/);
    }

    const json = await cli(['status', '--app', github.appId, '--json'], env);
    const status = JSON.parse(json.stdout);
    expect(status).toMatchObject({ temporalStatus: 'COMPLETED', phase: 'completed', appId: github.appId });
    expect(status.results).toHaveLength(github.pushFailed.length + github.deprovisionFailed.length);
  });
});

describe('okta-remediate start', () => {
  it('of two starts at once, one says it started the remediation and the other that it joined it', async () => {
    const h = await startHarness();
    const env = { TEMPORAL_ADDRESS: h.address, OKTA_REMEDIATION_TASK_QUEUE: h.taskQueue };
    try {
      const { docusign } = seedDemo(h.sim);
      const runs = await Promise.all([1, 2].map(() => cli(['start', '--app', docusign.appId, '--no-wait', '--json'], env)));
      const answers = runs.map((r) => JSON.parse(r.stdout) as { started: boolean; runId: string; startTime: string });
      expect(answers.map((a) => a.started).sort()).toEqual([false, true]);
      expect(new Set(answers.map((a) => a.runId)).size).toBe(1);
      expect(answers[0]!.startTime).toBe(answers[1]!.startTime);
    } finally {
      await h.close();
    }
  });
});
