/** The dry run from a client: the diagnosis and the plan of a remediation, with nothing changed. */
import { ApplicationFailure, WorkflowFailedError, type Client } from '@temporalio/client';
import { DRY_RUN_WORKFLOW_TYPE, dryRunWorkflowId, type DryRunResult } from '../domain/plan';
import { CliError, EXIT } from './errors';

/** Runs the dry run to its end (it only reads, within minutes) and answers it; nothing is left running. */
export async function dryRun(client: Client, taskQueue: string, appId: string): Promise<DryRunResult> {
  try {
    return (await client.workflow.execute(DRY_RUN_WORKFLOW_TYPE, {
      taskQueue,
      workflowId: dryRunWorkflowId(appId),
      args: [{ appId }],
      workflowExecutionTimeout: '5 minutes',
      staticSummary: `Dry run of the remediation of Okta app ${appId}: nothing is changed`,
    })) as DryRunResult;
  } catch (err) {
    // The read that failed says why (an unknown app, a refused token), as `start` would.
    const cause = err instanceof WorkflowFailedError ? (err.cause?.cause ?? err.cause) : undefined;
    if (cause instanceof ApplicationFailure) throw new CliError(`The dry run of app ${appId} failed: ${cause.message}`, cause.type === 'UnknownOktaApp' ? EXIT.unknownApp : EXIT.remediationFailed);
    throw err;
  }
}
