/** `okta-remediate sim ...`: serve the simulated Okta org, and play the admin who re-authenticates. */
import type { Command } from 'commander';
import { z } from 'zod';
import { OktaSim } from '../sim/okta';
import { seedDemo } from '../sim/seed';
import { CliError, EXIT } from './errors';
import { appIdOption, parseWith, type Io } from './program';

const simUrl = parseWith(z.url({ error: 'expected the simulator URL, e.g. http://127.0.0.1:8787' }), 'invalid --sim-url');

export function addSimCommands(program: Command, io: Io): void {
  const sim = program.command('sim').description('The simulated Okta org used by the demo and the tests');

  sim
    .command('serve')
    .description('Serve a simulated Okta org seeded with a DocuSign and a GitHub app whose credentials have gone bad')
    .option('--port <port>', 'port on 127.0.0.1', parseWith(z.coerce.number().int().min(0).max(65535), 'invalid --port'), 8787)
    .option('--token <token>', 'the API token the simulator accepts (default: a random one)')
    .action(async (opts: { port: number; token?: string }) => {
      const okta = new OktaSim({ apiToken: opts.token });
      const url = await okta.start(opts.port);
      const seeded = seedDemo(okta);
      io.out(
        [
          `Simulated Okta org at ${url}`,
          `  export OKTA_ORG_URL=${url}`,
          `  export OKTA_API_TOKEN=${okta.apiToken}`,
          `DocuSign app: ${seeded.docusign.appId}    GitHub app: ${seeded.github.appId}`,
          'Ctrl-C to stop.',
          '',
        ].join('\n'),
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await okta.stop();
    });

  sim
    .command('reauth')
    .description('Play the admin: re-authenticate the app in the simulated org (its credential works again)')
    .addOption(appIdOption())
    .option('--as <login>', 'the admin who re-authenticates', 'admin@example.com')
    .option('--sim-url <url>', 'the simulator (default: OKTA_ORG_URL)', simUrl)
    .action(async (opts: { app: string; as: string; simUrl?: string }) => {
      const base = opts.simUrl ?? process.env.OKTA_ORG_URL;
      const token = process.env.OKTA_API_TOKEN;
      if (!base || !token) throw new CliError('sim reauth needs OKTA_ORG_URL and OKTA_API_TOKEN of the simulator (printed by `okta-remediate sim serve`).', EXIT.invalidInput);
      const res = await fetch(`${base.replace(/\/+$/, '')}/sim/v1/apps/${opts.app}/reauth`, {
        method: 'POST',
        headers: { Authorization: `SSWS ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ login: opts.as }),
      }).catch((err: Error) => {
        throw new CliError(`No simulator answers at ${base} (${err.message}).`, EXIT.invalidInput);
      });
      if (res.status === 404) throw new CliError(`The simulator has no app ${opts.app}.`, EXIT.unknownApp);
      if (!res.ok) throw new CliError(`The simulator refused the re-auth: HTTP ${res.status}.`, EXIT.unexpected);
      io.out(`${opts.as} re-authenticated app ${opts.app} in the simulated org.\n`);
    });
}
