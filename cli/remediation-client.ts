/**
 * What operators do to remediations, over the Temporal client: start one per app, report a
 * re-auth, read status, cancel. Shared by the CLI, the demo and the tests.
 */
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowFailedError, WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { RemediationStatus } from '../domain/types';
import { cancelReasonSignal, reauthCompletedSignal, remediationWorkflowId, statusQuery } from '../workflows/messages';
import type { remediateApp, RemediationInput } from '../workflows/remediation';
import { OKTA_APP_ID } from '../workflows/search-attributes';
import { CliError, EXIT } from './errors';

export interface StartResult {
  handle: WorkflowHandle<typeof remediateApp>;
  /** False when a remediation for this app was already running and is returned instead. */
  started: boolean;
  runId: string;
}

function noRemediation(appId: string): CliError {
  return new CliError(`No remediation is running for app ${appId}: start one with \`npx okta-remediate start --app ${appId}\`.`, EXIT.noRemediation);
}

export async function startRemediation(client: Client, taskQueue: string, input: RemediationInput): Promise<StartResult> {
  const workflowId = remediationWorkflowId(input.appId);
  const existing = await runningHandle(client, input.appId);
  if (existing) return { handle: existing.handle, started: false, runId: existing.runId };
  try {
    const handle = await client.workflow.start<typeof remediateApp>('remediateApp', {
      workflowId,
      taskQueue,
      args: [input],
      // A race with another starter still ends with one workflow per app.
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: [{ key: OKTA_APP_ID, value: input.appId }],
      staticSummary: `Remediate Okta app ${input.appId}`,
      staticDetails: `Repairs provisioning for Okta app \`${input.appId}\` after its API credential failed: diagnose, wait for an admin to re-authenticate, verify with a canary push, retry every affected user.`,
    });
    return { handle, started: true, runId: handle.firstExecutionRunId };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      const again = await runningHandle(client, input.appId);
      if (again) return { handle: again.handle, started: false, runId: again.runId };
    }
    throw err;
  }
}

async function runningHandle(client: Client, appId: string) {
  const handle = client.workflow.getHandle<typeof remediateApp>(remediationWorkflowId(appId));
  try {
    const desc = await handle.describe();
    return desc.status.name === 'RUNNING' ? { handle, runId: desc.runId } : undefined;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

export async function reportReauth(client: Client, appId: string, by: string, note?: string): Promise<void> {
  const running = await runningHandle(client, appId);
  if (!running) throw noRemediation(appId);
  await running.handle.signal(reauthCompletedSignal, { by, note });
}

export async function cancelRemediation(client: Client, appId: string, reason: string, by?: string): Promise<void> {
  const running = await runningHandle(client, appId);
  if (!running) throw noRemediation(appId);
  await running.handle.signal(cancelReasonSignal, { reason, by });
  await running.handle.cancel();
}

/**
 * The latest remediation of an app, running or closed. Closed runs answer from their result; a
 * failed or cancelled run answers the query (which needs a worker).
 */
export async function remediationStatus(client: Client, appId: string): Promise<{ status: RemediationStatus; temporalStatus: string }> {
  const handle = client.workflow.getHandle<typeof remediateApp>(remediationWorkflowId(appId));
  let temporalStatus: string;
  try {
    temporalStatus = (await handle.describe()).status.name;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      throw new CliError(`No remediation found for app ${appId}: start one with \`npx okta-remediate start --app ${appId}\`.`, EXIT.noRemediation);
    }
    throw err;
  }
  if (temporalStatus === 'COMPLETED') return { status: await handle.result(), temporalStatus };
  return { status: await handle.query(statusQuery), temporalStatus };
}

/** Wait until the remediation has left `diagnosing` (or ended), reporting an unknown app as such. */
export async function waitForDiagnosis(client: Client, appId: string, timeoutMs: number): Promise<RemediationStatus | undefined> {
  const handle = client.workflow.getHandle<typeof remediateApp>(remediationWorkflowId(appId));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const desc = await handle.describe();
    if (desc.status.name === 'FAILED') await rethrowFailure(handle, appId);
    if (desc.status.name !== 'RUNNING') break;
    const status = await handle.query(statusQuery).catch(() => undefined);
    if (status && status.phase !== 'diagnosing') return status;
    await new Promise((r) => setTimeout(r, 300));
  }
  return undefined;
}

async function rethrowFailure(handle: WorkflowHandle, appId: string): Promise<never> {
  try {
    await handle.result();
  } catch (err) {
    if (err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure) {
      const code = err.cause.type === 'UnknownOktaApp' ? EXIT.unknownApp : EXIT.remediationFailed;
      throw new CliError(err.cause.message.replace(/^Remediation of app \S+ failed: /, ''), code);
    }
    throw err;
  }
  throw new CliError(`The remediation of app ${appId} ended unexpectedly.`, EXIT.remediationFailed);
}
