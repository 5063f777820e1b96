/** `okta-remediate schedule` and `scan`: the scanner that finds failed provisioning by itself. */
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { renderScanText } from '../domain/scan-report';
import { loadTaskQueue } from '../config/worker-config';
import { connectClient } from '../worker/temporal';
import { durationMs } from './duration';
import { CliError, EXIT } from '../client/errors';
import { parseWith, type Io } from './options';
import { DEFAULT_SCHEDULE_SETTINGS, runScanNow, upsertScanSchedule, type ScheduleSettings } from './scan-client';

/** Okta keeps 90 days of System Log: no setting needs more. */
const MAX_SECONDS = 90 * 86_400;

const formatSeconds = (s: number) => (s % 3600 === 0 && s > 0 ? `${s / 3600}h` : s % 60 === 0 && s > 0 ? `${s / 60}m` : `${s}s`);

/** A duration option, in seconds, whose help shows its default as a duration too. */
const durationOption = (flags: string, description: string, minSeconds: number, fallback: number) =>
  new Option(flags, description)
    .argParser(
      parseWith(
        durationMs(minSeconds * 1000, MAX_SECONDS * 1000).transform((ms) => Math.round(ms / 1000)),
        `invalid ${flags.split(' ')[0]}`,
      ),
    )
    .default(fallback, formatSeconds(fallback));

export function addScanCommands(program: Command, io: Io): void {
  const d = DEFAULT_SCHEDULE_SETTINGS;
  program
    .command('schedule')
    .description('Create or update the Temporal Schedule that scans the Okta System Log for failed provisioning')
    .addOption(durationOption('--every <duration>', 'how often to scan', 10, d.everySeconds))
    .addOption(durationOption('--overlap <duration>', 'a schedule from before the cursor: how far its first scan re-reads before its watermark', 0, d.overlapSeconds))
    .addOption(durationOption('--lag <duration>', "unused (scans poll with Okta's cursor); kept for scripts", 0, d.lagSeconds))
    .addOption(durationOption('--lookback <duration>', 'how far back the first scan reads', 60, d.lookbackSeconds))
    .option('--max-events <n>', 'most events one scan reads (the next continues)', parseWith(z.coerce.number().int().min(1).max(2500), 'invalid --max-events'), d.maxEvents)
    .option(
      '--notify-after-failures <n>',
      'failed scans in a row before the default channels are told (then at 2x, 4x... that many)',
      parseWith(z.coerce.number().int().min(1).max(1000), 'invalid --notify-after-failures'),
      d.notifyAfterFailures,
    )
    .option('--json', 'print JSON')
    .action(async (opts: { every: number; overlap: number; lag: number; lookback: number; maxEvents: number; notifyAfterFailures: number; json?: boolean }) => {
      const settings: ScheduleSettings = {
        everySeconds: opts.every,
        overlapSeconds: opts.overlap,
        lagSeconds: opts.lag,
        lookbackSeconds: opts.lookback,
        maxEvents: opts.maxEvents,
        notifyAfterFailures: opts.notifyAfterFailures,
      };
      const { scheduleId, created } = await upsertScanSchedule(await connectClient(), loadTaskQueue(), settings);
      if (opts.json) {
        io.out(JSON.stringify({ scheduleId, created, ...settings }, null, 2) + '\n');
        return;
      }
      io.out(
        `${created ? 'Created' : 'Updated'} schedule ${scheduleId}: a scan every ${formatSeconds(settings.everySeconds)}, ` +
          `each reading on from Okta's cursor where the previous one stopped, failures announced after ${settings.notifyAfterFailures} failed in a row` +
          (created ? `; the first reads ${formatSeconds(settings.lookbackSeconds)} back.\n` : '; scans continue from the last cursor.\n'),
      );
    });

  program
    .command('scan')
    .description('Scan the System Log now (through the schedule, so the cursor is shared) and print what was found and done')
    .addOption(durationOption('--timeout <duration>', 'how long to wait for the scan', 1, 120))
    .option('--json', 'print JSON')
    .action(async (opts: { timeout: number; json?: boolean }) => {
      const { workflowId, runId, result } = await runScanNow(await connectClient(), loadTaskQueue(), opts.timeout * 1000);
      if (opts.json) {
        const { state, ...report } = result;
        io.out(JSON.stringify({ workflowId, runId, ...report, watermark: state.watermark }, null, 2) + '\n');
      } else {
        io.out(`Scan ${workflowId}\n${renderScanText(result)}\n`);
      }
      // The scan completed (keeping its cursor), but read nothing: say so in the exit code.
      if (result.failure) throw new CliError(`Scan ${workflowId} failed: ${result.failure.error}`, EXIT.scanFailed);
    });
}
