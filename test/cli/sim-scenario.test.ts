/**
 * A scenario of one's own, through processes and the CLI only, as an admin evaluating the project
 * would run it: `sim serve` writes the worker's settings, the worker runs from the environment it
 * printed (as the pipeline's DPoP-bound service app), `sim break|unassign|fail|fault|state` steer
 * the world, and `start`/`scan` show what the pipeline makes of it.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { EXIT } from '../../client/errors';
import { DOCUSIGN_APP, GENERIC_APP, GITHUB_APP } from '../../sim/people';
import { cli, startCli, startWorkerProcess, type RunningCli } from '../support/cli';
import { clearTaskQueue, temporalAddress } from '../support/harness';

const SIM = { docusign: DOCUSIGN_APP.id, github: GITHUB_APP.id, generic: GENERIC_APP.id };

describe('a scenario of your own through the CLI', () => {
  const taskQueue = `test-sim-scenario-${process.pid}`;
  const configFile = path.join(mkdtempSync(path.join(tmpdir(), 'okta-remediation-scenario-')), 'okta-remediation.json');
  let serve: RunningCli;
  let worker: RunningCli | undefined;
  let banner: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    serve = startCli(['sim', 'serve', '--port', '0', '--docusign-cause', 'none', '--github-cause', 'none', '--config-out', configFile, '--quick-waits']);
    banner = await serve.output(/Ctrl-C to stop\./);
    // Exactly the settings the banner tells an operator to export.
    const exported = Object.fromEntries([...banner.matchAll(/^ {2}export (\w+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
    env = { ...exported, TEMPORAL_ADDRESS: temporalAddress(), OKTA_REMEDIATION_TASK_QUEUE: taskQueue, OKTA_REMEDIATION_SYNC_POLL_SECONDS: '0.05' };
  });

  afterAll(async () => {
    const connection = await Connection.connect({ address: temporalAddress() });
    await clearTaskQueue(new Client({ connection }), taskQueue);
    await connection.close();
    worker?.stop();
    serve.stop();
    await Promise.all([worker?.done, serve.done]);
  });

  it('sim serve writes a complete configuration for the seeded apps', () => {
    expect(env.OKTA_REMEDIATION_CONFIG).toBe(configFile);
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    expect(config.defaults.wait).toEqual({ remindEvery: '20s', escalateAfterReminders: 2, giveUpAfter: '10m', autoDetectEvery: '30s' });
    expect(config.apps[SIM.docusign]).toEqual({
      docusign: { apiAccountId: expect.any(String), adminEmail: expect.stringContaining('@'), environment: 'production' },
      testUser: 'okta.testuser@example.com',
    });
    // Without the service account's id a renamed account looks deleted.
    expect(config.apps[SIM.github].github).toEqual({ org: expect.any(String), serviceAccount: expect.any(String), serviceAccountId: expect.any(Number) });
  });

  it('sim serve gives the worker a service app, and the sim commands an admin token of their own', async () => {
    // The worker refuses an API token beside a service app: the banner must not print one.
    expect(env.OKTA_API_TOKEN).toBeUndefined();
    expect(env).toMatchObject({ OKTA_CLIENT_ID: expect.stringMatching(/^0oa/), OKTA_KEY_ID: expect.any(String), OKTA_SIM_ADMIN_TOKEN: expect.any(String) });
    expect(env.OKTA_SCOPES).toBeUndefined(); // the worker's default scopes
    expect(statSync(env.OKTA_PRIVATE_KEY_FILE!).mode & 0o777).toBe(0o600);
    expect(banner).toMatch(/^For the `sim` commands only.*\n {2}export OKTA_SIM_ADMIN_TOKEN=\S+$/m);
    // An SSWS-run worker's shell still steers the world; OKTA_SIM_ADMIN_TOKEN wins over it.
    const { OKTA_SIM_ADMIN_TOKEN: adminToken, ...withoutAdminToken } = env;
    expect((await cli(['sim', 'state'], { ...withoutAdminToken, OKTA_API_TOKEN: adminToken! })).code).toBe(0);
    expect((await cli(['sim', 'state'], { ...env, OKTA_API_TOKEN: 'sim-not-the-token' })).code).toBe(0);
  });

  it('rejects what the world cannot do, with the reason', async () => {
    const badCause = await cli(['sim', 'break', '--app', SIM.docusign, '--cause', 'token_revoked'], env);
    expect(badCause).toMatchObject({ code: EXIT.invalidInput });
    expect(badCause.stderr).toMatch(/^The simulator refused breaking the app: Api validation failed: cause: expected one of account_id_mismatch, .*grant_revoked\.\n$/);
    const unknownApp = await cli(['sim', 'break', '--app', '0oaNOSUCHAPP00000000'], env);
    expect(unknownApp.code).toBe(EXIT.unknownApp);
    const badStatus = await cli(['sim', 'fault', '--target', 'docusign', '--path', '/users', '--status', '403'], env);
    expect(badStatus.stderr).toMatch(/the docusign simulator plays 401, 429, 500, 503/);
    const noSim = await cli(['sim', 'state'], { ...env, OKTA_ORG_URL: 'http://127.0.0.1:1' });
    expect(noSim.stderr).toMatch(/^No simulator answers at http:\/\/127\.0\.0\.1:1/);
  });

  it('names the causes the operator broke first, and the scan remediates only credential failures', async () => {
    expect((await cli(['sim', 'break', '--app', SIM.docusign, '--cause', 'admin_closed'], env)).code).toBe(0);
    expect((await cli(['sim', 'break', '--app', SIM.github, '--cause', 'username_changed'], env)).code).toBe(0);
    const state = JSON.parse((await cli(['sim', 'state', '--json'], env)).stdout);
    expect(state.apps.map((a: { health: { ok: boolean } }) => a.health.ok)).toEqual([false, false, true]);

    worker = startWorkerProcess(env);
    await worker.output(/Worker polling task queue/);
    for (const [appId, cause] of [
      [SIM.docusign, 'docusign-admin-closed'],
      [SIM.github, 'github-username-changed'],
    ] as const) {
      const started = await cli(['start', '--app', appId, '--json'], env);
      expect(started.code).toBe(0);
      const top = JSON.parse(started.stdout).status.diagnosis.causes[0];
      expect(top.id).toBe(cause);
      expect(top.evidence.length).toBeGreaterThan(0);
    }

    // New failures: a leaver whose GitHub deprovision fails, and a rate limit at the generic app.
    const unassigned = await cli(['sim', 'unassign', '--app', SIM.github, '--user', 'daniel.okafor@example.com'], env);
    expect(unassigned).toMatchObject({ code: 0, stdout: `daniel.okafor@example.com unassigned from app ${SIM.github}.\n` });
    expect((await cli(['sim', 'fail', '--app', SIM.generic, '--user', 'maya.patel@example.com', '--reason', 'Rate limit exceeded'], env)).code).toBe(0);

    expect((await cli(['schedule', '--every', '1h', '--lag', '0s'], env)).code).toBe(0);
    const scan = await cli(['scan', '--json'], env);
    expect(scan.code).toBe(0);
    const apps = JSON.parse(scan.stdout).apps as Array<{ appId: string; deprovisions: number; other: Array<{ category: string; count: number }>; remediation?: { action: string } }>;
    const github = apps.find((a) => a.appId === SIM.github)!;
    expect(github.deprovisions).toBeGreaterThanOrEqual(1);
    expect(github.remediation?.action).toBe('joined');
    const generic = apps.find((a) => a.appId === SIM.generic)!;
    expect(generic.other).toEqual([{ category: 'rate_limit', count: 1, example: expect.stringMatching(/Rate limit exceeded/) }]);
    expect(generic.remediation).toBeUndefined();

    const status = JSON.parse((await cli(['status', '--app', SIM.github, '--json'], env)).stdout);
    expect(status.affected).toEqual(expect.arrayContaining([expect.objectContaining({ login: 'daniel.okafor@example.com', kind: 'deprovision' })]));

    // An admin signs in from the banner's settings and approves it at the simulated verification page.
    const approving = startCli(['approve-deprovision', '--app', SIM.github, '--sign-in'], env);
    const code = /\(code ([A-Z]{4}-[A-Z]{4})/.exec(await approving.output(/\(code [A-Z]{4}-[A-Z]{4}/, 'stderr'))![1]!;
    expect(await cli(['sim', 'approve-sign-in', '--code', code.toLowerCase()], env)).toMatchObject({
      code: 0,
      stdout: `admin@example.com signed in and approved ${code}: the waiting command goes on.\n`,
    });
    expect(await approving.done).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Approved by admin@example\.com/) });
    expect((await cli(['sim', 'approve-sign-in', '--code', code], env)).stderr).toMatch(/^The simulator refused the sign-in: Api validation failed: sign-in: no sign-in awaits the code/);
  });
});
