/**
 * One scan of the Okta System Log, run by a Temporal Schedule: read the provisioning failures
 * published since the last scan, send each app's credential failures to its remediation (started
 * or joined), count the rest. The result is also the state the next scheduled run continues from:
 * the Schedule hands it over as `workflowInfo().lastResult`, kept by the server across worker
 * restarts and failed runs.
 */
import { proxyActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { DEFAULT_SCAN_SETTINGS, planScan, scanStateFrom, scanWindow, type AppScanResult, type ScanResult, type ScanSettings } from '../domain/scan';
import { renderScanMarkdown } from '../domain/scan-report';

export type ScanInput = Partial<ScanSettings>;

const NON_RETRYABLE = ['OktaAccessDenied', 'OktaRejectedRequest', 'ScannerNotConfigured'];

// A scan that keeps failing leaves its window to the next scheduled one, so retries stay short.
const { readProvisioningFailures } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE },
});

const { joinRemediation } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10, nonRetryableErrorTypes: NON_RETRYABLE },
});

export async function scanOktaLog(input: ScanInput = {}): Promise<ScanResult> {
  const settings: ScanSettings = { ...DEFAULT_SCAN_SETTINGS, ...input };
  const previous = scanStateFrom(workflowInfo().lastResult);
  const window = scanWindow(previous, Date.now(), settings);
  setCurrentDetails(`## Reading the System Log\nProvisioning failures published from ${window.since} to ${window.until}${previous ? '' : ' (first scan: no earlier watermark)'}.`);

  const read = await readProvisioningFailures.executeWithOptions(
    { summary: `Read provisioning failures ${window.since} to ${window.until}` },
    [{ ...window, limit: settings.maxEvents }],
  );
  const plan = planScan({ failures: read.failures, previous, window, truncated: read.truncated, overlapSeconds: settings.overlapSeconds });

  const apps = await Promise.all(
    plan.apps.map(async ({ users, ...app }): Promise<AppScanResult> => {
      const counts = { pushes: users.filter((u) => u.kind === 'push').length, deprovisions: users.filter((u) => u.kind === 'deprovision').length };
      if (users.length === 0) return { ...app, ...counts };
      const remediation = await joinRemediation.executeWithOptions(
        { summary: `Send ${users.length} failed user${users.length === 1 ? '' : 's'} to the remediation of ${app.appLabel}` },
        [{ appId: app.appId, users }],
      );
      return { ...app, ...counts, remediation };
    }),
  );

  const result: ScanResult = {
    window,
    truncated: read.truncated,
    eventsRead: read.failures.length,
    newEvents: plan.newEvents,
    duplicates: plan.duplicates,
    apps,
    state: plan.state,
  };
  setCurrentDetails(renderScanMarkdown(result));
  return result;
}
