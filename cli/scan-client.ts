/**
 * The scanner's Temporal Schedule: create or update it, and run one scan now through it. Running
 * the manual scan through the Schedule keeps a single chain of scans, so each one continues from
 * the cursor of the one before, whoever started it.
 */
import { Client, ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, WorkflowFailedError, type ScheduleUpdateOptions } from '@temporalio/client';
import { DEFAULT_SCAN_SETTINGS, type ScanResult, type ScanSettings } from '../domain/scan';
import type { scanOktaLog } from '../workflows/scan';
import { CliError, EXIT } from '../client/errors';

/** One scanner per task queue (that is, per worker fleet and Okta org). */
export function scanScheduleId(taskQueue: string): string {
  return `${taskQueue}-scan`;
}

export interface ScheduleSettings extends ScanSettings {
  everySeconds: number;
}

export const DEFAULT_SCHEDULE_SETTINGS: ScheduleSettings = { ...DEFAULT_SCAN_SETTINGS, everySeconds: 300 };

function scheduleOptions(taskQueue: string, s: ScheduleSettings): ScheduleUpdateOptions {
  const { everySeconds, ...scan } = s;
  return {
    spec: { intervals: [{ every: everySeconds * 1000 }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'scanOktaLog',
      workflowId: scanScheduleId(taskQueue),
      taskQueue,
      args: [scan],
      staticSummary: 'Scan the Okta System Log for failed provisioning',
      staticDetails:
        "Reads the provisioning failures logged since the previous scan (Okta's polling cursor), sends each app's credential failures to its remediation and counts the other errors; failed scans are announced on the default channels.",
    },
    // Scans never overlap: two at once would read on from the same cursor.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: everySeconds * 1000 },
    state: {},
  };
}

/** Creates the scanner's Schedule, or updates it in place (its cursor is kept). */
export async function upsertScanSchedule(client: Client, taskQueue: string, settings: ScheduleSettings): Promise<{ scheduleId: string; created: boolean }> {
  const scheduleId = scanScheduleId(taskQueue);
  const options = scheduleOptions(taskQueue, settings);
  try {
    await client.schedule.create({ scheduleId, ...options });
    return { scheduleId, created: true };
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule.getHandle(scheduleId).update((current) => ({ ...options, state: { paused: current.state.paused, note: current.state.note } }));
  return { scheduleId, created: false };
}

export interface ScanRun {
  workflowId: string;
  runId: string;
  result: ScanResult;
}

/** Triggers one scan through the Schedule and waits for its report. */
export async function runScanNow(client: Client, taskQueue: string, timeoutMs: number): Promise<ScanRun> {
  const schedule = client.schedule.getHandle(scanScheduleId(taskQueue));
  const deadline = Date.now() + timeoutMs;
  const runIds = async () => {
    const d = await schedule.describe();
    return [...d.info.runningActions, ...d.info.recentActions.map((a) => a.action)].map((a) => a.workflow);
  };
  let known: Set<string>;
  try {
    known = new Set((await runIds()).map((w) => w.firstExecutionRunId));
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) {
      throw new CliError(`No scan schedule for task queue ${taskQueue}: create it with \`npx okta-remediate schedule --every 5m\`.`, EXIT.noSchedule);
    }
    throw err;
  }
  // A scan already running finishes first; this one then continues from its cursor.
  await schedule.trigger(ScheduleOverlapPolicy.BUFFER_ONE);
  let found: { workflowId: string; firstExecutionRunId: string } | undefined;
  while (!(found = (await runIds()).find((w) => !known.has(w.firstExecutionRunId)))) {
    if (Date.now() > deadline) throw new CliError(`The schedule ${scanScheduleId(taskQueue)} did not start the scan within ${timeoutMs / 1000} s.`, EXIT.scanFailed);
    await new Promise((r) => setTimeout(r, 200));
  }
  const started = found;
  const handle = client.workflow.getHandle<typeof scanOktaLog>(started.workflowId, started.firstExecutionRunId);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new CliError(`Scan ${started.workflowId} has not finished after ${timeoutMs / 1000} s: is a worker polling task queue ${taskQueue}?`, EXIT.scanFailed)),
      Math.max(deadline - Date.now(), 0),
    );
  });
  try {
    return { workflowId: started.workflowId, runId: started.firstExecutionRunId, result: await Promise.race([handle.result(), timedOut]) };
  } catch (err) {
    if (err instanceof WorkflowFailedError) throw new CliError(`Scan ${started.workflowId} failed: ${err.cause?.message ?? err.message}`, EXIT.scanFailed);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
