/** The dry run from a client: the diagnosis and the plan of a remediation, with nothing changed. */
import type { Client } from '@temporalio/client';
import { DRY_RUN_WORKFLOW_TYPE, dryRunWorkflowId, type DryRunResult } from '../domain/plan';

/** Runs the dry run to its end (a minute at most) and answers it; nothing is left running. */
export async function dryRun(client: Client, taskQueue: string, appId: string): Promise<DryRunResult> {
  return (await client.workflow.execute(DRY_RUN_WORKFLOW_TYPE, {
    taskQueue,
    workflowId: dryRunWorkflowId(appId),
    args: [{ appId }],
    workflowExecutionTimeout: '5 minutes',
    staticSummary: `Dry run of the remediation of Okta app ${appId}: nothing is changed`,
  })) as DryRunResult;
}
