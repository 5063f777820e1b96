/**
 * `okta-remediate watch`: follow one remediation until it ends. Polls the status query and shows
 * the phase and, while users are retried, a progress bar; ends with the report and an exit code
 * that says how the remediation ended.
 */
import type { Client } from '@temporalio/client';
import { progressBar } from '../domain/progress';
import { affectedCount, countResults, outcomeSummary, phaseText, renderText } from '../domain/report';
import type { RemediationStatus } from '../domain/types';
import { remediationWorkflowId, statusQuery } from '../domain/messages';
import { CliError, EXIT } from '../client/errors';
import type { Io } from './options';
import { remediationStatus, temporalStatusOf } from '../client/remediations';

export interface WatchOptions {
  pollMs: number;
  json: boolean;
}

/** One line: the phase, and how far the retries got once they started. */
function progressLine(s: RemediationStatus): string {
  const app = s.diagnosis ? `${s.diagnosis.app.label} (${s.appId})` : s.appId;
  const c = countResults(s);
  const total = affectedCount(s);
  const line = `${app}: ${phaseText(s)}`;
  if (s.phase === 'retrying' || (s.phase === 'completed' && total > 0)) {
    return `${line} ${progressBar(total - c.pending, total)} users: ${outcomeSummary(c)}`;
  }
  return total > 0 ? `${line} (${total} affected users)` : line;
}

function progressEvent(s: RemediationStatus) {
  const c = countResults(s);
  const total = affectedCount(s);
  return {
    type: 'progress',
    appId: s.appId,
    phase: s.phase,
    done: total - c.pending,
    total,
    succeeded: c.succeeded,
    stillFailing: c.still_failing,
    skipped: c.skipped,
    awaitingApproval: c.awaiting_approval,
    needsManualRetry: c.needs_manual_retry,
  };
}

export async function watchRemediation(client: Client, appId: string, io: Io, opts: WatchOptions): Promise<void> {
  const handle = client.workflow.getHandle(remediationWorkflowId(appId));
  let last: RemediationStatus | undefined;
  let shown = '';
  const show = (s: RemediationStatus) => {
    last = s;
    const text = opts.json ? JSON.stringify(progressEvent(s)) : progressLine(s);
    if (text === shown) return;
    shown = text;
    // A terminal redraws one line; a pipe or a log gets one line per change.
    io.out(io.isTTY && !opts.json ? `\r\x1b[2K${text}` : `${text}\n`);
  };

  let temporalStatus: string;
  for (;;) {
    temporalStatus = await temporalStatusOf(handle, appId);
    if (temporalStatus !== 'RUNNING') break;
    // Before a worker picks the workflow up the query cannot answer yet: keep polling.
    const status = await handle.query(statusQuery).catch(() => undefined);
    if (status) show(status);
    await new Promise((r) => setTimeout(r, opts.pollMs));
  }

  // A failed or cancelled run answers only through a worker; without one, show what was seen last.
  const final = (await remediationStatus(client, appId).catch(() => undefined))?.status ?? last;
  if (final) show(final);
  if (io.isTTY && !opts.json) io.out('\n');
  if (opts.json) io.out(JSON.stringify({ type: 'end', temporalStatus, status: final }) + '\n');
  else if (final) io.out(`\n${renderText(final)}\n`);

  if (temporalStatus === 'COMPLETED') {
    // Giving up is a normal end for the workflow, but not a repair: scripts must be able to tell.
    if (final?.phase === 'timed_out') {
      throw new CliError(
        `The remediation of app ${appId} gave up waiting for the re-auth (deadline ${final.wait?.deadline ?? 'passed'}); start a new one after re-authenticating: \`npx okta-remediate start --app ${appId}\`.`,
        EXIT.reauthTimedOut,
      );
    }
    if (final?.endedBecause === 'provisioning_off') {
      throw new CliError(
        `The remediation of app ${appId} ended without a retry: Okta's provisioning of the app is off. Turn it on (the diagnosis says how), then start again: \`npx okta-remediate start --app ${appId}\`.`,
        EXIT.provisioningOff,
      );
    }
    return;
  }
  const why = final?.error ?? final?.cancellation?.reason;
  if (temporalStatus === 'FAILED' || temporalStatus === 'TIMED_OUT') {
    throw new CliError(`The remediation of app ${appId} ${temporalStatus === 'FAILED' ? 'failed' : 'timed out'}${why ? `: ${why}` : '.'}`, EXIT.remediationFailed);
  }
  throw new CliError(`The remediation of app ${appId} was ${temporalStatus.toLowerCase()}${why ? `: ${why}` : '.'}`, EXIT.remediationCancelled);
}
