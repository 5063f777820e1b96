/** The words of a notice (a remediation's, or the scanner's): what failed, why, what to do, the command; and Slack's Block Kit shape. */
import { reauthCommand } from '../../domain/diagnosis';
import { markdownEscape } from '../../domain/markdown';
import { noticeHtml } from '../../activities/notifications/email-html';
import { noticeContent, renderNotice, slackBlocks, SLACK_MAX_BLOCKS, SLACK_MAX_HEADER, SLACK_MAX_TEXT } from '../../domain/notice';
import { MAX_SCAN_ERROR, SCAN_NOW_COMMAND, scanNoticeSummary, type ScanNotice } from '../../domain/scan-notice';
import type { AffectedUser } from '../../domain/types';
import { APP_ID, diagnosis, notice, topCause, UI_URL } from './fixture';

type Block = { type: string; text?: { type: string; text: string }; elements?: { type: string; text: string }[] };
const texts = (blocks: object[]) => (blocks as Block[]).flatMap((b) => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => e.text)]);

describe('renderNotice', () => {
  it('says what failed, why, the numbered steps and the command to run when done', () => {
    const { subject, text, markdown } = renderNotice(notice('diagnosed'));
    expect(subject).toBe('Action needed: provisioning to DocuSign is failing');
    expect(text).toContain(`Okta cannot provision DocuSign (app ${APP_ID})`);
    // What failed, with push and deprovision counted apart (deprovisions are the exposure).
    expect(text).toContain('1 deprovision failed: a person removed in Okta may still have access to DocuSign.');
    expect(text).toContain('2 users could not be provisioned (pushed) to DocuSign.');
    expect(text).toContain('Failing since 2026-11-03T09:12:00.000Z.');
    // Why: the top cause (a DocuSign finding) with its evidence; the others named.
    expect(topCause.id).toBe('docusign-account-id-mismatch');
    expect(text).toContain(`Why (most likely): ${topCause.title}`);
    for (const e of topCause.evidence) expect(text).toContain(`  - ${e}`);
    expect(text).toContain('The credentials used to connect to the API were invalid; please check your configuration');
    expect(text).toContain(`Also possible: ${diagnosis.causes[1]!.title}`);
    // What to do: the cause's steps, numbered, filled with this app's values.
    expect(topCause.steps.length).toBeGreaterThanOrEqual(3);
    expect(text).toContain(['What to do:', ...topCause.steps.map((step, i) => `  ${i + 1}. ${step}`)].join('\n'));
    expect(text).toContain(`https://acme-admin.okta.com/admin/app/docusign/instance/${APP_ID}/`);
    expect(text).toContain(`When done, tell the pipeline:\n  ${reauthCommand(APP_ID)}`);
    expect(text).toContain('Failed deprovisions: may still have access to DocuSign:\n  - bob@acme.com (Bob Ng), failed 2026-11-03T09:12:00.000Z');
    expect(text).toContain(`Temporal Web UI: ${UI_URL}`);
    expect(markdown).toContain(`### What to do\n1. ${markdownEscape(topCause.steps[0]!, { keepUrls: true })}`);
    expect(markdown).toContain(`\`\`\`\n${reauthCommand(APP_ID)}\n\`\`\``);
  });

  it('shows names and messages from Okta and the vendors as written: no link, image or HTML in Markdown or Slack', () => {
    const evil = '[Reset your password](https://evil.example/login) ![x](https://evil.example/pixel.png) <img src=x onerror=alert(1)> https://evil.example/bare';
    const affected: AffectedUser[] = [{ userId: '00u9', login: 'eve@acme.com', displayName: evil, kind: 'push', failedAt: '2026-11-04T10:00:00.000Z', reason: evil }];
    const n = notice('diagnosed', { affected });
    const { markdown } = renderNotice(n);
    expect(markdown).toContain('eve@acme.com');
    expect(markdown).not.toMatch(/\]\(https?:/); // no [text](url) link or image
    expect(markdown).not.toMatch(/<img/);
    expect(markdown).not.toMatch(/(^|[^\\])https:\/\/evil/m); // no bare URL for an autolink
    expect(markdown).toContain('\\[Reset your password\\]');
    // Slack: mrkdwn sent verbatim (no auto-linking), with <, > and & escaped.
    const sections = (slackBlocks(n) as Array<{ type: string; text?: { type: string; verbatim?: boolean; text: string } }>).filter((b) => b.type === 'section');
    for (const b of sections) expect(b.text).toMatchObject({ type: 'mrkdwn', verbatim: true });
    expect(JSON.stringify(sections)).not.toContain('<img');
  });

  it('a reminder and an escalation say how long it has been waiting, and after how many reminders', () => {
    const reminder = renderNotice(notice('reminder', {}, { reminderNumber: 2 }));
    expect(reminder.subject).toBe('Reminder 2: DocuSign still needs re-authentication in Okta');
    expect(reminder.text).toContain('since 2026-11-08T08:00:05.000Z');
    const escalation = renderNotice(notice('escalation', {}, { reminderNumber: 3 }));
    expect(escalation.subject).toBe('Escalated: DocuSign not re-authenticated after 3 reminders');
    expect(escalation.text).toContain('after 3 reminders. It has been waiting since 2026-11-08T08:00:05.000Z (remediation started 2026-11-08T08:00:00.000Z)');
    expect(escalation.text).toContain(reauthCommand(APP_ID));
  });

  it('a failed verification says whose re-auth did not work and why', () => {
    const { subject, text } = renderNotice(
      notice('verification_failed', {
        reauthClaims: [{ by: 'ann@acme.com', at: '2026-11-08T09:00:00.000Z', via: 'update', verified: false, verdict: 'Canary cara@acme.com still fails: credentials invalid' }],
      }),
    );
    expect(subject).toBe('Re-authentication of DocuSign did not work');
    expect(text).toContain('reported by ann@acme.com at 2026-11-08T09:00:00.000Z did not work: Canary cara@acme.com still fails');
    expect(text).toContain('What to do:\n  1.');
  });

  it('completed: outcome counts, and who still fails', () => {
    const at = '2026-11-08T10:00:00.000Z';
    const { subject, text } = renderNotice(
      notice('completed', {
        phase: 'completed',
        finishedAt: at,
        results: [
          { userId: '00u1bob', login: 'bob@acme.com', kind: 'deprovision', outcome: 'succeeded', detail: 'deactivated', at },
          { userId: '00u1cara', login: 'cara@acme.com', kind: 'push', outcome: 'succeeded', detail: 'SYNCHRONIZED', at },
          { userId: '00u1dan', login: 'dan@acme.com', kind: 'push', outcome: 'still_failing', detail: 'User not found in DocuSign', at },
        ],
      }),
    );
    expect(subject).toBe('Follow-up needed: DocuSign remediation finished with 1 user not repaired');
    expect(text).toContain('Outcome: 2 succeeded, 1 still failing, 0 skipped, 0 pending (of 3).');
    expect(text).toContain('Pushes: 1 of 2 succeeded.');
    expect(text).toContain('Deprovisions: 1 of 1 succeeded.');
    expect(text).toContain('Still failing:\n  - dan@acme.com (push): User not found in DocuSign');
    expect(text).toContain(`npx okta-remediate status --app ${APP_ID}`);
  });

  it('timed out: the steps end by starting a new remediation, not by signalling one that is over', () => {
    const { text } = renderNotice(notice('timed_out', { phase: 'failed', error: 'No re-authentication within 14 days.' }));
    expect(text).toContain('stopped waiting for re-authentication');
    expect(text).toContain('No re-authentication within 14 days.');
    expect(text).not.toContain('reauth-done');
    expect(text).toContain(`${topCause.steps.length}. Save, then start a new remediation: npx okta-remediate start --app ${APP_ID}`);
  });

  it('cancelled and deprovision approval', () => {
    const cancelled = renderNotice(notice('cancelled', { phase: 'cancelled', cancellation: { reason: 'App retired', by: 'ann@acme.com', at: '2026-11-08T09:30:00.000Z' } }));
    expect(cancelled.text).toContain('was cancelled by ann@acme.com at 2026-11-08T09:30:00.000Z: App retired');
    const approval = renderNotice(notice('deprovision_approval_needed'));
    expect(approval.subject).toBe('Approval needed: finish 1 deprovision in DocuSign');
    expect(approval.text).toContain('bob@acme.com (Bob Ng)');
    expect(approval.text).not.toContain('cara@acme.com');
  });

  it('works before the diagnosis is known', () => {
    const { subject, text } = renderNotice(notice('cancelled', { diagnosis: undefined, affected: [], phase: 'cancelled' }));
    expect(subject).toBe(`Cancelled: remediation of app ${APP_ID}`);
    expect(text).toContain(`The remediation of app ${APP_ID} was cancelled by an operator.`);
  });
});

describe('slackBlocks', () => {
  it('header, what failed, cause, numbered steps, the command in a code span, context with app id and phase', () => {
    const blocks = slackBlocks(notice('diagnosed')) as Block[];
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Action needed: provisioning to DocuSign is failing', emoji: true } });
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'section', 'section', 'section', 'section', 'context']);
    for (const b of blocks.filter((x) => x.type === 'section')) expect(b.text?.type).toBe('mrkdwn');
    const [, failed, why, steps, command] = blocks;
    expect(failed!.text!.text).toContain('• 1 deprovision failed');
    expect(why!.text!.text).toBe([`*Why (most likely):* ${topCause.title}`, ...topCause.evidence.map((e) => `• ${e}`), `_Also possible:_ ${diagnosis.causes[1]!.title}`].join('\n'));
    expect(steps!.text!.text).toBe(['*What to do*', ...topCause.steps.map((step, i) => `${i + 1}. ${step.replace(/>/g, '&gt;').replace(/</g, '&lt;')}`)].join('\n'));
    expect(steps!.text!.text).toContain('Settings &gt; Apps and Keys');
    // Slack reads <...> as a link: the placeholder in the command must be escaped.
    expect(command!.text!.text).toBe(`*When done, tell the pipeline:*\n\`npx okta-remediate reauth-done --app ${APP_ID} --by &lt;your email&gt;\``);
    const context = blocks.at(-1)!;
    expect(context.elements!.map((e) => e.text)).toEqual([
      `App \`${APP_ID}\` · DocuSign (docusign)`,
      'Phase: `awaiting_reauth` (Waiting for an admin to re-authenticate the app in Okta) since 2026-11-08T08:00:05.000Z',
      `<${UI_URL}|Open in the Temporal Web UI>`,
    ]);
    expect(texts(blocks).join('\n')).not.toMatch(/<your email>/);
  });

  it('stays within Slack limits, truncating with a note and keeping the context block', () => {
    const many: AffectedUser[] = Array.from({ length: 500 }, (_, i) => ({
      userId: `00u${i}`,
      login: `user${i}-${'x'.repeat(150)}@acme.com`,
      displayName: `User ${i}`,
      kind: i % 2 ? 'push' : 'deprovision',
      failedAt: '2026-11-04T10:00:00.000Z',
      reason: 'credentials invalid',
    }));
    const longEvidence = Array.from({ length: 100 }, (_, i) => `Evidence line ${i} with <angle> & "quotes" ${'y'.repeat(60)}`);
    const base = notice('diagnosed');
    const cause = { ...base.status.diagnosis!.causes[0]!, title: 'T'.repeat(400), evidence: longEvidence };
    const n = notice('diagnosed', { affected: many, diagnosis: { ...base.status.diagnosis!, app: { ...base.status.diagnosis!.app, label: 'L'.repeat(200) }, causes: [cause] } });
    const blocks = slackBlocks(n) as Block[];
    expect(blocks.length).toBeLessThanOrEqual(SLACK_MAX_BLOCKS);
    expect(blocks[0]!.text!.text.length).toBeLessThanOrEqual(SLACK_MAX_HEADER);
    for (const t of texts(blocks)) expect(t.length).toBeLessThanOrEqual(SLACK_MAX_TEXT);
    const why = blocks.find((b) => b.text?.text.startsWith('*Why'))!;
    expect(why.text!.text).toMatch(/_… truncated: run `npx okta-remediate status --app \S+` for everything_$/);
    expect(why.text!.text).not.toMatch(/&[a-z]*\n_… truncated/); // no entity cut in half
    expect(blocks.at(-1)!.type).toBe('context');
    // Lists keep whole lines and count the rest honestly.
    const deprovisions = blocks.find((b) => b.text?.text.startsWith('*Failed deprovisions'))!.text!.text;
    const shown = deprovisions.split('\n').filter((line) => line.startsWith('• ')).length;
    expect(shown).toBeGreaterThan(5);
    expect(deprovisions).toMatch(new RegExp(`_\\.\\.\\. and ${250 - shown} more \\(npx okta-remediate status --app ${APP_ID}\\)_$`));
  });
});

describe('scanner notices', () => {
  const SECRET = '00aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcdef';
  const failing: ScanNotice = {
    kind: 'scan_failed',
    workflowId: 'tq-scan-2026-12-04T10:00:00Z',
    failedScans: 4,
    failingSince: '2026-12-04T09:45:00.000Z',
    error: `reading the System Log: Okta answered HTTP 401 E0000011 Invalid token provided <img src=x> [x](https://evil.example) with header SSWS ${SECRET} ${'y'.repeat(2000)}`,
    lastReadAt: '2026-12-04T09:40:00.000Z',
    at: '2026-12-04T10:00:00.000Z',
  };

  it('say the scanner is blind since when and why, in every medium, escaped, bounded and without the credential', () => {
    const { subject, text, markdown } = renderNotice(failing);
    expect(subject).toBe('Scanner failing: the Okta System Log scan failed (4 scans in a row)');
    expect(text).toContain('4 scans of the Okta System Log failed in a row since 2026-12-04T09:45:00.000Z');
    expect(text).toContain('Nothing is skipped: the first scan that works reads on from where the last good one stopped.');
    expect(text).toContain('Last successful read: 2026-12-04T09:40:00.000Z.');
    expect(text).toContain('Okta answered HTTP 401 E0000011 Invalid token provided');
    expect(text).toContain(`After the fix, scan now:\n  ${SCAN_NOW_COMMAND}`);
    expect(text.length).toBeLessThan(MAX_SCAN_ERROR + 1500);
    expect(markdown).not.toMatch(/\]\(https?:|<img/);
    const html = noticeHtml(noticeContent(failing));
    expect(html).not.toContain('<img');
    const blocks = slackBlocks(failing) as Block[];
    expect(blocks.at(-1)!.elements!.map((e) => e.text)).toEqual(['Scanner `tq-scan-2026-12-04T10:00:00Z`', '4 scans failed in a row since 2026-12-04T09:45:00.000Z']);
    expect(JSON.stringify(blocks)).not.toContain('<img');
    for (const out of [text, markdown, html, JSON.stringify(blocks), JSON.stringify(scanNoticeSummary(failing))]) expect(out).not.toContain(SECRET);
  });

  it('say once that scans work again', () => {
    const { subject, text } = renderNotice({ ...failing, kind: 'scan_recovered', error: undefined, at: '2026-12-04T11:00:00.000Z' });
    expect(subject).toBe('Recovered: the Okta System Log scanner reads the log again');
    expect(text).toContain('The scan at 2026-12-04T11:00:00.000Z read the System Log after 4 scans failed in a row since 2026-12-04T09:45:00.000Z. Nothing was skipped');
  });
});
