/**
 * One scan of the Okta System Log, run by a Temporal Schedule: read the provisioning failures
 * logged since the last scan (on from Okta's polling cursor), send each app's credential failures
 * to its remediation (started or joined), count the rest. The result is also the state the next
 * scheduled run continues from: the Schedule hands it over as `workflowInfo().lastResult`, kept by
 * the server across worker restarts. A scan that cannot read the log completes anyway, keeping
 * the previous state and counting the streak, and tells the default channels when that is due.
 */
import { ActivityFailure, isCancellation, patched, proxyActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { ActivityOptions } from '@temporalio/common';
import type { Activities } from '../activities';
import type { ReadFailuresResult } from '../activities/scan/activities';
import {
  DEFAULT_SCAN_SETTINGS,
  failedScanState,
  failureNoticeDue,
  planScan,
  readStart,
  recoveryNoticeDue,
  scanStateFrom,
  type AppScanResult,
  type ReadStart,
  type ScanResult,
  type ScanSettings,
  type ScanState,
} from '../domain/scan';
import { scanErrorText, type ScanNotice } from '../domain/scan-notice';
import { readStartText, renderScanMarkdown } from '../domain/scan-report';
import type { NotificationRecord } from '../domain/types';
import { HEARTBEAT_TIMEOUT } from '../domain/activity-timeouts';

export type ScanInput = Partial<ScanSettings>;

const NON_RETRYABLE = ['OktaAccessDenied', 'OktaRejectedRequest', 'ScannerNotConfigured'];

/**
 * Behaviour changes guarded for replay (see the README's "Upgrading"): before it, a failed read
 * failed the scan and nobody was told; a history recorded then must replay that way.
 */
const SCAN_FAILURE_NOTICE = 'scan-failure-notice';

// A scan that keeps failing leaves its reading to the next scheduled one, so retries stay short.
const { readProvisioningFailures } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE },
});

const { joinRemediation } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10, nonRetryableErrorTypes: NON_RETRYABLE },
});

// The scan waits for its notices (a completed workflow abandons its activities) and holds up the
// next scheduled one meanwhile, so a failing channel gets about a minute, not the remediation's
// patience: the next notice that is due tries it again.
const NOTIFY: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '20 seconds',
    maximumAttempts: 4,
    nonRetryableErrorTypes: ['NotificationChannelUnknown', 'NotificationSettingInvalid', 'NotificationRejected'],
  },
};
const { deliverNotice, scannerNoticeChannels } = proxyActivities<Activities>(NOTIFY);

const failureMessage = (err: unknown) => scanErrorText(err instanceof ActivityFailure ? (err.cause?.message ?? err.message) : String((err as Error)?.message ?? err));

export async function scanOktaLog(input: ScanInput = {}): Promise<ScanResult> {
  const settings: ScanSettings = { ...DEFAULT_SCAN_SETTINGS, ...input };
  const previous = scanStateFrom(workflowInfo().lastResult);
  const readAt = new Date().toISOString(); // the workflow's clock: deterministic
  const { gap, ...start } = readStart(previous, Date.parse(readAt), settings);
  const first = !previous?.cursor && !previous?.watermark;
  setCurrentDetails(`## Reading the System Log\nProvisioning failures logged ${readStartText(start)}${first ? ' (first scan)' : ''}.`);

  let read: ReadFailuresResult;
  try {
    read = await readProvisioningFailures.executeWithOptions({ summary: `Read provisioning failures ${readStartText(start)}` }, [{ ...start, limit: settings.maxEvents }]);
  } catch (err) {
    if (!(err instanceof ActivityFailure) || isCancellation(err) || !patched(SCAN_FAILURE_NOTICE)) throw err;
    return failedScan(previous, start, failureMessage(err), settings);
  }
  const plan = planScan({ failures: read.failures, previous, cursor: read.cursor, readAt, overlapSeconds: settings.overlapSeconds });

  let apps: AppScanResult[];
  try {
    apps = await Promise.all(
      plan.apps.map(async ({ users, ...app }): Promise<AppScanResult> => {
        const counts = { pushes: users.filter((u) => u.kind === 'push').length, deprovisions: users.filter((u) => u.kind === 'deprovision').length };
        if (users.length === 0) return { ...app, ...counts };
        const remediation = await joinRemediation.executeWithOptions({ summary: `Send ${users.length} failed user${users.length === 1 ? '' : 's'} to the remediation of ${app.appLabel}` }, [
          { appId: app.appId, users },
        ]);
        return { ...app, ...counts, remediation };
      }),
    );
  } catch (err) {
    // Failures not handed over are read again next time (joining is idempotent), and it is told.
    if (!(err instanceof ActivityFailure) || isCancellation(err) || !patched(SCAN_FAILURE_NOTICE)) throw err;
    return failedScan(previous, start, failureMessage(err), settings);
  }

  const result: ScanResult = { start, truncated: read.truncated, eventsRead: read.failures.length, newEvents: plan.newEvents, duplicates: plan.duplicates, apps, state: plan.state };
  if (gap) result.gap = gap;
  if (recoveryNoticeDue(previous, settings.notifyAfterFailures) && patched(SCAN_FAILURE_NOTICE)) {
    result.notice = await notify({ kind: 'scan_recovered', workflowId: workflowInfo().workflowId, failedScans: previous!.failedScans!, failingSince: previous!.failingSince ?? readAt, at: readAt });
  }
  setCurrentDetails(renderScanMarkdown(result));
  return result;
}

/** Nothing read, nothing skipped: the previous cursor stays, and the streak is counted (and told when due). */
async function failedScan(previous: ScanState | undefined, start: ReadStart, error: string, settings: ScanSettings): Promise<ScanResult> {
  const at = new Date().toISOString();
  const state = failedScanState(previous, at);
  const result: ScanResult = { start, truncated: false, eventsRead: 0, newEvents: 0, duplicates: 0, apps: [], failure: { error, at }, state };
  setCurrentDetails(renderScanMarkdown(result));
  if (failureNoticeDue(state.failedScans!, settings.notifyAfterFailures)) {
    result.notice = await notify({
      kind: 'scan_failed',
      workflowId: workflowInfo().workflowId,
      failedScans: state.failedScans!,
      failingSince: state.failingSince!,
      error,
      lastReadAt: state.readAt,
      at,
    });
    setCurrentDetails(renderScanMarkdown(result));
  }
  return result;
}

/** To the default channels; when every one of them fails, to the escalation channels instead (as a remediation does). */
async function notify(notice: ScanNotice): Promise<NotificationRecord> {
  const { primary, escalation } = await scannerNoticeChannels.executeWithOptions({ ...NOTIFY, summary: 'Find the default notification channels' }, []);
  const record: NotificationRecord = { kind: notice.kind, at: notice.at, delivered: [], failed: [] };
  const deliver = (channels: string[], how = '') =>
    Promise.all(
      channels.map((channel) =>
        deliverNotice.executeWithOptions({ ...NOTIFY, summary: `${notice.kind} via ${channel}${how}` }, [{ channel, notice }]).then(
          () => void record.delivered.push(channel),
          (err: unknown) => void record.failed.push({ channel, error: failureMessage(err) }),
        ),
      ),
    );
  await deliver(primary);
  const fallback = escalation.filter((c) => !primary.includes(c));
  if (record.delivered.length === 0 && fallback.length > 0) {
    record.fallback = fallback;
    await deliver(fallback, ' (every primary channel failed)');
  }
  return record;
}
