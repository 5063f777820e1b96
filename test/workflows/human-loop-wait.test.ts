/**
 * The wait for an admin's re-auth on the real dev server, with durations configured short:
 * reminders on the policy's cadence, escalation to a second list after N reminders, the deadline's
 * `timed_out` outcome, and snooze. Counts and order are asserted, never wall-clock timings: the
 * cadence is read from the timers the workflow started (their configured durations).
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { startRemediation } from '../../client/remediations';
import { EMAIL_SUBJECT_PREFIX } from '../../activities/notifications/email';
import { countResults } from '../../domain/report';
import type { RemediationStatus } from '../../domain/types';
import { DOCUSIGN_APP } from '../../sim/people';
import { seedDemo } from '../../sim/seed';
import { parseAppConfig } from '../../config/app-config';
import type { WebhookPayload } from '../../activities/notifications/webhook';
import { remediationWorkflowId, snoozeUpdate } from '../../domain/messages';
import { startReceiver, type Receiver } from '../notifications/support';
import { eventually, startHarness, type Harness } from '../support/harness';
import { historyOf, messagesOf, setEnv, startSmtp, timersOf, type SmtpReceiver } from './human-loop.support';

const APP = DOCUSIGN_APP.id;
const REMIND_MS = 500;
const ESCALATE_AFTER = 2;

let h: Harness | undefined;
let hook: Receiver | undefined;
let smtp: SmtpReceiver | undefined;
let restoreEnv: (() => void) | undefined;
afterEach(async () => {
  await h?.close();
  await hook?.close();
  await smtp?.close();
  restoreEnv?.();
  h = hook = smtp = restoreEnv = undefined;
});

const kinds = (s: RemediationStatus) => s.notifications.map((n) => n.kind);

describe('waiting for the re-auth', () => {
  it('reminds on the configured cadence, escalates to the second list after N reminders, and gives up at the deadline with a full report', async () => {
    hook = await startReceiver();
    smtp = await startSmtp();
    restoreEnv = setEnv({ HL_WAIT_OPS_HOOK: hook.url('/ops'), HL_WAIT_SMTP: smtp.url });
    const appConfig = parseAppConfig({
      channels: {
        ops: { type: 'webhook', urlEnv: 'HL_WAIT_OPS_HOOK' },
        oncall: { type: 'email', smtpUrlEnv: 'HL_WAIT_SMTP', from: 'okta-remediation@example.com', to: ['oncall@example.com'] },
      },
      apps: {
        [APP]: {
          wait: { remindEvery: `${REMIND_MS}ms`, escalateAfterReminders: ESCALATE_AFTER, giveUpAfter: '6s', autoDetect: false },
          notify: { primary: ['console', 'ops'], escalation: ['oncall'] },
        },
      },
    });
    h = await startHarness({ deps: { appConfig } });
    const { docusign } = seedDemo(h.sim);
    await startRemediation(h.client, h.taskQueue, { appId: APP });
    const handle = h.client.workflow.getHandle(remediationWorkflowId(APP));

    // Giving up is an outcome, not an error: the workflow completes with its report.
    const report: RemediationStatus = await handle.result();
    expect((await handle.describe()).status.name).toBe('COMPLETED');
    expect(report.phase).toBe('timed_out');
    expect(report.finishedAt).toBeDefined();

    // Cadence: every wait but the last lasts exactly remindEvery; the last ends at the deadline.
    const timers = timersOf(await historyOf(handle));
    expect(timers.every((t) => t.fired)).toBe(true);
    const reminderTimers = timers.slice(0, -1);
    expect(reminderTimers.map((t) => t.ms)).toEqual(reminderTimers.map(() => REMIND_MS));
    expect(timers.at(-1)!.ms).toBeGreaterThan(0);
    expect(timers.at(-1)!.ms).toBeLessThanOrEqual(REMIND_MS);

    // One reminder per reminder timer, the first N plain, the rest escalated.
    const sent = report.wait!.reminders;
    expect(sent).toBe(reminderTimers.length);
    // The dev server fires sub-second timers up to ~1 s late, and each reminder is timed from the
    // last: 6 s leaves room for more than N whatever the lag.
    expect(sent).toBeGreaterThan(ESCALATE_AFTER);
    const escalations = sent - ESCALATE_AFTER;
    expect(kinds(report)).toEqual(['diagnosed', 'deprovision_approval_needed', ...Array<string>(ESCALATE_AFTER).fill('reminder'), ...Array<string>(escalations).fill('escalation'), 'timed_out']);
    const firstEscalation = report.notifications.find((n) => n.kind === 'escalation')!;
    expect(report.wait!.escalatedAt).toBe(firstEscalation.at);

    // Reminders go to the primary list; escalations to the escalation list as well.
    for (const n of report.notifications) {
      expect(n.failed).toEqual([]);
      expect([...n.delivered].sort()).toEqual(n.kind === 'escalation' ? ['console', 'oncall', 'ops'] : ['console', 'ops']);
    }
    const payloads = hook.requests.map((r) => JSON.parse(r.body) as WebhookPayload);
    expect(
      payloads
        .filter((p) => p.kind === 'reminder')
        .map((p) => p.reminderNumber)
        .sort(),
    ).toEqual([1, 2]);
    const escalationNumbers = payloads
      .filter((p) => p.kind === 'escalation')
      .map((p) => p.reminderNumber!)
      .sort((a, b) => a - b);
    expect(escalationNumbers).toHaveLength(escalations);
    expect(escalationNumbers.every((n, i) => i === 0 || n === escalationNumbers[i - 1]! + 1)).toBe(true);
    expect(h.notices.filter((l) => l.startsWith('[okta-remediation] Reminder'))).toHaveLength(ESCALATE_AFTER);

    // The escalation list got exactly the escalations, each saying what to do and the command to run.
    expect(smtp.messages).toHaveLength(escalations);
    for (const m of smtp.messages) {
      expect(m.to).toEqual(['oncall@example.com']);
      expect(m.headers.subject).toMatch(new RegExp(`^\\${EMAIL_SUBJECT_PREFIX} Escalated: DocuSign not re-authenticated after \\d+ reminders$`));
      expect(m.text).toContain('What to do:');
      expect(m.text).toContain(`npx okta-remediate reauth-done --app ${APP} --by <your email>`);
    }

    // The deadline's report is complete: every affected user is accounted for, the wait recorded.
    expect(report.affected.map((u) => u.userId).sort()).toEqual([...docusign.pushFailed, ...docusign.deprovisionFailed].sort());
    const counts = countResults(report);
    expect(counts.pending).toBe(docusign.pushFailed.length);
    expect(counts.awaiting_approval).toBe(docusign.deprovisionFailed.length);
    expect(Date.parse(report.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(report.wait!.deadline));
    const timedOut = payloads.find((p) => p.kind === 'timed_out')!;
    expect(timedOut.subject).toBe('Gave up waiting: DocuSign was not re-authenticated in Okta');
    expect(timedOut.text).toContain(`npx okta-remediate start --app ${APP}`);
  });

  it('snooze postpones reminders (exactly by the snooze), then the cadence resumes; a bad snooze is refused', async () => {
    const appConfig = parseAppConfig({ apps: { [APP]: { wait: { remindEvery: `${REMIND_MS}ms`, escalateAfterReminders: 100, giveUpAfter: '2h', autoDetect: false } } } });
    h = await startHarness({ deps: { appConfig } });
    seedDemo(h.sim);
    await startRemediation(h.client, h.taskQueue, { appId: APP });
    const handle = h.client.workflow.getHandle(remediationWorkflowId(APP));
    await eventually(async () => ((await h!.status(APP)).wait?.reminders ?? 0) >= 1, 'the first reminder');

    const refused = await handle.executeUpdate(snoozeUpdate, { args: [{ forMs: 0 }] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refused as WorkflowUpdateFailedError).cause?.message).toBe('Refused: "forMs" must be positive.');

    const HOUR = 3_600_000;
    const until = await handle.executeUpdate(snoozeUpdate, { args: [{ forMs: HOUR, by: 'ops@example.com' }] });
    const snoozed = await h.status(APP);
    expect(snoozed.wait).toMatchObject({ snoozedUntil: until, snoozedBy: 'ops@example.com' });
    const remindersAtSnooze = snoozed.wait!.reminders;

    // The wait after the snooze is a timer of exactly one hour, and it has not fired.
    const afterSnooze = await eventually(async () => {
      const events = await historyOf(handle);
      const snoozeDone = messagesOf(events).updatesCompleted.at(-1)!;
      const later = timersOf(events).filter((t) => t.startedAt > snoozeDone);
      return later.length > 0 ? later : undefined;
    }, 'the wait after the snooze');
    expect(afterSnooze.map((t) => [t.ms, t.fired])).toEqual([[HOUR, false]]);

    // A short snooze replaces the long one: reminders resume after exactly it, then at the cadence.
    await handle.executeUpdate(snoozeUpdate, { args: [{ forMs: 1000, by: 'ops@example.com' }] });
    const resumed = await eventually(async () => {
      const s = await h!.status(APP);
      return s.wait!.reminders >= remindersAtSnooze + 2 ? s : undefined;
    }, 'reminders to resume');
    expect(kinds(resumed).filter((k) => k === 'reminder')).toHaveLength(resumed.wait!.reminders);
    const events = await historyOf(handle);
    const lastSnooze = messagesOf(events).updatesCompleted.at(-1)!;
    const waits = timersOf(events).filter((t) => t.startedAt > lastSnooze);
    expect(waits[0]).toMatchObject({ ms: 1000, fired: true });
    expect(
      waits
        .slice(1)
        .filter((t) => t.fired)
        .map((t) => t.ms),
    ).toEqual(
      waits
        .slice(1)
        .filter((t) => t.fired)
        .map(() => REMIND_MS),
    );
    // The long timer was cancelled, not fired: no reminder came during the hour-long snooze.
    expect(
      timersOf(events)
        .filter((t) => t.ms === HOUR)
        .map((t) => t.fired),
    ).toEqual([false]);
  });
});
