/**
 * Recording replay histories: each release adds its own files and never rewrites an earlier one,
 * so the suite keeps checking that runs started on every earlier release still replay.
 * `RECORD_REPLAY_HISTORIES=1 npx jest test/replay test/workflows/edge-cases.test.ts test/workflows/outage.test.ts test/workflows/continue-as-new.test.ts test/workflows/vendor-remediation.test.ts test/workflows/scan.test.ts test/workflows/human-loop-auto-cancel.test.ts test/workflows/user-batches.test.ts test/workflows/provisioning-off.test.ts test/workflows/dry-run.test.ts test/workflows/manual-retry.test.ts` records this
 * release's; bump RELEASE first when the workflow code changed.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

/** The release whose workflow code records new histories. */
export const RELEASE = '2026-12-06-v4';
export const HISTORIES = path.join(__dirname, 'histories');
export const recording = !!process.env.RECORD_REPLAY_HISTORIES;

export async function recordHistory(client: Client, workflowId: string, scenario: string, runId?: string): Promise<void> {
  const file = path.join(HISTORIES, `${RELEASE}-${scenario}.json`);
  if (existsSync(file)) throw new Error(`${path.basename(file)} exists: histories are added, never recorded over. Bump RELEASE in test/replay/record.ts.`);
  // Failures carry stack traces: they name the project's folder on the machine that recorded them.
  const root = path.resolve(__dirname, '../..');
  writeFileSync(
    file,
    historyToJSON(await client.workflow.getHandle(workflowId, runId).fetchHistory())
      .split(root)
      .join('<project>'),
  );
}
