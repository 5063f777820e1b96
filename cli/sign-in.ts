/** Who acts, for the commands that confirm, approve or snooze: a name given, or an admin signed in with Okta. */
import { Option } from 'commander';
import { CliError, EXIT } from '../client/errors';
import { signIn, signInSettings } from '../client/sign-in';
import type { Actor } from '../domain/messages';
import type { Io } from './options';

export interface ActorOptions {
  by?: string;
  signIn?: boolean;
}

export const signInOption = () =>
  new Option(
    '--sign-in',
    'prove who acts: sign in with Okta in a browser (any device); the workflow verifies the ID token. Needs OKTA_ORG_URL and OKTA_CLI_CLIENT_ID; apps with confirmers require it',
  );

/** The message's actor, and a name to print: the sign-in's login (the workflow verifies it) or `--by`. */
export async function actorOf(opts: ActorOptions, io: Io): Promise<{ actor: Actor; name: string }> {
  if (!opts.signIn) {
    if (!opts.by) throw new CliError('Say who acts: --by <email>, or --sign-in to prove it with Okta.', EXIT.invalidInput);
    return { actor: { by: opts.by }, name: opts.by };
  }
  if (opts.by) throw new CliError('Give --by or --sign-in, not both: with --sign-in, Okta says who you are.', EXIT.invalidInput);
  const settings = signInSettings();
  // The prompt goes to stderr: stdout stays the command's answer.
  const { idToken, login } = await signIn(settings, (p) =>
    io.err(
      `To sign in, open ${p.verificationUriComplete ?? p.verificationUri} in a browser on any device${p.verificationUriComplete ? '' : ` and enter the code ${p.userCode}`} (code ${p.userCode}, valid ${Math.round(p.expiresInSeconds / 60)} minutes). Waiting for the approval...\n`,
    ),
  );
  io.err(`Signed in${login ? ` as ${login}` : ''}; the workflow verifies it with Okta.\n`);
  return { actor: { idToken }, name: login ?? 'the signed-in admin' };
}
