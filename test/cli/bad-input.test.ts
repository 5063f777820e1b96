/**
 * Bad input, as operators and scripts send it: CLI flags, the environment, the worker's settings
 * and configuration file, signals and updates through the official `temporal` CLI, simulator
 * commands. Each case asserts the exit code, the one-line message naming what was wrong, and that
 * nothing changed: the remediation's record, the simulated world.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../cli/program';
import { startRemediation } from '../../client/remediations';
import type { RemediationStatus } from '../../domain/types';
import { ConfigError } from '../../config/worker-config';
import { loadWorkerSettings } from '../../worker/settings';
import { remediationWorkflowId } from '../../domain/messages';
import { startWorkerProcess } from '../support/cli';
import { eventually } from '../support/harness';
import { startWorldHarness, type WorldHarness } from '../support/world-harness';
import { temporalCli } from '../workflows/human-loop.support';

let h: WorldHarness;
let appId: string;
const dir = mkdtempSync(path.join(tmpdir(), 'okta-remediation-bad-input-'));

beforeAll(async () => {
  h = await startWorldHarness({ breakWith: (w) => w.breakDocuSign('grant_revoked'), apps: (s) => ({ [s.docusign.appId]: { confirmers: ['alice@example.com'], requireVerifiedIdentity: false } }) });
  appId = h.seeded.docusign.appId;
  await startRemediation(h.client, h.taskQueue, { appId });
  await h.waitForPhase(appId, 'awaiting_reauth');
});
afterAll(() => h?.close());

/** What a bad input must leave as it was: the remediation's record. */
function record(s: RemediationStatus) {
  const { phase, affected, results, reauthClaims, wait, cancellation, confirmation } = s;
  return { phase, affected, results, reauthClaims, wait, cancellation, confirmation };
}

/** The CLI in this process with `env` set (and only for this call). */
async function okta(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; out: string; err: string }> {
  const base = { TEMPORAL_ADDRESS: h.address, OKTA_REMEDIATION_TASK_QUEUE: h.taskQueue, OKTA_ORG_URL: h.world.okta.url, OKTA_SIM_ADMIN_TOKEN: h.world.okta.apiToken };
  const saved = { ...process.env };
  Object.assign(process.env, base);
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  let out = '';
  let err = '';
  try {
    const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

const long = (n: number) => 'x'.repeat(n);
const APP = () => appId;

type CliCase = [name: string, args: () => string[], code: number, message: RegExp, env?: Record<string, string | undefined>];

const cliCases: CliCase[] = [
  ['start without --app', () => ['start'], 2, /required option '--app <appId>' not specified/],
  ['start with an empty app id', () => ['start', '--app', ''], 2, /invalid app id: expected an Okta app id/],
  ['start with a short app id', () => ['start', '--app', 'abc'], 2, /invalid app id/],
  ['start with punctuation in the app id', () => ['start', '--app', '0oa$(rm -rf)x'], 2, /invalid app id/],
  ['start with a 65-character app id', () => ['start', '--app', long(65)], 2, /invalid app id/],
  ['an unknown command', () => ['frobnicate'], 2, /unknown command 'frobnicate'/],
  ['an unknown option', () => ['status', '--app', APP(), '--bogus'], 2, /unknown option '--bogus'/],
  ['a stray argument', () => ['status', '--app', APP(), 'extra'], 2, /too many arguments/],
  ['reauth-done without --by', () => ['reauth-done', '--app', APP()], 2, /^Say who acts: --by <email>, or --sign-in to prove it with Okta\.$/],
  ['reauth-done with an empty --by', () => ['reauth-done', '--app', APP(), '--by', ''], 2, /invalid --by: must not be empty/],
  ['reauth-done with a blank --by', () => ['reauth-done', '--app', APP(), '--by', '   '], 2, /invalid --by: must not be empty/],
  ['reauth-done with only escape codes in --by', () => ['reauth-done', '--app', APP(), '--by', '\u001b[2J\u202e'], 2, /invalid --by: must not be empty/],
  ['reauth-done with a 321-character --by', () => ['reauth-done', '--app', APP(), '--by', long(321)], 2, /invalid --by: at most 320 characters/],
  ['reauth-done with an empty --note', () => ['reauth-done', '--app', APP(), '--by', 'a@example.com', '--note', ''], 2, /invalid --note: must not be empty/],
  ['reauth-done with a 2,001-character --note', () => ['reauth-done', '--app', APP(), '--by', 'a@example.com', '--note', long(2001)], 2, /invalid --note: at most 2000 characters/],
  ['reauth-done --wait off the allow-list', () => ['reauth-done', '--app', APP(), '--by', 'mallory@example.com', '--wait'], 11, /Refused: mallory@example.com is not on the confirmers allow-list/],
  ['reauth-done for an app with no remediation', () => ['reauth-done', '--app', '0oaNOREMEDIATION01', '--by', 'a@example.com'], 4, /No remediation is running for app 0oaNOREMEDIATION01/],
  ['snooze without --for', () => ['snooze', '--app', APP()], 2, /required option '--for <duration>'/],
  ['snooze for nothing', () => ['snooze', '--app', APP(), '--for', ''], 2, /invalid --for/],
  ['snooze for words', () => ['snooze', '--app', APP(), '--for', 'a while'], 2, /invalid --for/],
  ['snooze for zero', () => ['snooze', '--app', APP(), '--for', '0s'], 2, /invalid --for/],
  ['snooze for a negative time', () => ['snooze', '--app', APP(), '--for', '-5m'], 2, /invalid --for/],
  ['snooze for 400 days', () => ['snooze', '--app', APP(), '--for', '400d'], 2, /invalid --for/],
  ['snooze past the deadline', () => ['snooze', '--app', APP(), '--for', '300d', '--by', 'alice@example.com'], 11, /Refused: The snooze would outlast the deadline/],
  ['approve-deprovision without --by', () => ['approve-deprovision', '--app', APP()], 2, /^Say who acts: --by <email>, or --sign-in to prove it with Okta\.$/],
  ['approve-deprovision with an empty --user', () => ['approve-deprovision', '--app', APP(), '--by', 'alice@example.com', '--user', ''], 2, /invalid --user: must not be empty/],
  ['approve-deprovision with a bidi override as --by', () => ['approve-deprovision', '--app', APP(), '--by', '\u202e'], 2, /invalid --by: must not be empty/],
  ['approve-deprovision off the allow-list', () => ['approve-deprovision', '--app', APP(), '--by', 'mallory@example.com'], 11, /Refused: mallory@example.com is not on the confirmers allow-list/],
  ['cancel without --reason', () => ['cancel', '--app', APP()], 2, /required option '--reason <text>'/],
  ['cancel with an empty --reason', () => ['cancel', '--app', APP(), '--reason', ''], 2, /invalid --reason: must not be empty/],
  ['cancel with a 2,001-character --reason', () => ['cancel', '--app', APP(), '--reason', long(2001)], 2, /invalid --reason: at most 2000 characters/],
  ['status of a malformed app id', () => ['status', '--app', 'not an id'], 2, /invalid app id/],
  ['status of an app never remediated', () => ['status', '--app', '0oaNOREMEDIATION01'], 4, /No remediation found for app 0oaNOREMEDIATION01/],
  ['schedule every zero', () => ['schedule', '--every', '0s'], 2, /invalid --every/],
  ['schedule every words', () => ['schedule', '--every', 'often'], 2, /invalid --every/],
  ['schedule with a negative overlap', () => ['schedule', '--overlap', '-1m'], 2, /invalid --overlap/],
  ['schedule with a malformed lookback', () => ['schedule', '--lookback', 'x'], 2, /invalid --lookback/],
  ['schedule with no events per scan', () => ['schedule', '--max-events', '0'], 2, /invalid --max-events/],
  ['schedule with words for max events', () => ['schedule', '--max-events', 'many'], 2, /invalid --max-events/],
  ['scan with a malformed timeout', () => ['scan', '--timeout', 'soon'], 2, /invalid --timeout/],
  ['list with a zero limit', () => ['list', '--limit', '0'], 2, /invalid --limit/],
  ['list with words for a limit', () => ['list', '--limit', 'all'], 2, /invalid --limit/],
  ['list by an unknown phase', () => ['list', '--phase', 'sleeping'], 2, /invalid --phase/],
  ['list by an unknown vendor', () => ['list', '--vendor', 'salesforce'], 2, /invalid --vendor/],
  ['watch with a malformed poll', () => ['watch', '--app', APP(), '--poll', 'fast'], 2, /invalid --poll/],
  ['ui for a malformed app id', () => ['ui', '--app', '../../etc'], 2, /invalid app id/],
  // The environment the CLI reads.
  ['TEMPORAL_ADDRESS with words', () => ['status', '--app', APP()], 2, /TEMPORAL_ADDRESS must be host:port/, { TEMPORAL_ADDRESS: 'not a host' }],
  ['TEMPORAL_ADDRESS with a scheme', () => ['status', '--app', APP()], 2, /TEMPORAL_ADDRESS must be host:port/, { TEMPORAL_ADDRESS: 'http://localhost:7233' }],
  ['TEMPORAL_ADDRESS without a port', () => ['status', '--app', APP()], 2, /TEMPORAL_ADDRESS must be host:port/, { TEMPORAL_ADDRESS: 'localhost' }],
  ['TEMPORAL_ADDRESS with port 99999', () => ['status', '--app', APP()], 2, /TEMPORAL_ADDRESS must be host:port/, { TEMPORAL_ADDRESS: 'localhost:99999' }],
  ['TEMPORAL_ADDRESS with a path', () => ['status', '--app', APP()], 2, /TEMPORAL_ADDRESS must be host:port/, { TEMPORAL_ADDRESS: 'localhost:7233/default' }],
  ['TEMPORAL_ADDRESS where no server listens', () => ['status', '--app', APP()], 5, /No Temporal server reachable at 127\.0\.0\.1:1/, { TEMPORAL_ADDRESS: '127.0.0.1:1' }],
  ['a malformed OKTA_REMEDIATION_TASK_QUEUE', () => ['start', '--app', APP()], 2, /OKTA_REMEDIATION_TASK_QUEUE must be letters, digits/, { OKTA_REMEDIATION_TASK_QUEUE: 'my queue!' }],
  ['a malformed TEMPORAL_UI_URL', () => ['ui', '--app', APP()], 2, /TEMPORAL_UI_URL/, { TEMPORAL_UI_URL: 'localhost 8233' }],
  // Simulator commands.
  ['sim fault with a success status', () => ['sim', 'fault', '--target', 'okta', '--path', '/api/', '--status', '200'], 2, /status: the okta simulator plays/],
  ['sim fault for an unknown simulator', () => ['sim', 'fault', '--target', 'salesforce', '--path', '/', '--status', '500'], 2, /invalid --target/],
  ['sim fault with a malformed path pattern', () => ['sim', 'fault', '--target', 'okta', '--path', '(', '--status', '500'], 2, /path/],
  ['sim fault zero times', () => ['sim', 'fault', '--target', 'okta', '--path', '/', '--status', '500', '--count', '0'], 2, /invalid --count/],
  ['sim fault with words for a status', () => ['sim', 'fault', '--target', 'okta', '--path', '/', '--status', 'teapot'], 2, /invalid --status/],
  ['sim break with an unknown cause', () => ['sim', 'break', '--app', APP(), '--cause', 'gremlins'], 2, /cause/],
  ['sim assign without --user', () => ['sim', 'assign', '--app', APP()], 2, /required option '--user <login>'/],
  ['sim assign of an unknown person', () => ['sim', 'assign', '--app', APP(), '--user', 'nobody@example.com'], 3, /looking up nobody@example.com/],
  ['sim reauth with a malformed API Account ID', () => ['sim', 'reauth', '--app', APP(), '--api-account-id', 'not-a-guid'], 2, /invalid --api-account-id: expected a GUID/],
  ['sim serve on port 70000', () => ['sim', 'serve', '--port', '70000'], 2, /invalid --port/],
  ['sim serve with an unknown DocuSign cause', () => ['sim', 'serve', '--docusign-cause', 'gremlins'], 2, /invalid --docusign-cause/],
  ['sim serve --quick-waits without --config-out', () => ['sim', 'serve', '--quick-waits'], 2, /--quick-waits goes with --config-out/],
  [
    'sim state without the simulator settings',
    () => ['sim', 'state'],
    2,
    /^The sim commands need OKTA_ORG_URL \(or --sim-url\) and OKTA_SIM_ADMIN_TOKEN .*`okta-remediate sim serve` prints them\.$/,
    { OKTA_ORG_URL: undefined, OKTA_SIM_ADMIN_TOKEN: undefined },
  ],
  [
    'sim state without the admin token',
    () => ['sim', 'state'],
    2,
    /^The sim commands need OKTA_SIM_ADMIN_TOKEN \(the simulator's admin token\): `okta-remediate sim serve` prints them\.$/,
    { OKTA_SIM_ADMIN_TOKEN: undefined },
  ],
  ['sim fail with an empty reason', () => ['sim', 'fail', '--app', APP(), '--user', 'a@example.com', '--reason', ''], 2, /reason/],
  ['sim with a malformed --sim-url', () => ['sim', 'state', '--sim-url', 'nowhere'], 2, /invalid --sim-url/],
];

describe('bad CLI flags and environment', () => {
  it.each(cliCases)('%s', async (...[, args, code, message, env]: CliCase) => {
    const before = record(await h.status(appId));
    const world = (await okta(['sim', 'state', '--json'])).out;
    const run = await okta(args(), env);
    expect({ code: run.code, message: run.err.trim() }).toEqual({ code, message: expect.stringMatching(message) });
    expect(run.err.trim().split('\n')[0]).toMatch(message); // the reason comes first, in one line
    expect(record(await h.status(appId))).toEqual(before);
    expect((await okta(['sim', 'state', '--json'])).out).toBe(world);
  });
});

/** The worker's settings: a valid base, one thing wrong in each case. */
const WORKER_BASE = { OKTA_ORG_URL: 'https://acme.okta.com', OKTA_API_TOKEN: 'tok-not-a-secret', TEMPORAL_ADDRESS: 'localhost:7233' };
function configFile(name: string, content: unknown): string {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}
const withConfig = (name: string, content: unknown, env: Record<string, string> = {}) => ({ OKTA_REMEDIATION_CONFIG: configFile(name, content), ...env });
const APP_ID = '0oadJb42fa5Ow1hVIeCO';
const ops = { channels: { ops: { type: 'webhook', urlEnv: 'OPS_WEBHOOK_URL' } } };

type SettingCase = [name: string, env: Record<string, string | undefined>, message: RegExp];
const settingCases: SettingCase[] = [
  ['no OKTA_ORG_URL', { OKTA_ORG_URL: undefined }, /OKTA_ORG_URL is required/],
  ['OKTA_ORG_URL over plain http', { OKTA_ORG_URL: 'http://acme.okta.com' }, /OKTA_ORG_URL must use https/],
  ['OKTA_ORG_URL that is no URL', { OKTA_ORG_URL: 'acme' }, /OKTA_ORG_URL must be a URL/],
  ['no Okta credential', { OKTA_API_TOKEN: undefined }, /OKTA_API_TOKEN is required/],
  ['both an API token and OAuth', { OKTA_CLIENT_ID: '0oaclient', OKTA_PRIVATE_KEY: 'k' }, /choose one way to authenticate/],
  ['OAuth without a private key', { OKTA_API_TOKEN: undefined, OKTA_CLIENT_ID: '0oaclient' }, /OKTA_PRIVATE_KEY or OKTA_PRIVATE_KEY_FILE is required/],
  [
    'a private key file that is not there',
    { OKTA_API_TOKEN: undefined, OKTA_CLIENT_ID: '0oaclient', OKTA_PRIVATE_KEY_FILE: '/nonexistent/key.pem' },
    /OKTA_PRIVATE_KEY_FILE cannot be read \(ENOENT\)/,
  ],
  ['a sync timeout in words', { OKTA_REMEDIATION_SYNC_TIMEOUT_SECONDS: 'two minutes' }, /OKTA_REMEDIATION_SYNC_TIMEOUT_SECONDS/],
  ['a negative sync timeout', { OKTA_REMEDIATION_SYNC_TIMEOUT_SECONDS: '-1' }, /OKTA_REMEDIATION_SYNC_TIMEOUT_SECONDS must be a positive number of seconds/],
  [
    'a sync timeout no activity can hold',
    { OKTA_REMEDIATION_SYNC_TIMEOUT_SECONDS: '600' },
    /OKTA_REMEDIATION_SYNC_TIMEOUT_SECONDS \(600\) must be at most 540: each re-push and test-user step waits that long inside an activity limited to 10 minutes/,
  ],
  [
    'a sync poll no shorter than the sync timeout',
    { OKTA_REMEDIATION_SYNC_TIMEOUT_SECONDS: '30', OKTA_REMEDIATION_SYNC_POLL_SECONDS: '30' },
    /OKTA_REMEDIATION_SYNC_POLL_SECONDS \(30\) must be less than OKTA_REMEDIATION_SYNC_TIMEOUT_SECONDS \(30\)/,
  ],
  ['a shutdown grace in words', { OKTA_REMEDIATION_SHUTDOWN_GRACE_SECONDS: 'a minute' }, /OKTA_REMEDIATION_SHUTDOWN_GRACE_SECONDS/],
  ['one activity at a time', { OKTA_REMEDIATION_MAX_CONCURRENT_ACTIVITIES: '1' }, /OKTA_REMEDIATION_MAX_CONCURRENT_ACTIVITIES must be at least 2/],
  [
    'a workflow cache smaller than the workflow tasks it must hold',
    { OKTA_REMEDIATION_MAX_CACHED_WORKFLOWS: '5' },
    /OKTA_REMEDIATION_MAX_CACHED_WORKFLOWS \(5\) must be at least OKTA_REMEDIATION_MAX_CONCURRENT_WORKFLOW_TASKS \(10\)/,
  ],
  ['a metrics address without a port', { OKTA_REMEDIATION_METRICS_ADDRESS: '0.0.0.0' }, /OKTA_REMEDIATION_METRICS_ADDRESS must be host:port/],
  ['a zero lookback', { OKTA_REMEDIATION_LOOKBACK_HOURS: '0' }, /OKTA_REMEDIATION_LOOKBACK_HOURS must be a positive number of hours/],
  ['a task queue with spaces', { OKTA_REMEDIATION_TASK_QUEUE: 'a b' }, /OKTA_REMEDIATION_TASK_QUEUE must be letters/],
  ['a DocuSign key without its user', { DOCUSIGN_INTEGRATION_KEY: 'ik', DOCUSIGN_PRIVATE_KEY: 'k' }, /DOCUSIGN_USER_ID is required/],
  ['a DocuSign OAuth host with a scheme', { DOCUSIGN_OAUTH_HOST: 'https://account.docusign.com' }, /DOCUSIGN_OAUTH_HOST must be a host\[:port\]/],
  [
    'a DocuSign private key file that is not there',
    { DOCUSIGN_INTEGRATION_KEY: 'ik', DOCUSIGN_USER_ID: 'u', DOCUSIGN_PRIVATE_KEY_FILE: '/nonexistent/ds.pem' },
    /DOCUSIGN_PRIVATE_KEY_FILE cannot be read/,
  ],
  ['a GitHub API URL that is no URL', { GITHUB_API_URL: 'github' }, /GITHUB_API_URL must be a URL/],
  ['a malformed TEMPORAL_ADDRESS', { TEMPORAL_ADDRESS: 'temporal.example.com' }, /TEMPORAL_ADDRESS must be host:port/],
  ['a configuration file that is not there', { OKTA_REMEDIATION_CONFIG: '/nonexistent/config.json' }, /OKTA_REMEDIATION_CONFIG names \/nonexistent\/config.json, which cannot be read \(ENOENT\)/],
  ['a configuration file that is not JSON', withConfig('not-json', '{"apps": '), /is not valid JSON/],
  ['a configuration that is a list', withConfig('list', []), /at \(top\)/],
  ['an unknown top-level key', withConfig('unknown-key', { app: {} }), /at \(top\) Unrecognized key: "app"|at \(top\).*app/],
  ['a channel of an unknown type', withConfig('channel-type', { channels: { x: { type: 'pager' } } }), /at channels\.x\.type/],
  ['a webhook channel without urlEnv', withConfig('no-url-env', { channels: { x: { type: 'webhook' } } }), /at channels\.x\.urlEnv/],
  ['a webhook urlEnv that names no variable', withConfig('lower-env', { channels: { x: { type: 'webhook', urlEnv: 'ops-url' } } }), /at channels\.x\.urlEnv must name an environment variable/],
  ['an email channel with a malformed sender', withConfig('email-from', { channels: { m: { type: 'email', smtpUrlEnv: 'SMTP_URL', from: 'me', to: ['a@example.com'] } } }), /at channels\.m\.from/],
  ['an email channel with nobody to write to', withConfig('email-to', { channels: { m: { type: 'email', smtpUrlEnv: 'SMTP_URL', from: 'me@example.com', to: [] } } }), /at channels\.m\.to/],
  ['defaults naming an undefined channel', withConfig('defaults-notify', { defaults: { notify: { primary: ['pager'] } } }), /at defaults\.notify\.primary names channel "pager"/],
  [
    'an app escalating to an undefined channel',
    withConfig('app-notify', { apps: { [APP_ID]: { notify: { escalation: ['pager'] } } } }),
    new RegExp(`at apps\\.${APP_ID}\\.notify\\.escalation names channel "pager"`),
  ],
  ['an app key that is no Okta app id', withConfig('app-key', { apps: { 'docu sign': {} } }), /must be an Okta app id/],
  ['an unknown deprovisioning policy', withConfig('policy', { apps: { [APP_ID]: { deprovisionPolicy: 'sometimes' } } }), new RegExp(`at apps\\.${APP_ID}\\.deprovisionPolicy`)],
  ['a reminder interval in words', withConfig('remind', { apps: { [APP_ID]: { wait: { remindEvery: 'soon' } } } }), /wait\.remindEvery must be a duration/],
  ['a negative escalation count', withConfig('escalate', { defaults: { wait: { escalateAfterReminders: -1 } } }), /at defaults\.wait\.escalateAfterReminders/],
  ['a DocuSign API Account ID that is no GUID', withConfig('account-id', { apps: { [APP_ID]: { docusign: { apiAccountId: '12345' } } } }), /docusign\.apiAccountId must be a DocuSign API Account ID/],
  ['an unknown DocuSign environment', withConfig('environment', { apps: { [APP_ID]: { docusign: { environment: 'staging' } } } }), /docusign\.environment/],
  [
    'a service-account pattern that is no regular expression',
    withConfig('pattern', { apps: { [APP_ID]: { github: { org: 'acme', serviceAccountPattern: '(' } } } }),
    /github\.serviceAccountPattern must be a valid regular expression/,
  ],
  ['a negative GitHub account id', withConfig('account', { apps: { [APP_ID]: { github: { org: 'acme', serviceAccountId: -3 } } } }), /github\.serviceAccountId/],
  ['an empty confirmer', withConfig('confirmers', { apps: { [APP_ID]: { confirmers: [''] } } }), /confirmers\.0/],
  [
    'confirmers, so signed-in admins only, on a worker that cannot check a sign-in',
    withConfig('sign-in', { apps: { [APP_ID]: { confirmers: ['alice@example.com'] } } }),
    new RegExp(`apps\\.${APP_ID} in OKTA_REMEDIATION_CONFIG take only signed-in admins \\(requireVerifiedIdentity, on by default where confirmers are set\\), but OKTA_CLI_CLIENT_ID is not set`),
  ],
  ['an unknown app setting', withConfig('app-unknown', { apps: { [APP_ID]: { retries: 3 } } }), new RegExp(`at apps\\.${APP_ID}`)],
  ['a webhook channel whose variable is unset', withConfig('unset-var', ops), /channels\.ops\.urlEnv: environment variable OPS_WEBHOOK_URL is not set on the worker/],
  [
    'a webhook channel whose variable is blank',
    withConfig('blank-var', ops, { OPS_WEBHOOK_URL: '  ' }),
    /channels\.ops\.urlEnv: environment variable OPS_WEBHOOK_URL is not set on the worker \(or is blank\)/,
  ],
  [
    'a webhook channel over plain http',
    withConfig('http-var', ops, { OPS_WEBHOOK_URL: 'http://hooks.example.com/x' }),
    /channels\.ops\.urlEnv: environment variable OPS_WEBHOOK_URL must be an https URL/,
  ],
  [
    'a Slack channel whose variable is no URL',
    withConfig('slack-var', { channels: { it: { type: 'slack', webhookUrlEnv: 'SLACK_URL' } } }, { SLACK_URL: 'hooks.slack.com' }),
    /channels\.it\.webhookUrlEnv: environment variable SLACK_URL is not a valid URL/,
  ],
  [
    'an email channel whose variable is not smtp',
    withConfig('smtp-var', { channels: { m: { type: 'email', smtpUrlEnv: 'SMTP_URL', from: 'me@example.com', to: ['a@example.com'] } } }, { SMTP_URL: 'https://mail.example.com' }),
    /channels\.m\.smtpUrlEnv: environment variable SMTP_URL must start with smtp:\/\/ or smtps:\/\//,
  ],
];

describe('bad worker settings stop it with one line naming the setting', () => {
  it('the worker process exits 2 before it polls, naming the channel whose variable is unset', async () => {
    const run = await startWorkerProcess({ ...WORKER_BASE, TEMPORAL_ADDRESS: h.address, OKTA_REMEDIATION_CONFIG: configFile('worker-process', ops) }).done;
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      'Configuration error: channels.ops.urlEnv: environment variable OPS_WEBHOOK_URL is not set on the worker (or is blank). Set it to the https URL that should receive the JSON notices.',
    );
    expect(run.stdout).not.toMatch(/Worker polling/);
  });

  it.each(settingCases)('%s', (_name, env, message) => {
    const merged: Record<string, string | undefined> = { ...WORKER_BASE, ...env };
    const settings = Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined));
    let thrown: unknown;
    try {
      loadWorkerSettings(settings);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const text = (thrown as Error).message;
    expect(text).toMatch(message);
    expect(text).not.toContain('\n');
    expect(text).not.toContain('tok-not-a-secret');
  });
});

type MessageCase = [kind: 'update' | 'signal', name: string, input: string, problem: RegExp];
const messageCases: MessageCase[] = [
  ['update', 'confirmReauth', 'null', /the input must be an object such as \{"by":"you@example.com"\}/],
  ['update', 'confirmReauth', '42', /the input must be an object/],
  ['update', 'confirmReauth', '"alice@example.com"', /the input must be an object/],
  ['update', 'confirmReauth', '[]', /the input must be an object/],
  ['update', 'confirmReauth', '{}', /"by" is required: who acts/],
  ['update', 'confirmReauth', '{"by":7}', /"by" must be a string: who acts/],
  ['update', 'confirmReauth', '{"by":"alice@example.com","extra":1}', /unknown field "extra"/],
  ['update', 'confirmReauth', '{"by":"   "}', /"by" is empty/],
  ['update', 'confirmReauth', '{"by":"alice@example.com","note":["a"]}', /"note" must be a string/],
  ['update', 'confirmReauth', '{"idToken":42}', /"idToken" must be a string: the ID token `--sign-in` got from Okta/],
  ['update', 'confirmReauth', '{"idToken":"my password"}', /"idToken" must be an ID token \(a JWT\) from `--sign-in`/],
  ['update', 'approveDeprovision', '{"all":true}', /"by" is required: who acts \(an email or username\), or an idToken from `--sign-in`/],
  ['update', 'snooze', 'null', /the input must be an object such as \{"forMs"/],
  ['update', 'snooze', '{"forMs":"2h"}', /"forMs" must be a number of milliseconds/],
  ['update', 'snooze', '{"forMs":-1}', /"forMs" must be positive/],
  ['update', 'snooze', '{"forMs":1.5}', /"forMs" must be a whole number/],
  ['update', 'snooze', '{}', /"forMs" must be a number/],
  ['update', 'snooze', '{"forMs":60000,"by":{}}', /"by" must be a string/],
  ['update', 'approveDeprovision', 'null', /the input must be an object such as \{"all":true/],
  ['update', 'approveDeprovision', '{"by":"alice@example.com"}', /"logins" name the logins to approve/],
  ['update', 'approveDeprovision', '{"all":"yes","by":"alice@example.com"}', /"all" must be true or false/],
  ['update', 'approveDeprovision', '{"logins":[],"by":"alice@example.com"}', /"logins" must name at least one login/],
  ['update', 'approveDeprovision', '{"logins":"bob@example.com","by":"alice@example.com"}', /"logins" must be a list of Okta logins/],
  ['signal', 'reauthCompleted', 'null', /the input must be an object/],
  ['signal', 'reauthCompleted', '{"by":["alice@example.com"]}', /"by" must be a string/],
  ['signal', 'reauthCompleted', '{"by":"alice@example.com","note":5}', /"note" must be a string/],
  ['signal', 'addFailedUsers', 'null', /the input must be an object such as \{"users"/],
  ['signal', 'addFailedUsers', '{"users":"00u1"}', /"users" must be a list of users/],
  ['signal', 'addFailedUsers', '{"users":[{"userId":"00u1"}]}', /users\[0\]: "login" is required/],
  [
    'signal',
    'addFailedUsers',
    '{"users":[{"userId":"00u1","login":"a@example.com","displayName":"A","kind":"remove","failedAt":"2026-01-01T00:00:00Z","reason":"x"}]}',
    /users\[0\]: "kind" must be "push" or "deprovision"/,
  ],
  ['signal', 'cancelReason', '{}', /"reason" is required/],
  ['signal', 'approveDeprovision', '{"logins":"bob@example.com","by":"alice@example.com"}', /"logins" must be a list of Okta logins/],
];

describe('malformed signals and updates through the official temporal CLI', () => {
  it.each(messageCases)('%s %s %s', async (kind, name, input, problem) => {
    const before = await h.status(appId);
    const workflowId = remediationWorkflowId(appId);
    const args =
      kind === 'update'
        ? ['workflow', 'update', 'execute', '--workflow-id', workflowId, '--name', name, '--input', input]
        : ['workflow', 'signal', '--workflow-id', workflowId, '--name', name, '--input', input];
    const run = await temporalCli(h.address, args);
    if (kind === 'update') {
      // Refused by the validator: the update is rejected, with the field named.
      expect(run.code).not.toBe(0);
      expect(run.out.replace(/\\+"/g, '"')).toMatch(problem); // the CLI logs the reason with its quotes escaped
    } else {
      // A signal cannot be refused to its sender: the report lists it, naming the field.
      expect(run.code).toBe(0);
      const after = await eventually(async () => {
        const s = await h.status(appId);
        return (s.refusedMessages ?? []).length > (before.refusedMessages ?? []).length ? s : undefined;
      }, `the refusal of ${name}`);
      expect(after.refusedMessages!.at(-1)).toMatchObject({ message: name, problem: expect.stringMatching(problem) });
    }
    expect(record(await h.status(appId))).toEqual(record(before));
  });

  it('keeps text it accepts clean and capped: no escape codes or bidi overrides, 320 characters for who', async () => {
    const handle = h.client.workflow.getHandle(remediationWorkflowId(appId));
    await handle.signal('reauthCompleted', { by: `\u001b[31m\u202eeve@example.com\u202c${'e'.repeat(400)}`, note: `line one\n\u001b]0;pwned\u0007line two ${'n'.repeat(3000)}` });
    const claim = await eventually(async () => (await h.status(appId)).reauthClaims.at(-1), 'the claim');
    expect(claim.by).toMatch(/^eve@example\.come+…$/);
    expect(claim.by).toHaveLength(320);
    expect(claim.note).toMatch(/^line one line two n+…$/);
    expect(claim.note).toHaveLength(2000);
    // Off the allow-list: kept on record, not acted on.
    expect(claim).toMatchObject({ verified: false, verdict: expect.stringMatching(/^Ignored: eve@example\.com/) });
    const status = await okta(['status', '--app', appId]);
    expect(status.out).not.toMatch(/[\u001b\u202e\u202c]/);
  });
});
