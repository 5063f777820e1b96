/** The `okta-remediate` command line: what operators run. */
import { Command, CommanderError } from 'commander';
import { z } from 'zod';
import { cleanText, TEXT_LIMITS } from '../domain/message-input';
import { formatDuration, renderText } from '../domain/report';
import { renderDryRun } from '../domain/plan';
import { dryRun } from '../client/dry-run';
import { loadTaskQueue } from '../config/worker-config';
import { connectClient } from '../worker/temporal';
import { CliError, EXIT } from '../client/errors';
import { durationMs } from './duration';
import {
  approveDeprovision,
  cancelRemediation,
  confirmReauth,
  fullRemediationStatus,
  remediationStatus,
  reportReauth,
  snoozeReminders,
  recheckManualRetries,
  startRemediation,
  waitForDiagnosis,
} from '../client/remediations';
import { addReportCommand } from './report-command';
import { addScanCommands } from './scan-commands';
import { addSimCommands } from './sim-commands';
import { addVisibilityCommands } from './visibility-commands';
import { appIdOption, parseWith, type Io } from './options';
import { renderWaitReport } from './wait-report';
import { actorOf, signInOption, type ActorOptions } from './sign-in';

/** Free text as the workflow stores it: control characters and bidi overrides removed, then checked. */
const text = (max: number, label: string) =>
  parseWith(
    z
      .string()
      .transform((v) => cleanText(v, Number.MAX_SAFE_INTEGER))
      .pipe(z.string().min(1, 'must not be empty (once control characters are removed)').max(max, `at most ${max} characters`)),
    label,
  );

export function buildProgram(io: Io): Command {
  const program = new Command('okta-remediate')
    .description("Repair Okta app provisioning after the app's API credential went bad.")
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('start')
    .description('Start the remediation of one Okta app (or show the one already running) and print its diagnosis')
    .addOption(appIdOption())
    .option('--no-wait', 'return as soon as the workflow is started, without waiting for the diagnosis')
    .option('--json', 'print JSON')
    .action(async (opts: { app: string; wait: boolean; json?: boolean }) => {
      const client = await connectClient();
      const { handle, started, runId, startTime } = await startRemediation(client, loadTaskQueue(), { appId: opts.app });
      const status = opts.wait ? await waitForDiagnosis(client, opts.app, 60_000) : undefined;
      if (opts.json) {
        io.out(JSON.stringify({ workflowId: handle.workflowId, runId, started, startTime: startTime.toISOString(), status }, null, 2) + '\n');
        return;
      }
      io.out(
        started
          ? `Started remediation ${handle.workflowId} (run ${runId}).\n`
          : `Joined the remediation of app ${opts.app} already running since ${startTime.toISOString()}: ${handle.workflowId} (run ${runId}). Nothing new was started.\n`,
      );
      if (status) io.out(renderText(status) + '\n');
      else if (opts.wait) io.out(`No diagnosis yet: is a worker (npm run worker) polling task queue ${loadTaskQueue()}?\n`);
    });

  program
    .command('diagnose')
    .description('Dry run: diagnose one Okta app and print what a remediation would do, changing nothing and starting nothing')
    .addOption(appIdOption())
    .option('--json', 'print JSON')
    .action(async (opts: { app: string; json?: boolean }) => {
      const result = await dryRun(await connectClient(), loadTaskQueue(), opts.app);
      io.out(opts.json ? JSON.stringify(result, null, 2) + '\n' : renderDryRun(result) + '\n');
    });

  program
    .command('reauth-done')
    .description('Report that an admin re-authenticated the app in Okta; the workflow verifies it before retrying')
    .addOption(appIdOption())
    .option('--by <who>', 'who re-authenticated (email or username; not needed with --sign-in)', text(TEXT_LIMITS.by, 'invalid --by'))
    .addOption(signInOption())
    .option('--note <text>', 'a note for the audit trail', text(TEXT_LIMITS.note, 'invalid --note'))
    .option('--wait', `confirm with authority (an update the workflow may refuse) and wait for the verification; exit ${EXIT.reauthNotVerified} if it fails, ${EXIT.refusedByWorkflow} if refused`)
    .action(async (opts: ActorOptions & { app: string; note?: string; wait?: boolean }) => {
      const { actor, name } = await actorOf(opts, io);
      const client = await connectClient();
      if (!opts.wait) {
        await reportReauth(client, opts.app, actor, opts.note);
        // A signal cannot be refused: say that an off-list report is kept but not acted on.
        io.out(
          `Recorded: ${name} re-authenticated app ${opts.app}. The workflow now verifies it, unless the app's confirmers exclude ${name} or it takes only signed-in admins (then it is kept, not acted on; \`--wait\` would say so at once). Follow with \`npx okta-remediate status --app ${opts.app}\`.\n`,
        );
        return;
      }
      const result = await confirmReauth(client, opts.app, actor, opts.note);
      io.out(`${result.verified ? 'Verified' : 'Not verified'}: ${result.verdict}\n`);
      if (result.mismatch) io.out(`Audit mismatch: ${result.mismatch}\n`);
      if (!result.verified) {
        throw new CliError(
          `The re-auth of app ${opts.app} did not work; the remediation waits for another (do the steps in \`npx okta-remediate status --app ${opts.app}\` again).`,
          EXIT.reauthNotVerified,
        );
      }
      io.out(`The remediation of app ${opts.app} now retries every affected user; follow with \`npx okta-remediate status --app ${opts.app}\`.\n`);
    });

  program
    .command('snooze')
    .description('Postpone the reminders of a remediation awaiting a re-auth (the deadline stays)')
    .addOption(appIdOption())
    .requiredOption('--for <duration>', 'how long, e.g. 30m, 2h, 1d', parseWith(durationMs(1_000, 365 * 86_400_000), 'invalid --for'))
    .option('--by <who>', 'who snoozes (kept in the report)', text(TEXT_LIMITS.by, 'invalid --by'))
    .addOption(signInOption())
    .action(async (opts: ActorOptions & { app: string; for: number }) => {
      const { actor } = opts.signIn || opts.by ? await actorOf(opts, io) : { actor: {} };
      const { until, status } = await snoozeReminders(await connectClient(), opts.app, opts.for, actor);
      const deadline = status.wait?.deadline;
      io.out(`Reminders for app ${opts.app} snoozed for ${formatDuration(opts.for)}: none before ${until}.${deadline ? ` The deadline stays ${deadline}.` : ''}\n`);
    });

  program
    .command('recheck')
    .description('After Retry Selected in Okta (Dashboard > Tasks): re-read the users the remediation left for it, and record their outcome')
    .addOption(appIdOption())
    .option('--by <who>', 'who retried them (kept in the log)', text(TEXT_LIMITS.by, 'invalid --by'))
    .action(async (opts: { app: string; by?: string }) => {
      const found = await recheckManualRetries(await connectClient(), opts.app, opts.by);
      const left = found.stillWaiting === 0 ? 'none is left, the remediation finishes' : `${found.stillWaiting} still show no new attempt in Okta: retry them there, then run this again`;
      io.out(`Re-read ${found.rechecked} users of app ${opts.app}: ${found.changed} now have Okta's outcome; ${left}.\n`);
    });

  program
    .command('approve-deprovision')
    .description('Approve removing, at the vendor, people whose Okta deprovision failed (policy "ask")')
    .addOption(appIdOption())
    .option('--by <who>', 'who approves (kept in the report; not needed with --sign-in)', text(TEXT_LIMITS.by, 'invalid --by'))
    .addOption(signInOption())
    .option('--user <login...>', 'Okta logins to approve (default: every one awaiting approval)', (value: string, previous: string[] = []) => [
      ...previous,
      text(TEXT_LIMITS.login, 'invalid --user')(value),
    ])
    .action(async (opts: ActorOptions & { app: string; user?: string[] }) => {
      const logins = opts.user ?? [];
      const { actor, name } = await actorOf(opts, io);
      const approved = await approveDeprovision(await connectClient(), opts.app, actor, logins);
      io.out(
        approved.length > 0
          ? `Approved by ${name}: removing ${approved.join(', ')} at the vendor for app ${opts.app}.\n`
          : `Approved by ${name}, but nobody of app ${opts.app} is awaiting approval${logins.length > 0 ? ` among ${logins.join(', ')}` : ''} now.\n`,
      );
    });

  program
    .command('status')
    .description("Show the phase, diagnosis and per-user results of an app's remediation (over 100 users: counts and the first open ones; --json lists all)")
    .addOption(appIdOption())
    .option('--json', 'print JSON')
    .action(async (opts: { app: string; json?: boolean }) => {
      // JSON lists every user, read a page at a time; the text shows counts and the first open users.
      const { status, temporalStatus } = await (opts.json ? fullRemediationStatus : remediationStatus)(await connectClient(), opts.app);
      io.out(opts.json ? JSON.stringify({ temporalStatus, ...status }, null, 2) + '\n' : [renderText(status), renderWaitReport(status)].filter(Boolean).join('\n') + '\n');
    });

  program
    .command('cancel')
    .description("Cancel an app's running remediation, keeping its report")
    .addOption(appIdOption())
    .requiredOption('--reason <text>', 'why (kept in the report)', text(TEXT_LIMITS.reason, 'invalid --reason'))
    .option('--by <who>', 'who cancels', text(TEXT_LIMITS.by, 'invalid --by'))
    .action(async (opts: { app: string; reason: string; by?: string }) => {
      await cancelRemediation(await connectClient(), opts.app, opts.reason, opts.by);
      io.out(`Cancellation of the remediation of app ${opts.app} requested.\n`);
    });

  addReportCommand(program, io);
  addScanCommands(program, io);
  addVisibilityCommands(program, io);
  addSimCommands(program, io);
  return program;
}

/** Runs the CLI and returns its exit code; errors become one line on stderr. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.ok : EXIT.invalidInput; // commander already printed the message
    }
    if (err instanceof CliError) {
      io.err(`${err.message}\n`);
      return err.exitCode;
    }
    const name = (err as Error)?.name;
    if (name === 'ConfigError') {
      io.err(`${(err as Error).message}\n`);
      return EXIT.invalidInput;
    }
    if (name === 'TemporalUnreachableError') {
      io.err(`${(err as Error).message}\n`);
      return EXIT.temporalUnreachable;
    }
    io.err(`Unexpected error: ${(err as Error)?.message ?? String(err)}\n`);
    return EXIT.unexpected;
  }
}
