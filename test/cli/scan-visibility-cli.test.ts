/** `schedule`, `scan`, `list`, `watch` and `ui` as an operator runs them: output, JSON and exit codes. */
import { EXIT } from '../../client/errors';
import { startRemediation, cancelRemediation } from '../../client/remediations';
import { scanScheduleId } from '../../cli/scan-client';
import { listQuery, listRemediations } from '../../cli/visibility-commands';
import { seedDemo, type SeededDemo } from '../../sim/seed';
import { cli, startCli } from '../support/cli';
import { eventually, startHarness, type Harness } from '../support/harness';

describe('okta-remediate scan, list, watch and ui', () => {
  let h: Harness;
  let env: Record<string, string>;
  let seeded: SeededDemo;
  beforeAll(async () => {
    h = await startHarness();
    env = { TEMPORAL_ADDRESS: h.address, OKTA_REMEDIATION_TASK_QUEUE: h.taskQueue, TEMPORAL_UI_URL: 'http://temporal.example.com:8080/' };
    seeded = seedDemo(h.sim);
  });
  afterAll(() => h.close());

  it('scan needs the schedule (exit 8); schedule creates it, then updates it in place', async () => {
    const [none, bad] = await Promise.all([cli(['scan'], env), cli(['schedule', '--every', 'often'], env)]);
    expect(none.code).toBe(EXIT.noSchedule);
    expect(none.stderr).toMatch(/No scan schedule for task queue .*: create it with `npx okta-remediate schedule --every 5m`/);
    expect(bad.code).toBe(EXIT.invalidInput);
    expect(bad.stderr).toMatch(/invalid --every: expected a number and a unit/);

    const created = await cli(['schedule', '--every', '1h', '--lag', '0s'], env);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^Created schedule .*-scan: a scan every 1h, each reading on from Okta's cursor .*, failures announced after 1 failed in a row; the first reads 24h back\.$/m);

    const updated = await cli(['schedule', '--every', '2h', '--lag', '0s', '--overlap', '10m', '--notify-after-failures', '3', '--json'], env);
    expect(JSON.parse(updated.stdout)).toEqual({
      scheduleId: scanScheduleId(h.taskQueue),
      created: false,
      everySeconds: 7200,
      overlapSeconds: 600,
      lagSeconds: 0,
      lookbackSeconds: 86_400,
      maxEvents: 1000,
      notifyAfterFailures: 3,
    });
    const described = await h.client.schedule.getHandle(scanScheduleId(h.taskQueue)).describe();
    expect(described.spec.intervals).toEqual([expect.objectContaining({ every: 7_200_000 })]);
  });

  it('scan prints what it found and did; --json gives the same as data', async () => {
    const text = await cli(['scan'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Scan .*-scan-/);
    expect(text.stdout).toMatch(
      new RegExp(`DocuSign \\(${seeded.docusign.appId}\\): credential failures: 4 failed pushes, 2 failed deprovisions -> started remediation okta-remediation-${seeded.docusign.appId}`),
    );
    expect(text.stdout).toMatch(new RegExp(`GitHub Enterprise Cloud - Organization \\(${seeded.github.appId}\\): credential failures: 3 failed pushes, 1 failed deprovision -> started remediation`));

    const json = JSON.parse((await cli(['scan', '--json'], env)).stdout);
    expect(json).toEqual({
      workflowId: expect.stringMatching(/-scan-/),
      runId: expect.any(String),
      start: { after: expect.any(String) }, // on from the first scan's cursor: nothing is read twice
      truncated: false,
      eventsRead: 0,
      newEvents: 0,
      duplicates: 0,
      apps: [],
      watermark: expect.any(String),
    });
  });

  it('list filters by phase and vendor through the Visibility API', async () => {
    // Visibility is eventually consistent: wait until both remediations show their vendor.
    await eventually(
      async () => ((await listRemediations(h.client, listQuery(h.taskQueue, { phase: 'awaiting_reauth' }), 10)).filter((r) => r.vendor).length === 2 ? true : undefined),
      'both remediations in Visibility',
    );

    const [all, github, completed, bad] = await Promise.all([
      cli(['list', '--json'], env),
      cli(['list', '--vendor', 'github'], env),
      cli(['list', '--phase', 'completed', '--json'], env),
      cli(['list', '--phase', 'done'], env),
    ]);
    expect(JSON.parse(all.stdout)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ appId: seeded.docusign.appId, appLabel: 'DocuSign', vendor: 'docusign', phase: 'awaiting_reauth', affectedUsers: 6, temporalStatus: 'RUNNING' }),
        expect.objectContaining({ appId: seeded.github.appId, vendor: 'github', phase: 'awaiting_reauth', affectedUsers: 4, workflowId: `okta-remediation-${seeded.github.appId}` }),
      ]),
    );
    expect(JSON.parse(all.stdout)).toHaveLength(2);
    expect(github.stdout.split('\n')[0]).toMatch(/^APP\s+LABEL\s+VENDOR\s+PHASE\s+USERS\s+STATUS\s+STARTED$/);
    expect(github.stdout.trim().split('\n').slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^${seeded.github.appId}\\s+GitHub Enterprise Cloud - Organization\\s+github\\s+awaiting_reauth\\s+4\\s+RUNNING\\s`)),
    ]);
    expect(JSON.parse(completed.stdout)).toEqual([]);
    expect(bad.code).toBe(EXIT.invalidInput);
    expect(bad.stderr).toMatch(/invalid --phase/);
  });

  it('ui prints the Web UI link from TEMPORAL_UI_URL, and refuses a malformed one (exit 2)', async () => {
    const [link, json, bad, none] = await Promise.all([
      cli(['ui', '--app', seeded.github.appId], env),
      cli(['ui', '--app', seeded.github.appId, '--json'], env),
      cli(['ui', '--app', seeded.github.appId], { ...env, TEMPORAL_UI_URL: 'ftp://temporal' }),
      cli(['ui', '--app', '0oaNOTRUNNING00000000'], env),
    ]);
    expect(link.stdout).toBe(`http://temporal.example.com:8080/namespaces/default/workflows/okta-remediation-${seeded.github.appId}\n`);
    expect(JSON.parse(json.stdout)).toEqual({ url: link.stdout.trim(), namespace: 'default', workflowId: `okta-remediation-${seeded.github.appId}`, runId: expect.any(String) });
    expect(bad.code).toBe(EXIT.invalidInput);
    expect(bad.stderr).toMatch(/TEMPORAL_UI_URL must be the http\(s\) address of the Temporal Web UI/);
    expect(none.code).toBe(EXIT.noRemediation);
  });

  it('watch follows a remediation through its phases to completion (exit 0), as text or JSON lines', async () => {
    const text = startCli(['watch', '--app', seeded.github.appId, '--poll', '100'], env);
    const json = startCli(['watch', '--app', seeded.github.appId, '--poll', '100', '--json'], env);
    await text.output(/Waiting for an admin to re-authenticate the app in Okta \(4 affected users\)/);
    await json.output(/"phase":"awaiting_reauth"/);

    h.sim.reauthenticate(seeded.github.appId, { login: 'admin@example.com' });
    const done = await cli(['reauth-done', '--app', seeded.github.appId, '--by', 'admin@example.com'], env);
    expect(done.code).toBe(0);

    const watched = await text.done;
    expect(watched.code).toBe(0);
    const lines = watched.stdout.split('\n');
    expect(lines[0]).toMatch(/^GitHub Enterprise Cloud - Organization \(\w+\): Waiting for an admin/);
    expect(lines).toContainEqual(expect.stringMatching(/: Completed \[#{24}\] 4\/4 users: 3 succeeded, 0 still failing/));
    expect(watched.stdout).toMatch(/Re-auth reported by admin@example.com .*: verified/);

    const events = (await json.done).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events[0]).toMatchObject({ type: 'progress', appId: seeded.github.appId, phase: 'awaiting_reauth', total: 4 });
    expect(events.at(-2)).toMatchObject({ type: 'progress', phase: 'completed', done: 4, total: 4, succeeded: 3 });
    expect(events.at(-1)).toMatchObject({ type: 'end', temporalStatus: 'COMPLETED', status: { phase: 'completed', appId: seeded.github.appId } });
  });

  it('watch exits 6 when the remediation fails, 7 when it is cancelled, 4 when there is none', async () => {
    const unknownApp = '0oaUNKNOWNAPP00000000';
    await startRemediation(h.client, h.taskQueue, { appId: unknownApp });
    await cancelRemediation(h.client, seeded.docusign.appId, 'vendor contract ended', 'ops@example.com');
    const [failed, cancelled, none] = await Promise.all([
      cli(['watch', '--app', unknownApp, '--poll', '100'], env),
      cli(['watch', '--app', seeded.docusign.appId, '--poll', '100'], env),
      cli(['watch', '--app', '0oaNOTRUNNING00000000'], env),
    ]);
    expect(failed.code).toBe(EXIT.remediationFailed);
    expect(failed.stderr).toMatch(/The remediation of app 0oaUNKNOWNAPP00000000 failed: .*Okta has no app with id 0oaUNKNOWNAPP00000000/);
    expect(cancelled.code).toBe(EXIT.remediationCancelled);
    expect(cancelled.stderr).toMatch(/was cancelled: vendor contract ended/);
    expect(none.code).toBe(EXIT.noRemediation);
  });
});
