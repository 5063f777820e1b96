/**
 * What the human in the loop is told, and how it reads in each medium. One content model
 * (noticeContent) feeds the plain text, the Markdown, the Slack blocks and the email HTML, so every
 * channel says the same thing: what failed, why, exactly what to do, and the command to run after.
 * A notice is about one app's remediation, or about the scanner itself (scan-notice.ts).
 * Pure: bundled into workflows, so no Node APIs.
 */
import { reauthCommand } from './diagnosis';
import { markdownEscape } from './markdown';
import { VENDOR_STATUS_PAGES } from './vendors/registry';
import { affectedCount, claimant, countResults, handledCount, manualRetrySteps, outcomeSummary, phaseText, recheckCommand, resultCount } from './report';
import type { ContextLine, NoticeContent, NoticeKind, UserList } from './notice-content';
import { scanNoticeContent, type ScanNotice } from './scan-notice';

export type { ContextLine, NoticeContent, NoticeKind, UserList } from './notice-content';
import type { AffectedUser, FailureKind, Phase, RemediationStatus, UserOutcome, Vendor } from './types';

export interface RemediationNotice {
  kind: NoticeKind;
  status: RemediationStatus;
  /** For reminders (this one's number) and escalations (how many reminders went unanswered). */
  reminderNumber?: number;
  /** Web UI link of the workflow, if known */
  uiUrl?: string;
}

export type Notice = RemediationNotice | ScanNotice;

export function isScanNotice(n: Notice): n is ScanNotice {
  return n.kind === 'scan_failed' || n.kind === 'scan_recovered';
}

/** What a notice is about, for logs and idempotency keys: never a secret. */
export function noticeAbout(n: Notice): string {
  return isScanNotice(n) ? `the scanner ${n.workflowId}` : `app ${n.status.appId}`;
}

export interface RenderedNotice {
  subject: string;
  text: string;
  markdown: string;
}

export function startCommand(appId: string): string {
  return `npx okta-remediate start --app ${appId}`;
}

export function statusCommand(appId: string): string {
  return `npx okta-remediate status --app ${appId}`;
}

/** Kept beside the other commands so the CLI and the notices name the same one. */
export function approveDeprovisionCommand(appId: string): string {
  return `npx okta-remediate approve-deprovision --app ${appId} --by <your email>`;
}

/** Enough to act on; the full list is one `status` away. */
export const MAX_LISTED_USERS = 20;

function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}

const userKey = (u: { kind: FailureKind; userId: string }) => `${u.kind}:${u.userId}`;

/**
 * Affected users without a successful result yet, per kind: how many, and those the status lists
 * (all of them, or the first few of a big app).
 */
function unresolved(s: RemediationStatus) {
  const fixed = new Set(s.results.filter((r) => r.outcome === 'succeeded').map(userKey));
  const open = s.affected.filter((u) => !fixed.has(userKey(u)));
  const listed = (kind: FailureKind) => open.filter((u) => u.kind === kind);
  const count = (kind: FailureKind) => (s.tally ? s.tally.affected[kind] - countResults(s, kind).succeeded : listed(kind).length);
  return { push: listed('push'), deprovision: listed('deprovision'), pushCount: count('push'), deprovisionCount: count('deprovision') };
}

/** A list of at most MAX_LISTED_USERS lines; `total` counts the lines a big app's status left out. */
function list(title: string, items: string[], total = items.length): UserList[] {
  if (total === 0) return [];
  return [{ title, lines: items.slice(0, MAX_LISTED_USERS), more: Math.max(total - Math.min(items.length, MAX_LISTED_USERS), 0) }];
}

const userLine = (u: AffectedUser) => `${u.login}${u.displayName && u.displayName !== u.login ? ` (${u.displayName})` : ''}, failed ${u.failedAt}`;

function openUserLists(s: RemediationStatus, label: string): UserList[] {
  const open = unresolved(s);
  return [
    ...list(`Failed deprovisions: may still have access to ${label}`, open.deprovision.map(userLine), open.deprovisionCount),
    ...list(`Not provisioned to ${label}`, open.push.map(userLine), open.pushCount),
  ];
}

function failureFacts(s: RemediationStatus, label: string): string[] {
  const open = unresolved(s);
  const facts: string[] = [];
  if (open.deprovisionCount > 0) {
    facts.push(`${plural(open.deprovisionCount, 'deprovision')} failed: ${open.deprovisionCount === 1 ? 'a person' : 'people'} removed in Okta may still have access to ${label}.`);
  }
  if (open.pushCount > 0) facts.push(`${plural(open.pushCount, 'user')} could not be provisioned (pushed) to ${label}.`);
  const earliest = s.tally ? s.tally.earliestFailedAt : [...open.deprovision, ...open.push].map((u) => u.failedAt).sort()[0];
  if (earliest) facts.push(`Failing since ${earliest}.`);
  const d = s.diagnosis;
  if (!d?.causes[0]) {
    const reason = [...open.deprovision, ...open.push][0]?.reason;
    if (reason) facts.push(`Okta says: ${reason}`);
  }
  if (d?.hints.length) facts.push(`The diagnosis would be sharper with: ${d.hints.join(', ')}.`);
  return facts;
}

function outcomeFacts(s: RemediationStatus): string[] {
  const c = countResults(s);
  const facts = [`Outcome: ${outcomeSummary(c)}, ${c.pending} pending (of ${affectedCount(s)}).`];
  for (const kind of ['deprovision', 'push'] as const) {
    const k = countResults(s, kind);
    const handled = handledCount(k);
    if (handled === 0) continue;
    facts.push(`${kind === 'push' ? 'Pushes' : 'Deprovisions'}: ${k.succeeded} of ${handled} succeeded.`);
  }
  const t = s.confirmation;
  if (t) {
    const failed = t.steps.find((step) => !step.ok);
    facts.push(
      t.skipped
        ? `Test-user round trip (${t.testUser}) skipped: ${t.skipped}`
        : t.ok
          ? `Test-user round trip (${t.testUser}): assigned and deprovisioned as expected.`
          : failed
            ? `Test-user round trip (${t.testUser}) failed at ${failed.step}: ${failed.detail}`
            : `Test-user round trip (${t.testUser}) in progress (${t.steps.length} of 4 steps done).`,
    );
  }
  return facts;
}

function outcomeLists(s: RemediationStatus): UserList[] {
  const line = (r: RemediationStatus['results'][number]) => `${r.login} (${r.kind}): ${r.detail}`;
  const c = countResults(s);
  const outcome = (o: UserOutcome, title: string) => list(title, s.results.filter((r) => r.outcome === o).map(line), s.tally ? c[o] : undefined);
  return [
    ...outcome('needs_manual_retry', `Okta made no new attempt: retry these in Okta (Dashboard > Tasks > Retry Selected), then ${recheckCommand(s.appId)}`),
    ...outcome('still_failing', 'Still failing'),
    ...outcome('skipped', 'Skipped'),
    ...outcome('awaiting_approval', 'Awaiting approval'),
  ];
}

/** The earliest the admin has been waiting: the current wait, or the start when it is over. */
function waitingSince(s: RemediationStatus): string {
  return s.wait?.since ?? (s.phase === 'awaiting_reauth' ? s.phaseChangedAt : s.startedAt);
}

export function noticeContent(n: Notice): NoticeContent {
  return isScanNotice(n) ? scanNoticeContent(n) : remediationContent(n);
}

/** Where each service says it is down. */
const STATUS_PAGES: Record<string, string> = { Okta: 'https://status.okta.com', ...VENDOR_STATUS_PAGES };

function remediationContent(n: RemediationNotice): NoticeContent {
  const s = n.status;
  const d = s.diagnosis;
  const label = d?.app.label ?? `app ${s.appId}`;
  const appRef = d ? `${d.app.label} (app ${s.appId})` : `app ${s.appId}`;
  const top = d?.causes[0];
  const steps = top?.steps ?? [];
  const reauth = { intro: 'When done, tell the pipeline', line: reauthCommand(s.appId) };
  const restart = { intro: 'After re-authenticating, start a new remediation', line: startCommand(s.appId) };
  // Steps end with "tell the pipeline: reauth-done"; once the workflow is over, that would go nowhere.
  const restartSteps = steps.map((step) => (step.includes(reauthCommand(s.appId)) ? `Save, then start a new remediation: ${startCommand(s.appId)}` : step));
  const vendor = d?.app.vendor;
  const base = {
    kind: n.kind,
    footer: `App ${label} (${s.appId}${vendor ? `, ${vendor}` : ''}). Phase: ${s.phase} (${phaseText(s)}) since ${s.phaseChangedAt}.`,
    context: [
      ['App ', { code: s.appId }, ` · ${label}${vendor ? ` (${vendor})` : ''}`],
      ['Phase: ', { code: s.phase }, ` (${phaseText(s)}) since ${s.phaseChangedAt}`],
    ],
    fullReport: statusCommand(s.appId),
    cause: top ? { title: top.title, evidence: top.evidence } : undefined,
    otherCauses: d?.causes.slice(1).map((c) => c.title) ?? [],
    uiUrl: n.uiUrl,
  };
  const reminders = n.reminderNumber ?? 0;

  switch (n.kind) {
    case 'diagnosed':
      return {
        ...base,
        subject: `Action needed: provisioning to ${label} is failing`,
        headline: `Okta cannot provision ${appRef}. An admin must act in the Okta Admin Console (steps below); the pipeline does the rest.`,
        facts: failureFacts(s, label),
        steps,
        command: reauth,
        users: openUserLists(s, label),
      };
    case 'reminder':
      return {
        ...base,
        subject: `Reminder${reminders ? ` ${reminders}` : ''}: ${label} still needs re-authentication in Okta`,
        headline: `Reminder${reminders ? ` ${reminders}` : ''}: provisioning to ${appRef} is still failing. Waiting for an admin to re-authenticate it since ${waitingSince(s)}.`,
        facts: failureFacts(s, label),
        steps,
        command: reauth,
        users: openUserLists(s, label),
      };
    case 'escalation':
      return {
        ...base,
        subject: `Escalated: ${label} not re-authenticated after ${plural(reminders, 'reminder')}`,
        headline: `Escalated to you: nobody has re-authenticated ${appRef} after ${plural(reminders, 'reminder')}. It has been waiting since ${waitingSince(s)} (remediation started ${s.startedAt}).`,
        facts: failureFacts(s, label),
        steps,
        command: reauth,
        users: openUserLists(s, label),
      };
    case 'verification_failed': {
      const claim = [...s.reauthClaims].reverse().find((c) => c.verified === false);
      const who = claim ? ` reported by ${claimant(claim)} at ${claim.at}` : '';
      return {
        ...base,
        subject: `Re-authentication of ${label} did not work`,
        headline: `The re-authentication of ${appRef}${who} did not work${claim?.verdict ? `: ${claim.verdict}` : '.'} Provisioning is still failing; please do the steps again.`,
        facts: failureFacts(s, label),
        steps,
        command: reauth,
        users: openUserLists(s, label),
      };
    }
    case 'manual_retry_needed': {
      const count = countResults(s).needs_manual_retry;
      return {
        ...base,
        subject: `Action needed: retry ${plural(count, 'user')} of ${label} in Okta`,
        headline: `The credential of ${appRef} works again, but Okta made no new push attempt for ${plural(count, 'user')} after the pipeline's re-push (Okta starts a push for a change, and their profiles did not change). Retry them in Okta; the pipeline re-reads them and records the outcome.`,
        facts: outcomeFacts(s),
        steps: manualRetrySteps(label, s.appId),
        command: { intro: 'After Retry Selected', line: recheckCommand(s.appId) },
        users: outcomeLists(s).filter((l) => l.title.startsWith('Okta made no new attempt')),
      };
    }
    case 'completed': {
      const c = countResults(s);
      const open = c.still_failing + c.pending + c.awaiting_approval + c.needs_manual_retry;
      return {
        ...base,
        subject: open === 0 ? `Repaired: provisioning to ${label} works again` : `Follow-up needed: ${label} remediation finished with ${plural(open, 'user')} not repaired`,
        headline: `The remediation of ${appRef} finished${s.finishedAt ? ` at ${s.finishedAt}` : ''}: ${outcomeSummary(c)}.`,
        facts: outcomeFacts(s),
        steps: [
          ...(c.needs_manual_retry > 0 ? manualRetrySteps(label, s.appId).slice(0, 2) : []),
          ...(c.still_failing > 0
            ? ['Review each user still failing in the Okta Admin Console (Dashboard > Tasks): these failures were not caused by the credential, or persisted after it was fixed.']
            : []),
        ],
        command: { intro: 'For the full report', line: statusCommand(s.appId) },
        users: outcomeLists(s),
      };
    }
    case 'provisioning_off':
      return {
        ...base,
        subject: `Provisioning is off for ${label}: nothing was retried`,
        headline: `Okta's provisioning of ${appRef} is ${s.diagnosis?.app.provisioningState === 'not_set_up' ? 'not set up' : 'turned off'}, so a re-authentication alone cannot help and the remediation ended without retrying anyone${countResults(s, 'deprovision').succeeded > 0 ? ' (leavers were removed at the vendor as the policy says)' : ''}.`,
        facts: resultCount(s) > 0 ? [...outcomeFacts(s), ...failureFacts(s, label)] : failureFacts(s, label),
        steps,
        command: { intro: 'Once provisioning is on', line: startCommand(s.appId) },
        users: openUserLists(s, label),
      };
    case 'timed_out':
      return {
        ...base,
        subject: `Gave up waiting: ${label} was not re-authenticated in Okta`,
        headline: `The remediation of ${appRef} stopped waiting for re-authentication (waiting since ${waitingSince(s)})${s.error ? `: ${s.error}` : '.'} Provisioning is still failing.`,
        facts: failureFacts(s, label),
        steps: restartSteps,
        command: restart,
        users: openUserLists(s, label),
      };
    case 'cancelled': {
      const by = s.cancellation?.by ?? 'an operator';
      return {
        ...base,
        subject: `Cancelled: remediation of ${label}`,
        headline: `The remediation of ${appRef} was cancelled by ${by}${s.cancellation ? ` at ${s.cancellation.at}: ${s.cancellation.reason}` : '.'}`,
        facts: resultCount(s) > 0 ? [...outcomeFacts(s), ...failureFacts(s, label)] : failureFacts(s, label),
        steps: [],
        command: { intro: 'To start again', line: startCommand(s.appId) },
        users: openUserLists(s, label),
      };
    }
    case 'failed':
      return {
        ...base,
        subject: `Failed: remediation of ${label} stopped`,
        headline: `The remediation of ${appRef} stopped with an error${s.error ? `: ${s.error}` : '.'} Nothing more is retried until it is started again.`,
        facts: resultCount(s) > 0 ? [...outcomeFacts(s), ...failureFacts(s, label)] : failureFacts(s, label),
        steps: [
          `Read the error above: it names the setting or permission to fix (on the worker, or in Okta).`,
          `See everything the remediation did: ${statusCommand(s.appId)}`,
          `Fix it, then start again (people already handled are not pushed twice): ${startCommand(s.appId)}`,
        ],
        command: { intro: 'To start again', line: startCommand(s.appId) },
        users: openUserLists(s, label),
      };
    case 'service_unavailable': {
      const o = s.outage;
      return {
        ...base,
        subject: `Paused: ${o?.service ?? 'a service'} is unavailable, the remediation of ${label} waits`,
        headline: `${o?.service ?? 'A service'} has not been answering since ${o?.since ?? 'just now'} (${o?.reason ?? 'errors'}). The remediation of ${appRef} pauses and resumes by itself when it answers again; nobody is counted as failed for it.`,
        facts: resultCount(s) > 0 ? outcomeFacts(s) : failureFacts(s, label),
        steps: [`Nothing to do unless it lasts: check ${STATUS_PAGES[o?.service ?? ''] ?? "the service's status page"} and the worker's network.`],
        command: { intro: 'To follow it', line: statusCommand(s.appId) },
        users: openUserLists(s, label),
      };
    }
    case 'deprovision_approval_needed': {
      // The workflow marks the ones it holds for approval; before that, every open deprovision.
      const held = new Set(s.results.filter((r) => r.outcome === 'awaiting_approval' && r.kind === 'deprovision').map(userKey));
      const openDeprovisions = unresolved(s).deprovision;
      const open = held.size > 0 ? openDeprovisions.filter((u) => held.has(userKey(u))) : openDeprovisions;
      // A big app's status lists only some of them: the counts cover all.
      const count = !s.tally ? open.length : held.size > 0 ? countResults(s, 'deprovision').awaiting_approval : unresolved(s).deprovisionCount;
      return {
        ...base,
        subject: `Approval needed: finish ${plural(count, 'deprovision')} in ${label}`,
        headline: `Okta could not deprovision ${plural(count, 'person', 'people')} from ${appRef}, so they may still have access. The pipeline can remove them in ${label} directly, but policy asks for your approval first.`,
        facts: failureFacts(s, label),
        steps: [`Check that each person listed below should lose access to ${label}.`, `Approve removing them in ${label}: ${approveDeprovisionCommand(s.appId)}`],
        command: { intro: 'To approve', line: approveDeprovisionCommand(s.appId) },
        users: list(`Failed deprovisions: may still have access to ${label}`, open.map(userLine), count),
      };
    }
  }
}

function moreLine(l: UserList, fullReport: string): string[] {
  return l.more > 0 ? [`... and ${l.more} more (${fullReport})`] : [];
}

export function renderNotice(n: Notice): RenderedNotice {
  const c = noticeContent(n);
  return { subject: c.subject, text: contentText(c), markdown: contentMarkdown(c) };
}

function contentText(c: NoticeContent): string {
  const out = [c.headline];
  if (c.facts.length > 0) out.push('', 'What failed:', ...c.facts.map((f) => `  - ${f}`));
  if (c.cause) {
    out.push('', `Why (most likely): ${c.cause.title}`, ...c.cause.evidence.map((e) => `  - ${e}`));
    for (const other of c.otherCauses) out.push(`Also possible: ${other}`);
  }
  if (c.steps.length > 0) out.push('', 'What to do:', ...c.steps.map((step, i) => `  ${i + 1}. ${step}`));
  if (c.command) out.push('', `${c.command.intro}:`, `  ${c.command.line}`);
  for (const l of c.users) out.push('', `${l.title}:`, ...l.lines.map((line) => `  - ${line}`), ...moreLine(l, c.fullReport).map((m) => `  ${m}`));
  out.push('', c.footer);
  if (c.uiUrl) out.push(`Temporal Web UI: ${c.uiUrl}`);
  return out.join('\n');
}

function contentMarkdown(c: NoticeContent): string {
  const m = markdownEscape;
  const out = [`## ${m(c.subject)}`, '', m(c.headline)];
  if (c.facts.length > 0) out.push('', '### What failed', ...c.facts.map((f) => `- ${m(f)}`));
  if (c.cause) {
    out.push('', '### Why', `**Most likely:** ${m(c.cause.title)}`, ...c.cause.evidence.map((e) => `- ${m(e)}`));
    for (const other of c.otherCauses) out.push(`- _Also possible:_ ${m(other)}`);
  }
  if (c.steps.length > 0) out.push('', '### What to do', ...c.steps.map((step, i) => `${i + 1}. ${m(step, { keepUrls: true })}`));
  if (c.command) out.push('', `**${m(c.command.intro)}:**`, '', '```', c.command.line.replace(/`/g, "'"), '```');
  for (const l of c.users) out.push('', `### ${m(l.title)}`, ...l.lines.map((line) => `- ${m(line)}`), ...moreLine(l, c.fullReport).map((line) => m(line)));
  out.push('', `_${m(c.footer)}_`);
  if (c.uiUrl && /^https?:\/\//i.test(c.uiUrl)) out.push(`[Open in the Temporal Web UI](<${c.uiUrl.replace(/[<>\s]/g, encodeURIComponent)}>)`);
  return out.join('\n');
}

/**
 * What a machine receiver gets besides the rendered text: counts and the first users of each list,
 * never the whole status (a big app's status lists every person by name).
 */
export interface NoticeSummary {
  appId: string;
  appLabel: string;
  vendor?: Vendor;
  phase: Phase;
  phaseChangedAt: string;
  startedAt: string;
  finishedAt?: string;
  cause?: string;
  counts: { affected: number; succeeded: number; stillFailing: number; skipped: number; awaitingApproval: number; needsManualRetry: number; pending: number };
  users: UserList[];
}

export function noticeSummary(n: RemediationNotice): NoticeSummary {
  const c = noticeContent(n);
  const s = n.status;
  const r = countResults(s);
  return {
    appId: s.appId,
    appLabel: s.diagnosis?.app.label ?? `app ${s.appId}`,
    vendor: s.diagnosis?.app.vendor,
    phase: s.phase,
    phaseChangedAt: s.phaseChangedAt,
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
    cause: c.cause?.title,
    counts: {
      affected: affectedCount(s),
      succeeded: r.succeeded,
      stillFailing: r.still_failing,
      skipped: r.skipped,
      awaitingApproval: r.awaiting_approval,
      needsManualRetry: r.needs_manual_retry,
      pending: r.pending,
    },
    users: c.users,
  };
}

// Slack's documented limits for incoming-webhook messages.
export const SLACK_MAX_BLOCKS = 50;
export const SLACK_MAX_TEXT = 3000;
export const SLACK_MAX_HEADER = 150;

/** Slack mrkdwn treats &, < and > as control characters everywhere, code spans included. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cut an escaped mrkdwn text to Slack's limit, saying so; never split an &entity;. */
function fitSlack(text: string, note: string, max = SLACK_MAX_TEXT): string {
  if (text.length <= max) return text;
  const suffix = `\n_… truncated: ${note}_`;
  const cut = text.slice(0, Math.max(max - suffix.length, 0)).replace(/&[a-z]*$/, '');
  return cut + suffix;
}

function fitHeader(text: string): string {
  return text.length <= SLACK_MAX_HEADER ? text : `${text.slice(0, SLACK_MAX_HEADER - 1)}…`;
}

/** As many users as fit in one text field, then an honest "and N more". */
function slackList(l: UserList, fullReport: string): string {
  const e = slackEscape;
  const total = l.lines.length + l.more;
  const more = (n: number) => `_${e(`... and ${n} more (${fullReport})`)}_`;
  const out = [`*${e(l.title)}*`];
  let length = out[0]!.length;
  for (const line of l.lines.map((x) => `• ${e(x)}`)) {
    const left = total - (out.length - 1) - 1;
    if (length + 1 + line.length + (left > 0 ? 1 + more(left).length : 0) > SLACK_MAX_TEXT) break;
    out.push(line);
    length += 1 + line.length;
  }
  const left = total - (out.length - 1);
  if (left > 0) out.push(more(left));
  return out.join('\n');
}

/** `verbatim`: Slack shows the text as sent, without turning names and URLs in it into links or mentions. */
const mrkdwn = (text: string, note: string) => ({ type: 'mrkdwn', text: fitSlack(text, note), verbatim: true });
const mrkdwnSection = (text: string, note: string) => ({ type: 'section', text: mrkdwn(text, note) });

/** Block Kit for a Slack incoming webhook: header, what failed, why, steps, command, users, context. */
export function slackBlocks(n: Notice): object[] {
  const c = noticeContent(n);
  const e = slackEscape;
  const note = `run \`${e(c.fullReport)}\` for everything`;
  const blocks: object[] = [{ type: 'header', text: { type: 'plain_text', text: fitHeader(c.subject), emoji: true } }];
  blocks.push(mrkdwnSection([e(c.headline), ...c.facts.map((f) => `• ${e(f)}`)].join('\n'), note));
  if (c.cause) {
    const lines = [`*Why (most likely):* ${e(c.cause.title)}`, ...c.cause.evidence.map((ev) => `• ${e(ev)}`), ...c.otherCauses.map((o) => `_Also possible:_ ${e(o)}`)];
    blocks.push(mrkdwnSection(lines.join('\n'), note));
  }
  if (c.steps.length > 0) blocks.push(mrkdwnSection(['*What to do*', ...c.steps.map((step, i) => `${i + 1}. ${e(step)}`)].join('\n'), note));
  if (c.command) blocks.push(mrkdwnSection(`*${e(c.command.intro)}:*\n\`${e(c.command.line)}\``, note));
  for (const l of c.users) blocks.push(mrkdwnSection(slackList(l, c.fullReport), note));
  const line = (parts: ContextLine) => parts.map((p) => (typeof p === 'string' ? e(p) : `\`${e(p.code)}\``)).join('');
  const context: object[] = c.context.map((parts) => mrkdwn(line(parts), note));
  // Our own link, so not verbatim: Slack renders it as one.
  if (c.uiUrl) context.push({ type: 'mrkdwn', text: fitSlack(`<${e(c.uiUrl).replace(/\|/g, '%7C')}|Open in the Temporal Web UI>`, note) });
  const contextBlock = { type: 'context', elements: context };
  // The context block (app id and phase) always survives; content is cut from the end.
  return [...blocks.slice(0, SLACK_MAX_BLOCKS - 1), contextBlock];
}
