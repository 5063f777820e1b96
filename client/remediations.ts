/**
 * What operators do to remediations, over the Temporal client: start one per app, hand it newly
 * failed users, report a re-auth, read status, cancel. Shared by the CLI, the scanner, the demo and
 * the tests.
 */
import {
  Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowExecutionDescription,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { notHandledBy } from '../domain/scan';
import type { AffectedUser, RemediationStatus, UserReportLine, UserResult } from '../domain/types';
import {
  addFailedUsersSignal,
  approveDeprovisionUpdate,
  cancelReasonSignal,
  confirmReauthUpdate,
  reauthCompletedSignal,
  reportPageQuery,
  remediationWorkflowId,
  snoozeUpdate,
  recheckUpdate,
  type RecheckResult,
  statusQuery,
  type Actor,
  type AddFailedUsersArgs,
  type VerificationResult,
  type RemediateApp,
  type RemediationInput,
  REMEDIATION_WORKFLOW_TYPE,
} from '../domain/messages';
import { OKTA_APP_ID } from '../domain/search-attributes';
import { CliError, EXIT } from './errors';

export interface StartResult {
  handle: WorkflowHandle<RemediateApp>;
  /** False when a remediation for this app was already running and is returned instead. */
  started: boolean;
  runId: string;
  /** When the returned run started. */
  startTime: Date;
}

function noRemediation(appId: string): CliError {
  return new CliError(`No remediation is running for app ${appId}: start one with \`npx okta-remediate start --app ${appId}\`.`, EXIT.noRemediation);
}

/** How every remediation starts, whoever starts it (the CLI, the scanner, the demo). */
export function remediationStartOptions(taskQueue: string, input: RemediationInput) {
  return {
    workflowId: remediationWorkflowId(input.appId),
    taskQueue,
    args: [input] as [RemediationInput],
    typedSearchAttributes: [{ key: OKTA_APP_ID, value: input.appId }],
    staticSummary: `Remediate Okta app ${input.appId}`,
    staticDetails: `Repairs provisioning for Okta app \`${input.appId}\` after its API credential failed: diagnose, wait for an admin to re-authenticate, verify with a canary push, retry every affected user.`,
  };
}

export async function startRemediation(client: Client, taskQueue: string, input: RemediationInput): Promise<StartResult> {
  const existing = await runningHandle(client, input.appId);
  if (existing) return { ...existing, started: false };
  try {
    // A race with another starter fails here for the loser (the conflict policy's default), which
    // then joins the winner's run: one workflow per app, and each caller says what it did.
    const handle = await client.workflow.start<RemediateApp>(REMEDIATION_WORKFLOW_TYPE, { ...remediationStartOptions(taskQueue, input), workflowIdConflictPolicy: 'FAIL' });
    const desc = await handle.describe();
    return { handle, started: true, runId: handle.firstExecutionRunId, startTime: desc.startTime };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      const again = await runningHandle(client, input.appId);
      if (again) return { ...again, started: false };
    }
    throw err;
  }
}

export interface JoinResult {
  workflowId: string;
  runId: string;
  /**
   * 'joined' when the users went to a remediation that was already running; 'handled' when the
   * app's last remediation completed and already handled every one of them (nothing was sent).
   */
  action: 'started' | 'joined' | 'handled';
}

/**
 * Hands newly failed users to the app's remediation: signal-with-start, so they join the running
 * one or start a new one atomically. The workflow ignores users it already has, so a re-sent
 * batch (a retried activity, a re-read event) changes nothing; with no remediation running, users
 * that the last completed one already handled are left out (domain/scan.ts, notHandledBy).
 */
export async function startOrJoinRemediation(client: Client, taskQueue: string, appId: string, users: AffectedUser[]): Promise<JoinResult> {
  const latest = await latestRun(client, appId);
  let fresh = users;
  if (latest && latest.status !== 'RUNNING') {
    const result = latest.status === 'COMPLETED' ? ((await latest.handle.result()) as RemediationStatus) : undefined;
    // A big remediation's result names only its first users: its full report says whom it handled.
    const closed = result?.tally ? (await fullRemediationStatus(client, appId)).status : result;
    fresh = notHandledBy(closed, users);
    if (fresh.length === 0) return { workflowId: latest.handle.workflowId, runId: latest.runId, action: 'handled' };
  }
  const handle = await client.workflow.signalWithStart<RemediateApp, [AddFailedUsersArgs]>(REMEDIATION_WORKFLOW_TYPE, {
    ...remediationStartOptions(taskQueue, { appId }),
    signal: addFailedUsersSignal,
    signalArgs: [{ users: fresh }],
  });
  const joined = latest?.status === 'RUNNING' && latest.runId === handle.signaledRunId;
  return { workflowId: handle.workflowId, runId: handle.signaledRunId, action: joined ? 'joined' : 'started' };
}

/** The app's latest remediation run, running or closed. */
async function latestRun(client: Client, appId: string) {
  const handle = client.workflow.getHandle<RemediateApp>(remediationWorkflowId(appId));
  try {
    const desc = await handle.describe();
    return { handle, runId: desc.runId, status: desc.status.name, startTime: desc.startTime };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

async function runningHandle(client: Client, appId: string) {
  const latest = await latestRun(client, appId);
  return latest?.status === 'RUNNING' ? { handle: latest.handle, runId: latest.runId, startTime: latest.startTime } : undefined;
}

export async function reportReauth(client: Client, appId: string, actor: Actor, note?: string): Promise<void> {
  const running = await runningHandle(client, appId);
  if (!running) throw noRemediation(appId);
  await running.handle.signal(reauthCompletedSignal, { ...actor, note });
}

/**
 * Confirms a re-auth with authority, through the `confirmReauth` update. The workflow refuses it at
 * once (nothing recorded) when it is not awaiting a re-auth, or who acts is not on the app's
 * allow-list or did not sign in where the app requires it; otherwise it answers once the re-auth
 * is verified, or found not to work.
 */
export async function confirmReauth(client: Client, appId: string, actor: Actor, note?: string): Promise<VerificationResult> {
  const running = await runningHandle(client, appId);
  if (!running) throw noRemediation(appId);
  try {
    return await running.handle.executeUpdate(confirmReauthUpdate, { args: [{ ...actor, note }] });
  } catch (err) {
    throw await updateFailure(running.handle, appId, err);
  }
}

export interface Snoozed {
  /** When reminders may resume (the next one comes at this time or at its own, whichever is later). */
  until: string;
  status: RemediationStatus;
}

/** Postpones the reminders (never the deadline) of a remediation awaiting a re-auth. */
export async function snoozeReminders(client: Client, appId: string, forMs: number, actor: Actor = {}): Promise<Snoozed> {
  const running = await runningHandle(client, appId);
  if (!running) throw noRemediation(appId);
  let until: string;
  try {
    until = await running.handle.executeUpdate(snoozeUpdate, { args: [{ forMs, ...actor }] });
  } catch (err) {
    throw await updateFailure(running.handle, appId, err);
  }
  return { until, status: await running.handle.query(statusQuery) };
}

/** Re-reads, now, the users a remediation left for the admin's Retry Selected in Okta. */
export async function recheckManualRetries(client: Client, appId: string, by?: string): Promise<RecheckResult> {
  const running = await runningHandle(client, appId);
  if (!running) throw noRemediation(appId);
  try {
    return await running.handle.executeUpdate(recheckUpdate, { args: [{ by }] });
  } catch (err) {
    throw await updateFailure(running.handle, appId, err);
  }
}

/**
 * An update that failed: refused by the workflow's validator (an ApplicationFailure carrying its
 * words, shown as one line), or cut short because the workflow ended before answering.
 */
async function updateFailure(handle: WorkflowHandle, appId: string, err: unknown): Promise<unknown> {
  if (!(err instanceof WorkflowUpdateFailedError)) return err;
  const cause = err.cause;
  if (cause instanceof ApplicationFailure && cause.type !== 'AcceptedUpdateCompletedWorkflow') {
    return new CliError(`Refused: ${cause.message.replace(/\s+/g, ' ').trim()}`, EXIT.refusedByWorkflow);
  }
  const status = await handle.describe().then(
    (d) => d.status.name,
    () => 'ENDED',
  );
  const code = status === 'FAILED' ? EXIT.remediationFailed : status === 'COMPLETED' ? EXIT.noRemediation : EXIT.remediationCancelled;
  return new CliError(`The remediation of app ${appId} ended (${status.toLowerCase()}) before it answered: ${cause?.message ?? err.message}. See \`npx okta-remediate status --app ${appId}\`.`, code);
}

/** Approves removing people at the vendor whose Okta deprovision failed (policy `ask`). */
export async function approveDeprovision(client: Client, appId: string, actor: Actor, logins: string[]): Promise<string[]> {
  const running = await runningHandle(client, appId);
  if (!running) throw noRemediation(appId);
  try {
    return await running.handle.executeUpdate(approveDeprovisionUpdate, { args: [logins.length > 0 ? { logins, ...actor } : { all: true, ...actor }] });
  } catch (err) {
    throw await updateFailure(running.handle, appId, err);
  }
}

export async function cancelRemediation(client: Client, appId: string, reason: string, by?: string): Promise<void> {
  const running = await runningHandle(client, appId);
  if (!running) throw noRemediation(appId);
  await running.handle.signal(cancelReasonSignal, { reason, by });
  await running.handle.cancel();
}

/** The Temporal status of the app's latest remediation (RUNNING, COMPLETED, ...), or "none found". */
export async function temporalStatusOf(handle: WorkflowHandle, appId: string): Promise<string> {
  return (await describeRemediation(handle, appId)).status.name;
}

async function describeRemediation(handle: WorkflowHandle, appId: string): Promise<WorkflowExecutionDescription> {
  try {
    return await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      throw new CliError(`No remediation found for app ${appId}: start one with \`npx okta-remediate start --app ${appId}\`.`, EXIT.noRemediation);
    }
    throw err;
  }
}

/**
 * The latest remediation of an app, running or closed. Closed runs answer from their result; a
 * failed or cancelled run answers the query (which needs a worker).
 */
export async function remediationStatus(client: Client, appId: string): Promise<{ status: RemediationStatus; temporalStatus: string }> {
  const handle = client.workflow.getHandle<RemediateApp>(remediationWorkflowId(appId));
  const description = await describeRemediation(handle, appId);
  const temporalStatus = description.status.name;
  if (temporalStatus === 'COMPLETED') return { status: await handle.result(), temporalStatus };
  return { status: withPendingChecks(await handle.query(statusQuery), description), temporalStatus };
}

/**
 * Auto-detection's checks so far: the server retries its one activity (see await-reauth.ts) and
 * counts the attempts, which the workflow learns only when a check finds something.
 */
function withPendingChecks(status: RemediationStatus, description: WorkflowExecutionDescription): RemediationStatus {
  const watch = description.raw.pendingActivities?.find((a) => a.activityType?.name === 'reauthEvidence');
  if (watch && status.wait) status.wait.autoChecks += Math.max(0, (watch.attempt ?? 1) - 1);
  return status;
}

/**
 * Every user of the app's latest remediation with their outcome, read a page at a time so a report
 * of any size streams. A run of the frozen first type lists every user in its status instead.
 */
export async function* reportLines(client: Client, appId: string): AsyncGenerator<UserReportLine> {
  const handle = client.workflow.getHandle<RemediateApp>(remediationWorkflowId(appId));
  await temporalStatusOf(handle, appId);
  if ((await handle.describe()).type !== REMEDIATION_WORKFLOW_TYPE) {
    const { status } = await remediationStatus(client, appId);
    const results = new Map(status.results.map((r) => [`${r.kind}:${r.userId}`, r]));
    for (const user of status.affected) yield { user, result: results.get(`${user.kind}:${user.userId}`) };
    return;
  }
  let after: string | undefined;
  do {
    const page = await handle.query(reportPageQuery, { after });
    yield* page.users;
    after = page.next;
  } while (after);
}

/** The status with every user listed, however many: what `status --json` prints. */
export async function fullRemediationStatus(client: Client, appId: string): Promise<{ status: RemediationStatus; temporalStatus: string }> {
  const found = await remediationStatus(client, appId);
  if (!found.status.tally) return found;
  const affected: AffectedUser[] = [];
  const results: UserResult[] = [];
  for await (const line of reportLines(client, appId)) {
    affected.push(line.user);
    if (line.result) results.push(line.result);
  }
  const { tally: _counted, ...status } = found.status;
  return { ...found, status: { ...status, affected, results } };
}

/** Wait until the remediation has left `diagnosing` (or ended), reporting an unknown app as such. */
export async function waitForDiagnosis(client: Client, appId: string, timeoutMs: number): Promise<RemediationStatus | undefined> {
  const handle = client.workflow.getHandle<RemediateApp>(remediationWorkflowId(appId));
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
