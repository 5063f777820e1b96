/** `okta-remediate schedule` and `scan`: the scanner that finds failed provisioning by itself. */
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { renderScanText } from '../domain/scan-report';
import { loadTaskQueue } from '../worker/config';
import { connectClient } from '../worker/temporal';
import { durationMs } from './duration';
import { parseWith, type Io } from './program';
import { DEFAULT_SCHEDULE_SETTINGS, runScanNow, upsertScanSchedule, type ScheduleSettings } from './scan-client';

/** Okta keeps 90 days of System Log: no setting needs more. */
const MAX_SECONDS = 90 * 86_400;

const formatSeconds = (s: number) => (s % 3600 === 0 && s > 0 ? `${s / 3600}h` : s % 60 === 0 && s > 0 ? `${s / 60}m` : `${s}s`);

/** A duration option, in seconds, whose help shows its default as a duration too. */
const durationOption = (flags: string, description: string, minSeconds: number, fallback: number) =>
  new Option(flags, description)
    .argParser(parseWith(durationMs(minSeconds * 1000, MAX_SECONDS * 1000).transform((ms) => Math.round(ms / 1000)), `invalid ${flags.split(' ')[0]}`))
    .default(fallback, formatSeconds(fallback));

export function addScanCommands(program: Command, io: Io): void {
  const d = DEFAULT_SCHEDULE_SETTINGS;
  program
    .command('schedule')
    .description('Create or update the Temporal Schedule that scans the Okta System Log for failed provisioning')
    .addOption(durationOption('--every <duration>', 'how often to scan', 10, d.everySeconds))
    .addOption(durationOption('--overlap <duration>', 'how far each scan re-reads before the previous one ended (Okta may publish late)', 0, d.overlapSeconds))
    .addOption(durationOption('--lag <duration>', 'how far each scan stays behind now', 0, d.lagSeconds))
    .addOption(durationOption('--lookback <duration>', 'how far back the first scan reads', 60, d.lookbackSeconds))
    .option('--max-events <n>', 'most events one scan reads (the next continues)', parseWith(z.coerce.number().int().min(1).max(2500), 'invalid --max-events'), d.maxEvents)
    .option('--json', 'print JSON')
    .action(async (opts: { every: number; overlap: number; lag: number; lookback: number; maxEvents: number; json?: boolean }) => {
      const settings: ScheduleSettings = { everySeconds: opts.every, overlapSeconds: opts.overlap, lagSeconds: opts.lag, lookbackSeconds: opts.lookback, maxEvents: opts.maxEvents };
      const { scheduleId, created } = await upsertScanSchedule(await connectClient(), loadTaskQueue(), settings);
      if (opts.json) {
        io.out(JSON.stringify({ scheduleId, created, ...settings }, null, 2) + '\n');
        return;
      }
      io.out(
        `${created ? 'Created' : 'Updated'} schedule ${scheduleId}: a scan every ${formatSeconds(settings.everySeconds)}, ` +
          `each re-reading ${formatSeconds(settings.overlapSeconds)} before the previous one and staying ${formatSeconds(settings.lagSeconds)} behind now` +
          (created ? `; the first reads ${formatSeconds(settings.lookbackSeconds)} back.\n` : '; scans continue from the last watermark.\n'),
      );
    });

  program
    .command('scan')
    .description('Scan the System Log now (through the schedule, so the watermark is shared) and print what was found and done')
    .addOption(durationOption('--timeout <duration>', 'how long to wait for the scan', 1, 120))
    .option('--json', 'print JSON')
    .action(async (opts: { timeout: number; json?: boolean }) => {
      const { workflowId, runId, result } = await runScanNow(await connectClient(), loadTaskQueue(), opts.timeout * 1000);
      if (opts.json) {
        const { state, ...report } = result;
        io.out(JSON.stringify({ workflowId, runId, ...report, watermark: state.watermark }, null, 2) + '\n');
        return;
      }
      io.out(`Scan ${workflowId}\n${renderScanText(result)}\n`);
    });
}
