/**
 * `okta-remediate sim ...`: serve the simulated world (Okta with DocuSign and GitHub behind its
 * apps), and play the admin who re-authenticates an app in the Okta console.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { ensureSimCertificates } from '../sim/tls/ca';
import { extraCaCertsFor } from '../sim/tls/trust';
import { DOCUSIGN_CAUSES, GITHUB_CAUSES, SimWorld, type SeededWorld } from '../sim/world';
import { CliError, EXIT } from './errors';
import { appIdOption, parseWith, type Io } from './program';

const simUrl = parseWith(z.url({ error: 'expected the simulator URL, e.g. http://127.0.0.1:8787' }), 'invalid --sim-url');
const cause = <T extends string>(causes: readonly T[], flag: string) =>
  parseWith(z.enum(['none', ...causes] as const, { error: `expected one of ${causes.join(', ')}, none` }), `invalid ${flag}`);

interface ServeOptions {
  port: number;
  token?: string;
  docusignCause: (typeof DOCUSIGN_CAUSES)[number] | 'none';
  githubCause: (typeof GITHUB_CAUSES)[number] | 'none';
  githubPerson?: boolean;
}

export function addSimCommands(program: Command, io: Io): void {
  const sim = program.command('sim').description('The simulated Okta org, DocuSign and GitHub used by the demo and the tests');

  sim
    .command('serve')
    .description('Serve a simulated Okta org whose DocuSign and GitHub apps lost their credentials at the (simulated) vendors')
    .option('--port <port>', 'Okta port on 127.0.0.1', parseWith(z.coerce.number().int().min(0).max(65535), 'invalid --port'), 8787)
    .option('--token <token>', 'the API token the Okta simulator accepts (default: a random one)')
    .option('--docusign-cause <cause>', `how DocuSign broke: ${DOCUSIGN_CAUSES.join(', ')} or none`, cause(DOCUSIGN_CAUSES, '--docusign-cause'), 'grant_revoked')
    .option('--github-cause <cause>', `how GitHub broke: ${GITHUB_CAUSES.join(', ')} or none`, cause(GITHUB_CAUSES, '--github-cause'), 'token_revoked')
    .option('--github-person', "run Okta's GitHub integration on a person's account instead of a service account")
    .action(async (opts: ServeOptions) => {
      // The clients (worker, demo) run in other processes: they need NODE_EXTRA_CA_CERTS, not us.
      const world = await SimWorld.start({ okta: { port: opts.port, apiToken: opts.token }, requireTrustedCa: false });
      const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'okta-remediation-sim-'));
      try {
        const seeded = world.seed({ githubServiceAccountIsPerson: opts.githubPerson });
        if (opts.docusignCause !== 'none') world.breakDocuSign(opts.docusignCause);
        if (opts.githubCause !== 'none') world.breakGitHub(opts.githubCause);
        const keyFile = path.join(keyDir, 'docusign-private-key.pem');
        fs.writeFileSync(keyFile, world.pipelineCredentials.docusign.privateKeyPem, { mode: 0o600 });
        io.out(serveBanner(world, seeded, opts, keyFile));
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
    .option('--as <login>', 'who signs in at the vendor (default: the account Okta\'s grant belongs to)')
    .option('--api-account-id <id>', 'DocuSign: the API Account ID typed in Okta before authenticating', parseWith(z.uuid({ error: 'expected a GUID' }), 'invalid --api-account-id'))
    .option('--sim-url <url>', 'the simulator (default: OKTA_ORG_URL)', simUrl)
    .action(async (opts: { app: string; as?: string; apiAccountId?: string; simUrl?: string }) => {
      const base = opts.simUrl ?? process.env.OKTA_ORG_URL;
      const token = process.env.OKTA_API_TOKEN;
      if (!base || !token) throw new CliError('sim reauth needs OKTA_ORG_URL and OKTA_API_TOKEN of the simulator (printed by `okta-remediate sim serve`).', EXIT.invalidInput);
      const body = { ...(opts.as ? { login: opts.as } : {}), ...(opts.apiAccountId ? { settings: { apiAccountId: opts.apiAccountId } } : {}) };
      const res = await fetch(`${base.replace(/\/+$/, '')}/sim/v1/apps/${opts.app}/reauth`, {
        method: 'POST',
        headers: { Authorization: `SSWS ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }).catch((err: Error) => {
        throw new CliError(`No simulator answers at ${base} (${err.message}).`, EXIT.invalidInput);
      });
      const answer = (await res.json().catch(() => ({}))) as { credentialValid?: boolean; errorCauses?: Array<{ errorSummary?: string }> };
      if (res.status === 404) throw new CliError(`The simulator has no app ${opts.app}.`, EXIT.unknownApp);
      if (res.status === 400) {
        const why = answer.errorCauses?.map((c) => c.errorSummary).join('; ') || 'invalid request';
        throw new CliError(`The simulated console refused the re-auth: ${why}.`, EXIT.invalidInput);
      }
      if (!res.ok) throw new CliError(`The simulator refused the re-auth: HTTP ${res.status}.`, EXIT.unexpected);
      const who = opts.as ?? 'the admin';
      io.out(
        answer.credentialValid === false
          ? `${who} re-authenticated app ${opts.app}, but the vendor still rejects the credential: pushes keep failing.\n`
          : `${who} re-authenticated app ${opts.app} in the simulated org; pushes work again.\n`,
      );
    });
}

function serveBanner(world: SimWorld, s: SeededWorld, opts: ServeOptions, keyFile: string): string {
  const c = world.pipelineCredentials;
  const state = (cause: string): string => (cause === 'none' ? 'healthy' : `broken: ${cause}`);
  return [
    `Simulated Okta org at ${world.okta.url}, with DocuSign and GitHub simulators behind its apps`,
    `  export OKTA_ORG_URL=${world.okta.url}`,
    `  export OKTA_API_TOKEN=${world.okta.apiToken}`,
    `DocuSign app: ${s.docusign.appId} (${state(opts.docusignCause)})`,
    `GitHub app:   ${s.github.appId} (${state(opts.githubCause)})`,
    `Generic app:  ${s.generic.appId} (${s.generic.label}, healthy)`,
    "The pipeline's own vendor credentials (the worker's environment):",
    `  export NODE_EXTRA_CA_CERTS=${extraCaCertsFor(ensureSimCertificates().caPath)}`,
    `  export DOCUSIGN_INTEGRATION_KEY=${c.docusign.integrationKey}`,
    `  export DOCUSIGN_USER_ID=${c.docusign.userId}`,
    `  export DOCUSIGN_PRIVATE_KEY_FILE=${keyFile}`,
    `  export DOCUSIGN_OAUTH_HOST=${c.docusign.oauthHost}`,
    `  export DOCUSIGN_DEMO_USER_ID=${c.docusign.demo.userId}`,
    `  export DOCUSIGN_DEMO_OAUTH_HOST=${c.docusign.demo.oauthHost}`,
    `  export GITHUB_API_URL=${c.github.apiUrl}`,
    `  export GITHUB_TOKEN=${c.github.token}`,
    'What an admin configures per app:',
    `  DocuSign: apiAccountId ${s.docusign.apiAccountId}, adminEmail ${s.docusign.adminEmail}, environment ${s.docusign.environment}`,
    `  GitHub:   org ${s.github.org}, serviceAccount ${s.github.serviceAccount}`,
    `  test user (every app): ${s.testUser}`,
    `Re-authenticate: okta-remediate sim reauth --app ID [--as LOGIN] [--api-account-id ID]` +
      ` (DocuSign backup admin: ${s.docusign.backupAdminEmail}; GitHub person owner: ${s.github.personOwner})`,
    'Ctrl-C to stop.',
    '',
  ].join('\n');
}
