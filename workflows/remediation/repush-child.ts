/**
 * The paged retry as a child workflow: the part of a remediation whose history grows fastest
 * with the app (a page's reads, pushes and results) runs on its own and continues as new, and
 * the remediation's own run gets one signal a page. The child pushes the users Okta shows in
 * ERROR, a page at a time, and tells the remediation each page's outcome; the remediation keeps
 * every user and result, decides who is affected, and retries whoever a page did not settle one
 * by one.
 */
import { CancellationScope, continueAsNew, executeChild, isCancellation, setHandler, workflowInfo } from '@temporalio/workflow';
import { retryPageArgsSchema, parseMessage } from '../../domain/message-input';
import { repushPagesWorkflowId, retryPageSignal, type RepushPagesInput, type RetryPageArgs } from '../../domain/messages';
import type { UserResult } from '../../domain/types';
import { failureMessage, isActivityFailure, listAppUsersPage, repushPage } from './activities';
import { acceptChildOutages, childOutageHost, parentRemediation } from './child-outages';
import { refuseSignal } from './messages';
import { despiteOutageOn } from './outage';
import { joinedLogin, retryPageLimit, settledBySync } from './retry-pages';
import { now, type Remediation } from './state';

/** A run of the retry continues as new past this many events, or sooner when the server suggests it (past 4 MB of history: about 60 pages). */
export const RETRY_RUN_EVENTS = 5_000;

export async function repushAppPages(input: RepushPagesInput): Promise<{ pages: number }> {
  const remediation = parentRemediation();
  const tell = (page: RetryPageArgs) => remediation.signal(retryPageSignal, page);
  const host = childOutageHost(remediation, input.appId, input.outageCheckSeconds);
  const { appId, limit } = input;
  let { after, page } = input;
  for (;;) {
    const read = await despiteOutageOn(host, () => listAppUsersPage(`Retry: read app users, page ${page}`, { appId, after, limit }));
    const failing = read.users.filter((u) => u.syncState === 'ERROR');
    const synchronized = read.users.filter((u) => u.syncState === 'SYNCHRONIZED').map(({ userId, login, lastSync }) => ({ userId, login, ...(lastSync ? { lastSync } : {}) }));
    let results: UserResult[] = [];
    if (failing.length > 0) {
      try {
        const pushed = await despiteOutageOn(host, () => repushPage(`Retry: re-push ${failing.length} users of page ${page}`, { appId, after, limit, userIds: failing.map((u) => u.userId) }));
        results = pushed.results;
      } catch (err) {
        if (isCancellation(err)) {
          // Their pushes may already be at Okta: the remediation says so, rather than list them as never tried.
          const cancelled = failing.map(({ userId, login }) => ({ userId, login }));
          await CancellationScope.nonCancellable(() => tell({ page, results: [], synchronized, cancelled }));
          throw err;
        }
        if (!isActivityFailure(err)) throw err;
        const detail = `Gave up after repeated errors: ${failureMessage(err)}`;
        results = failing.map(({ userId, login }) => ({ userId, login, kind: 'push', outcome: 'still_failing', detail, at: now() }));
      }
    }
    // Awaited: every page's signal is in the remediation's history before this child completes.
    await tell({ page, results, synchronized });
    if (!read.next) return { pages: page };
    after = read.next;
    page++;
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength >= input.runEvents) await continueAsNew<typeof repushAppPages>({ ...input, after, page });
  }
}

/** The remediation's side: runs the child and applies each page it reports. */
export async function repushInChild(r: Remediation): Promise<void> {
  let running = true;
  setHandler(retryPageSignal, (raw) => {
    const parsed = parseMessage(retryPageArgsSchema, raw);
    if (!parsed.ok) return refuseSignal(r, 'retryPage', parsed.problem);
    if (!running) return refuseSignal(r, 'retryPage', 'no paged retry is running');
    applyPage(r, parsed.value);
  });
  const childEnded = acceptChildOutages(r);
  const limit = retryPageLimit(r);
  const runEvents = Math.max(20, Math.floor(r.input.retryRunEvents ?? RETRY_RUN_EVENTS));
  try {
    await executeChild(repushAppPages, {
      workflowId: repushPagesWorkflowId(r.appId),
      args: [{ appId: r.appId, page: 1, limit, outageCheckSeconds: r.input.outageCheckSeconds, runEvents }],
    });
  } finally {
    running = false;
    childEnded();
  }
}

/** One page's outcomes: results are recorded, newly failing users join, synchronized affected users are settled. */
function applyPage(r: Remediation, p: RetryPageArgs): void {
  for (const s of p.synchronized) settledBySync(r, s);
  for (const x of p.results) r.record({ ...x, login: joinedLogin(r, x) });
  for (const c of p.cancelled ?? []) {
    const login = joinedLogin(r, c);
    r.record({
      userId: c.userId,
      login,
      kind: 'push',
      outcome: 'skipped',
      detail: `Cancelled while its re-push was in flight: Okta may still apply it; check ${login}'s syncState in Okta.`,
      at: now(),
    });
  }
}
