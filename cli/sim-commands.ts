/**
 * `okta-remediate sim ...`: serve the simulated world (Okta with DocuSign and GitHub behind its
 * apps), and play the admin who re-authenticates an app in the Okta console.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { ensureSimCertificates } from '../sim/tls/ca';
import { extraCaCertsFor } from '../sim/tls/trust';
import type { SimState } from '../sim/okta/admin-routes';
import { DEFAULT_ADMIN } from '../sim/okta/org';
import { addPipelineServiceApp, type PipelineServiceApp } from '../sim/okta/oauth/pipeline-app';
import { seededAppSettings } from '../sim/pipeline-settings';
import { DOCUSIGN_CAUSES, GITHUB_CAUSES, SimWorld, type SeededWorld } from '../sim/world';
import { CliError, EXIT } from '../client/errors';
import { DEFAULT_OKTA_SCOPES } from '../config/worker-config';
import { appIdOption, parseWith, type Io } from './options';

const simUrl = parseWith(z.url({ error: 'expected the simulator URL, e.g. http://127.0.0.1:8787' }), 'invalid --sim-url');
const onOff = z.enum(['on', 'off'], { error: 'expected on or off' }).transform((v) => v === 'on');
const cause = <T extends string>(causes: readonly T[], flag: string) => parseWith(z.enum(['none', ...causes] as const, { error: `expected one of ${causes.join(', ')}, none` }), `invalid ${flag}`);

interface ServeOptions {
  port: number;
  token?: string;
  docusignCause: (typeof DOCUSIGN_CAUSES)[number] | 'none';
  githubCause: (typeof GITHUB_CAUSES)[number] | 'none';
  githubPerson?: boolean;
  configOut?: string;
  quickWaits?: boolean;
  oktaRate?: number;
  oktaLogsRate?: number;
  oktaTokenShare?: number;
  oktaConcurrency?: number;
}

/** Waits short enough to count reminders and escalations by hand (`sim serve --quick-waits`). */
const QUICK_WAITS = { remindEvery: '20s', escalateAfterReminders: 2, giveUpAfter: '10m', autoDetectEvery: '30s' };

export function addSimCommands(program: Command, io: Io): void {
  const sim = program
    .command('sim')
    .description('The simulated Okta org, DocuSign and GitHub used by the demo and the tests')
    .addHelpText('after', '\nThe commands that steer a running simulator read OKTA_ORG_URL (or --sim-url) and OKTA_SIM_ADMIN_TOKEN (else OKTA_API_TOKEN), which `sim serve` prints.');

  sim
    .command('serve')
    .description('Serve a simulated Okta org whose DocuSign and GitHub apps lost their credentials at the (simulated) vendors')
    .option('--port <port>', 'Okta port on 127.0.0.1', parseWith(z.coerce.number().int().min(0).max(65535), 'invalid --port'), 8787)
    .option('--token <token>', "the simulated org's SSWS admin token, OKTA_SIM_ADMIN_TOKEN of the sim commands (default: a random one)")
    .option('--docusign-cause <cause>', `how DocuSign broke: ${DOCUSIGN_CAUSES.join(', ')} or none`, cause(DOCUSIGN_CAUSES, '--docusign-cause'), 'grant_revoked')
    .option('--github-cause <cause>', `how GitHub broke: ${GITHUB_CAUSES.join(', ')} or none`, cause(GITHUB_CAUSES, '--github-cause'), 'token_revoked')
    .option('--github-person', "run Okta's GitHub integration on a person's account instead of a service account")
    .option('--config-out <file>', "write the worker's OKTA_REMEDIATION_CONFIG for the seeded apps (vendor identities, test user) to this file")
    .option('--quick-waits', `with --config-out: remind every ${QUICK_WAITS.remindEvery}, escalate after ${QUICK_WAITS.escalateAfterReminders}, give up after ${QUICK_WAITS.giveUpAfter}`)
    // Okta's limits, as your org's Admin Console (Reports > Rate Limits) shows them.
    .option('--okta-rate <n>', 'requests per minute in each Okta bucket (default 600)', parseWith(z.coerce.number().int().min(1).max(1_000_000), 'invalid --okta-rate'))
    .option('--okta-logs-rate <n>', 'requests per minute to /api/v1/logs (default 120)', parseWith(z.coerce.number().int().min(1).max(1_000_000), 'invalid --okta-logs-rate'))
    .option('--okta-token-share <share>', "one API token's share of each bucket (default 0.5)", parseWith(z.coerce.number().gt(0).max(1), 'invalid --okta-token-share'))
    .option('--okta-concurrency <n>', 'concurrent requests the org answers (default 75)', parseWith(z.coerce.number().int().min(1).max(10_000), 'invalid --okta-concurrency'))
    .action(async (opts: ServeOptions) => {
      if (opts.quickWaits && !opts.configOut) throw new CliError('--quick-waits goes with --config-out FILE (the waits are per-app settings).', EXIT.invalidInput);
      // The clients (worker, demo) run in other processes: they need NODE_EXTRA_CA_CERTS, not us.
      const rateLimit = { limit: opts.oktaRate, logsLimit: opts.oktaLogsRate, tokenShare: opts.oktaTokenShare, concurrency: opts.oktaConcurrency };
      const world = await SimWorld.start({ okta: { port: opts.port, apiToken: opts.token, rateLimit }, requireTrustedCa: false });
      const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'okta-remediation-sim-'));
      try {
        // The console's admin is a user of the org before anything is logged: it can sign in, and the System Log names it alike throughout.
        world.okta.addUser({ login: DEFAULT_ADMIN.login, firstName: 'Okta', lastName: 'Admin' });
        const seeded = world.seed({ githubServiceAccountIsPerson: opts.githubPerson });
        if (opts.docusignCause !== 'none') world.breakDocuSign(opts.docusignCause);
        if (opts.githubCause !== 'none') world.breakGitHub(opts.githubCause);
        // The worker signs in as production should: its own DPoP-bound service app, not the org's SSWS token.
        const serviceApp = addPipelineServiceApp(world.okta);
        // Admins prove who they are with the CLI's --sign-in, through this OIDC app.
        const signInClientId = world.okta.addSignInApp();
        const keyFiles = { docusign: path.join(keyDir, 'docusign-private-key.pem'), okta: path.join(keyDir, 'okta-private-key.pem') };
        fs.writeFileSync(keyFiles.docusign, world.pipelineCredentials.docusign.privateKeyPem, { mode: 0o600 });
        fs.writeFileSync(keyFiles.okta, serviceApp.privateKey, { mode: 0o600 });
        if (opts.configOut) {
          const apps = Object.fromEntries(Object.entries(seededAppSettings(seeded)).map(([id, a]) => [id, { ...a, testUser: seeded.testUser }]));
          fs.writeFileSync(opts.configOut, JSON.stringify({ ...(opts.quickWaits ? { defaults: { wait: QUICK_WAITS } } : {}), apps }, null, 2) + '\n');
        }
        io.out(serveBanner(world, seeded, opts, { ...serviceApp, signInClientId }, keyFiles));
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
      } finally {
        fs.rmSync(keyDir, { recursive: true, force: true });
        await world.stop();
      }
    });

  sim
    .command('reauth')
    .description('Play the admin: re-authenticate the app in the simulated Okta console (the vendor decides whether it works)')
    .addOption(appIdOption())
    .option('--as <login>', "who signs in at the vendor (default: the account Okta's grant belongs to)")
    .option('--api-account-id <id>', 'DocuSign: the API Account ID typed in Okta before authenticating', parseWith(z.uuid({ error: 'expected a GUID' }), 'invalid --api-account-id'))
    .addOption(simUrlOption())
    .action(async (opts: { app: string; as?: string; apiAccountId?: string; simUrl?: string }) => {
      const body = { ...(opts.as ? { login: opts.as } : {}), ...(opts.apiAccountId ? { settings: { apiAccountId: opts.apiAccountId } } : {}) };
      const answer = (await simCall(opts, 'POST', `/sim/v1/apps/${opts.app}/reauth`, body, 'the re-auth')) as { credentialValid?: boolean };
      const who = opts.as ?? 'the admin';
      io.out(
        answer.credentialValid === false
          ? `${who} re-authenticated app ${opts.app}, but the vendor still rejects the credential: pushes keep failing.\n`
          : `${who} re-authenticated app ${opts.app} in the simulated org; pushes work again.\n`,
      );
    });

  sim
    .command('approve-sign-in')
    .description("Play the admin at Okta's verification page: approve (or --deny) the code a `--sign-in` shows")
    .requiredOption('--code <code>', 'the code the CLI printed, e.g. BCDF-GHJK', parseWith(z.string().regex(/^[A-Za-z]{4}-?[A-Za-z]{4}$/, 'expected a code such as BCDF-GHJK'), 'invalid --code'))
    .option('--as <login>', `who signs in (a user of the simulated org; default ${DEFAULT_ADMIN.login})`, DEFAULT_ADMIN.login)
    .option('--deny', 'refuse the sign-in instead')
    .addOption(simUrlOption())
    .action(async (opts: { code: string; as: string; deny?: boolean; simUrl?: string }) => {
      const code = opts.code.toUpperCase().replace(/^(.{4})-?(.{4})$/, '$1-$2');
      await simCall(opts, 'POST', `/sim/v1/sign-ins/${code}/approve`, { login: opts.as, deny: opts.deny === true }, 'the sign-in');
      io.out(opts.deny ? `${opts.as} denied the sign-in ${code}.\n` : `${opts.as} signed in and approved ${code}: the waiting command goes on.\n`);
    });

  sim
    .command('break')
    .description("Break the app's credential the way its vendor breaks (DocuSign and GitHub: --cause); Okta's pushes and deprovisions start failing")
    .addOption(appIdOption())
    .option('--cause <cause>', `DocuSign: ${DOCUSIGN_CAUSES.join(', ')}; GitHub: ${GITHUB_CAUSES.join(', ')}; none for other apps`)
    .addOption(simUrlOption())
    .action(async (opts: { app: string; cause?: string; simUrl?: string }) => {
      const answer = (await simCall(opts, 'POST', `/sim/v1/world/apps/${opts.app}/break`, opts.cause ? { cause: opts.cause } : {}, 'breaking the app')) as { cause: string };
      io.out(`App ${opts.app} is broken (${answer.cause}): Okta's pushes and deprovisions to it fail from now on.\n`);
    });

  sim
    .command('provisioning')
    .description(
      "Set the app's provisioning in the simulated Okta: on, off or never set up (off, Okta pushes and deprovisions nothing); the To App settings; and whether a POST of an unchanged profile starts a push",
    )
    .addOption(appIdOption())
    .option('--state <state>', 'enabled, disabled or not_set_up', parseWith(z.enum(['enabled', 'disabled', 'not_set_up']), 'invalid --state'))
    .option('--create <on|off>', 'To App: Create Users', parseWith(onOff, 'invalid --create'))
    .option('--update-profile <on|off>', 'To App: Update User Attributes (off, a POST pushes nothing)', parseWith(onOff, 'invalid --update-profile'))
    .option('--deactivate <on|off>', 'To App: Deactivate Users', parseWith(onOff, 'invalid --deactivate'))
    .option('--unchanged-post <mode>', 'pushes or ignored: what Okta does with a POST that changes nothing', parseWith(z.enum(['pushes', 'ignored']), 'invalid --unchanged-post'))
    .addOption(simUrlOption())
    .action(async (opts: { app: string; state?: string; create?: boolean; updateProfile?: boolean; deactivate?: boolean; unchangedPost?: string; simUrl?: string }) => {
      const { state, create, updateProfile, deactivate, unchangedPost } = opts;
      const body = { state, create, updateProfile, deactivate, unchangedPost };
      if (Object.values(body).every((v) => v === undefined)) throw new CliError('Nothing to set: give --state, --create, --update-profile, --deactivate or --unchanged-post.', EXIT.invalidInput);
      const app = (await simCall(opts, 'POST', `/sim/v1/apps/${opts.app}/provisioning`, body, 'setting the provisioning')) as {
        provisioning: string;
        capabilities: Record<string, boolean>;
        unchangedPost: string;
      };
      const on = (v: boolean | undefined) => (v ? 'on' : 'off');
      io.out(
        `Provisioning of app ${opts.app} is ${app.provisioning} in the simulated org: Create Users ${on(app.capabilities.create)}, Update User Attributes ${on(app.capabilities.updateProfile)}, Deactivate Users ${on(app.capabilities.deactivate)}; a POST that changes nothing ${app.unchangedPost === 'pushes' ? 'starts a push' : 'is ignored'}.\n`,
      );
    });

  for (const [name, what] of [
    ['assign', 'Assign an Okta user to the app (while it is broken, the push fails and Okta logs it)'],
    ['unassign', 'Unassign an Okta user from the app (while it is broken, the deprovision fails: the person keeps access at the vendor)'],
  ] as const) {
    sim
      .command(name)
      .description(what)
      .addOption(appIdOption())
      .requiredOption('--user <login>', 'the Okta login')
      .addOption(simUrlOption())
      .action(async (opts: { app: string; user: string; simUrl?: string }) => {
        const user = (await simCall(opts, 'GET', `/api/v1/users/${encodeURIComponent(opts.user)}`, undefined, `looking up ${opts.user}`)) as { id: string };
        await simCall(opts, 'POST', `/sim/v1/apps/${opts.app}/users/${user.id}/${name}`, {}, `the ${name}ment`);
        const appUser = name === 'assign' ? ((await simCall(opts, 'GET', `/api/v1/apps/${opts.app}/users/${user.id}`, undefined, 'reading the app user')) as { syncState?: string }) : undefined;
        io.out(appUser ? `${opts.user} assigned to app ${opts.app}: syncState ${appUser.syncState}.\n` : `${opts.user} unassigned from app ${opts.app}.\n`);
      });
  }

  sim
    .command('fail')
    .description("Log a provisioning failure that is not the credential's (a vendor rate limit, an unknown user...): the scanner counts it, never remediates it")
    .addOption(appIdOption())
    .requiredOption('--user <login>', 'the Okta login')
    .requiredOption('--reason <text>', 'Okta\'s reason, e.g. "Rate limit exceeded"')
    .option('--deprovision', 'a failed deprovision (default: a failed push)')
    .addOption(simUrlOption())
    .action(async (opts: { app: string; user: string; reason: string; deprovision?: boolean; simUrl?: string }) => {
      const body = { login: opts.user, reason: opts.reason, kind: opts.deprovision ? 'deprovision' : 'push' };
      const answer = (await simCall(opts, 'POST', `/sim/v1/world/apps/${opts.app}/failures`, body, 'logging the failure')) as { eventType: string };
      io.out(`Logged ${answer.eventType} FAILURE for ${opts.user} on app ${opts.app}: ${opts.reason}\n`);
    });

  sim
    .command('fault')
    .description('Make a simulator answer the next matching requests with an error (Okta 429/5xx, DocuSign 401/429/5xx, GitHub 401/403/429/5xx)')
    .requiredOption('--target <sim>', 'okta, docusign or github', parseWith(z.enum(['okta', 'docusign', 'github']), 'invalid --target'))
    .requiredOption('--path <regex>', 'a regular expression over the request path, e.g. "/memberships/"')
    .requiredOption('--status <code>', 'the HTTP status to answer', parseWith(z.coerce.number().int(), 'invalid --status'))
    .option('--count <n>', 'how many requests', parseWith(z.coerce.number().int().min(1).max(1000), 'invalid --count'), 1)
    .option('--method <method>', 'only this HTTP method', parseWith(z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']), 'invalid --method'))
    .addOption(simUrlOption())
    .action(async (opts: { target: string; path: string; status: number; count: number; method?: string; simUrl?: string }) => {
      const { target, path: p, status, count, method } = opts;
      await simCall(opts, 'POST', '/sim/v1/world/faults', { target, path: p, status, count, ...(method ? { method } : {}) }, 'injecting the fault');
      io.out(`The ${target} simulator answers ${status} to the next ${count} request${count === 1 ? '' : 's'}${method ? ` (${method})` : ''} matching ${p}.\n`);
    });

  sim
    .command('state')
    .description("Show the simulated world: each app's credential as its vendor sees it, and its users' syncState in Okta")
    .option('--json', 'print JSON')
    .addOption(simUrlOption())
    .action(async (opts: { json?: boolean; simUrl?: string }) => {
      const world = (await simCall(opts, 'GET', '/sim/v1/world', undefined, 'reading the world')) as { apps: Array<{ appId: string; label: string; health: { ok: boolean; cause?: string } }> };
      const okta = (await simCall(opts, 'GET', '/sim/v1/state', undefined, 'reading the org')) as SimState;
      if (opts.json) {
        io.out(JSON.stringify({ ...world, okta }, null, 2) + '\n');
        return;
      }
      for (const app of world.apps) {
        io.out(`${app.label} (${app.appId}): ${app.health.ok ? 'credential works' : `broken: ${app.health.cause}`}\n`);
        for (const u of okta.apps.find((a) => a.id === app.appId)?.users ?? []) io.out(`  ${u.login.padEnd(36)} ${u.status.padEnd(12)} ${u.syncState}\n`);
      }
    });
}

const simUrlOption = () => new Option('--sim-url <url>', 'the simulator (default: OKTA_ORG_URL)').argParser(simUrl);

/**
 * The simulator's SSWS token for its admin routes. A variable of its own: the worker's environment
 * holds a service app's settings, and the worker refuses OKTA_API_TOKEN beside them. OKTA_API_TOKEN
 * still works for an SSWS-run worker's shell; OKTA_SIM_ADMIN_TOKEN wins when both are set.
 */
const simAdminToken = (): string | undefined => process.env.OKTA_SIM_ADMIN_TOKEN || process.env.OKTA_API_TOKEN || undefined;

/** One call to a running simulator, with its token; Okta-shaped errors become one line. */
async function simCall(opts: { simUrl?: string }, method: string, route: string, body: unknown, what: string): Promise<unknown> {
  const base = opts.simUrl ?? process.env.OKTA_ORG_URL;
  const token = simAdminToken();
  if (!base || !token) {
    const missing = [...(base ? [] : ['OKTA_ORG_URL (or --sim-url)']), ...(token ? [] : ["OKTA_SIM_ADMIN_TOKEN (the simulator's admin token)"])];
    throw new CliError(`The sim commands need ${missing.join(' and ')}: \`okta-remediate sim serve\` prints them.`, EXIT.invalidInput);
  }
  const res = await fetch(`${base.replace(/\/+$/, '')}${route}`, {
    method,
    headers: { Authorization: `SSWS ${token}`, Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  }).catch((err: Error) => {
    throw new CliError(`No simulator answers at ${base} (${err.message}).`, EXIT.invalidInput);
  });
  const answer = (await res.json().catch(() => ({}))) as { errorSummary?: string; errorCauses?: Array<{ errorSummary?: string }> };
  if (res.ok) return answer;
  const why = [answer.errorSummary, ...(answer.errorCauses ?? []).map((c) => c.errorSummary)].filter(Boolean).join(': ') || `HTTP ${res.status}`;
  if (res.status === 404) throw new CliError(`The simulator refused ${what}: ${why}.`, EXIT.unknownApp);
  if (res.status === 400) throw new CliError(`The simulator refused ${what}: ${why}.`, EXIT.invalidInput);
  throw new CliError(`The simulator refused ${what}: ${why} (HTTP ${res.status}).`, EXIT.unexpected);
}

function serveBanner(world: SimWorld, s: SeededWorld, opts: ServeOptions, serviceApp: PipelineServiceApp & { signInClientId: string }, keyFiles: { docusign: string; okta: string }): string {
  const c = world.pipelineCredentials;
  const state = (cause: string): string => (cause === 'none' ? 'healthy' : `broken: ${cause}`);
  return [
    `Simulated Okta org at ${world.okta.url}, with DocuSign and GitHub simulators behind its apps`,
    `  export OKTA_ORG_URL=${world.okta.url}`,
    `DocuSign app: ${s.docusign.appId} (${state(opts.docusignCause)})`,
    `GitHub app:   ${s.github.appId} (${state(opts.githubCause)})`,
    `Generic app:  ${s.generic.appId} (${s.generic.label}, healthy)`,
    "The worker signs in to Okta as the pipeline's service app (private key JWT, DPoP-bound tokens):",
    `  export OKTA_CLIENT_ID=${serviceApp.clientId}`,
    `  export OKTA_PRIVATE_KEY_FILE=${keyFiles.okta}`,
    `  export OKTA_KEY_ID=${serviceApp.keyId}`,
    ...(serviceApp.scopes !== DEFAULT_OKTA_SCOPES ? [`  export OKTA_SCOPES='${serviceApp.scopes}'`] : []),
    "The CLI's sign-in app (`--sign-in`; the worker checks its ID tokens, so both read it):",
    `  export OKTA_CLI_CLIENT_ID=${serviceApp.signInClientId}`,
    "The pipeline's own vendor credentials (the worker's environment):",
    `  export NODE_EXTRA_CA_CERTS=${extraCaCertsFor(ensureSimCertificates().caPath)}`,
    `  export DOCUSIGN_INTEGRATION_KEY=${c.docusign.integrationKey}`,
    `  export DOCUSIGN_USER_ID=${c.docusign.userId}`,
    `  export DOCUSIGN_PRIVATE_KEY_FILE=${keyFiles.docusign}`,
    `  export DOCUSIGN_OAUTH_HOST=${c.docusign.oauthHost}`,
    `  export DOCUSIGN_DEMO_USER_ID=${c.docusign.demo.userId}`,
    `  export DOCUSIGN_DEMO_OAUTH_HOST=${c.docusign.demo.oauthHost}`,
    `  export GITHUB_API_URL=${c.github.apiUrl}`,
    `  export GITHUB_TOKEN=${c.github.token}`,
    ...(opts.configOut ? [`  export OKTA_REMEDIATION_CONFIG=${path.resolve(opts.configOut)}`] : []),
    'What an admin configures per app:',
    `  DocuSign: apiAccountId ${s.docusign.apiAccountId}, adminEmail ${s.docusign.adminEmail}, environment ${s.docusign.environment}`,
    `  GitHub:   org ${s.github.org}, serviceAccount ${s.github.serviceAccount}, serviceAccountId ${s.github.serviceAccountId}`,
    `  test user (every app): ${s.testUser}`,
    "For the `sim` commands only (the simulated org's SSWS admin token; the worker never reads it):",
    `  export OKTA_SIM_ADMIN_TOKEN=${world.okta.apiToken}`,
    'Steer it: okta-remediate sim break|assign|unassign|fail|fault|state (see --help).',
    `Approve a --sign-in: okta-remediate sim approve-sign-in --code CODE [--as LOGIN] (default ${DEFAULT_ADMIN.login}; any user of the org)`,
    `Re-authenticate: okta-remediate sim reauth --app ID [--as LOGIN] [--api-account-id ID]` + ` (DocuSign backup admin: ${s.docusign.backupAdminEmail}; GitHub person owner: ${s.github.personOwner})`,
    'Ctrl-C to stop.',
    '',
  ].join('\n');
}
