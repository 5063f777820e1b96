/**
 * A remediation's run continues as new between phases once its history is long (a big app's
 * diagnosis pages and retry signals add about one event per ten users). Its input may not grow
 * with the app, so the users travel through a checkpoint workflow: this run hands it every user a
 * page at a time, the next run asks for them back and takes up at the next phase.
 *
 * Pages go a window at a time, each window only once the receiver asked for it: signals that
 * arrive while a workflow task runs are written to the history together, and a window bounds
 * that batch (a page of history over 4 MB is one the Web UI and `temporal workflow show` cannot read).
 */
import { ApplicationFailure, allHandlersFinished, condition, continueAsNew, getExternalWorkflowHandle, ParentClosePolicy, patched, setHandler, startChild, workflowInfo } from '@temporalio/workflow';
import {
  checkpointDropSignal,
  checkpointPageSignal,
  checkpointWantSignal,
  checkpointWorkflowId,
  remediationWorkflowId,
  type CheckpointEntry,
  type CheckpointInput,
  type RemediateApp,
  type ResumedRemediation,
} from '../../domain/messages';
import { noticesDelivered } from './notify';
import type { Remediation } from './state';

/** Behaviour change guarded for replay: before it, a remediation ran in one history however long. */
const CONTINUE_AS_NEW_BETWEEN_PHASES = 'continue-as-new-between-phases';
/**
 * Since 2026-12-06-v2: the checkpoint is named by the remediation's first run (one left by an
 * earlier remediation of the app never collides), and a handoff during which a message changed
 * the users is dropped; runs of v1 replay with the app-only name and no such check.
 */
const CHECKPOINT_BY_RUN = 'checkpoint-by-run-dropped-on-change';
/** History events after which a run continues as new at its next phase. */
export const RUN_EVENTS = 5_000;
/** A page: at most 100 users and about 48 KB, whatever the length of Okta's words. */
const CHECKPOINT_PAGE = { users: 100, bytes: 48_000 };
/** Pages a window: under 1 MB in one workflow task's commands or one batch of the history. */
const WINDOW = 20;
/** How long either side waits for the other. */
const CHECKPOINT_KEPT = '7 days';

/** Continues as new, to take up at `at`, if this run's history is long; returns otherwise. */
export async function continueAsNewIfLong(r: Remediation, at: ResumedRemediation['at']): Promise<void> {
  const info = workflowInfo();
  const runEvents = Math.max(1, Math.floor(r.input.runEvents ?? RUN_EVENTS));
  if (!(info.continueAsNewSuggested || info.historyLength >= runEvents) || !patched(CONTINUE_AS_NEW_BETWEEN_PHASES)) return;
  // Nothing may be under way in this run: notices, updates waiting on an answer.
  await noticesDelivered(r);
  await condition(allHandlersFinished);
  const version = r.version();
  // Numbered on from the last run's, past any this run dropped.
  const checkpoint = (r.input.resume?.checkpoint ?? 0) + ++r.checkpointsTried;
  const byRun = patched(CHECKPOINT_BY_RUN);
  const checkpointId = checkpointWorkflowId(r.appId, byRun ? info.firstExecutionRunId : undefined, checkpoint);
  const pages = [...r.checkpoint(CHECKPOINT_PAGE)];
  const wanted = wantedFrom();
  // Abandoned, not terminated, when this run closes: the next run reads it.
  const held = await startChild(remediationCheckpoint, {
    workflowId: checkpointId,
    args: [{ appId: r.appId, pages: pages.length }],
    parentClosePolicy: ParentClosePolicy.ABANDON,
    staticSummary: `Holds the ${r.affectedCount()} users of app ${r.appId} while its remediation continues as new`,
  });
  const filled = await sendInWindows(pages.length, wanted, (index) => held.signal(checkpointPageSignal, { index, entries: pages[index]! }));
  // A message that changed the users while the pages went out (an added user, an approval) is
  // not in them: this run goes on instead, and tries again at its next phase.
  if (byRun) {
    await condition(allHandlersFinished);
    if (!filled || r.version() !== version) {
      await held.signal(checkpointDropSignal);
      return;
    }
  }
  await continueAsNew<RemediateApp>({ ...r.input, resume: { ...r.carried(), at, checkpoint, ...(byRun ? { checkpointId } : {}), pages: pages.length } });
}

/** The next run's first step: the users back from the checkpoint, in the report's order. */
export async function restoreFromCheckpoint(r: Remediation, resume: ResumedRemediation): Promise<void> {
  r.resume(resume);
  const held = getExternalWorkflowHandle(resume.checkpointId ?? checkpointWorkflowId(r.appId, undefined, resume.checkpoint));
  const pages = await receiveInWindows(resume.pages, (from) => held.signal(checkpointWantSignal, { from }));
  if (!pages) throw ApplicationFailure.nonRetryable(`The checkpoint of app ${r.appId} did not send back its users within ${CHECKPOINT_KEPT}.`, 'CheckpointLost');
  for (const entries of pages) r.restore(entries);
  r.publish();
}

/** Holds a remediation's users between two of its runs: takes them from one, gives them to the next. */
export async function remediationCheckpoint({ appId, pages }: CheckpointInput): Promise<void> {
  // Both runs are the remediation's current one when they hear from it: the first until it has
  // every page, the next once it asks.
  const remediation = getExternalWorkflowHandle(remediationWorkflowId(appId));
  const wanted = wantedFrom();
  let dropped = false;
  setHandler(checkpointDropSignal, () => void (dropped = true));
  const held = await receiveInWindows(
    pages,
    (from) => remediation.signal(checkpointWantSignal, { from }),
    () => dropped,
  );
  if (dropped) return;
  if (!held) throw ApplicationFailure.nonRetryable(`The remediation of app ${appId} did not hand over its users within ${CHECKPOINT_KEPT}.`, 'CheckpointNotFilled');
  const sent = await sendInWindows(
    pages,
    wanted,
    (index) => remediation.signal(checkpointPageSignal, { index, entries: held[index]! }),
    () => dropped,
  );
  if (!sent && !dropped) {
    throw ApplicationFailure.nonRetryable(`The remediation of app ${appId} did not ask for its users within ${CHECKPOINT_KEPT}.`, 'CheckpointNotClaimed');
  }
}

/** The furthest page the other side has asked for, kept up to date by its signals. */
function wantedFrom(): () => number {
  let from = -1;
  setHandler(checkpointWantSignal, (want) => void (from = Math.max(from, want.from)));
  return () => from;
}

/** Sends each window once the receiver asked for it; false if it stopped asking (or the sender was told to stop). */
async function sendInWindows(count: number, wanted: () => number, send: (index: number) => Promise<void>, stopped = () => false): Promise<boolean> {
  for (let from = 0; from < count; from += WINDOW) {
    if (!(await condition(() => wanted() >= from || stopped(), CHECKPOINT_KEPT)) || stopped()) return false;
    await Promise.all(Array.from({ length: Math.min(WINDOW, count - from) }, (_, i) => send(from + i)));
  }
  // The receiver has the last window once it asks past it.
  return (await condition(() => wanted() >= count || stopped(), CHECKPOINT_KEPT)) && !stopped();
}

/** Asks for each window, then past the last, and waits for its pages; every page in order, or undefined if the sender stopped. */
async function receiveInWindows(count: number, ask: (from: number) => Promise<void>, stopped = () => false): Promise<CheckpointEntry[][] | undefined> {
  const pages = new Map<number, CheckpointEntry[]>();
  setHandler(checkpointPageSignal, ({ index, entries }) => void pages.set(index, entries));
  for (let from = 0; ; from += WINDOW) {
    await ask(from);
    if (from >= count) break;
    const end = Math.min(count, from + WINDOW);
    if (!(await condition(() => pages.size >= end || stopped(), CHECKPOINT_KEPT)) || stopped()) return undefined;
  }
  return Array.from({ length: count }, (_, i) => pages.get(i)!);
}
