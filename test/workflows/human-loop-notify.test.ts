/**
 * The diagnosed notice through every kind of channel the worker runs, to real receivers on
 * loopback (an HTTP server for the webhook, smtp-server for email): it says what failed, why, the
 * steps and the command; a channel that fails is retried or recorded, and never holds up the others.
 */
import { startRemediation } from '../../client/remediations';
import { EMAIL_SUBJECT_PREFIX } from '../../activities/notifications/email';
import type { WebhookPayload } from '../../activities/notifications/webhook';
import type { RemediationStatus } from '../../domain/types';
import { DOCUSIGN_APP } from '../../sim/people';
import { seedDemo } from '../../sim/seed';
import { parseAppConfig } from '../../config/app-config';
import { startReceiver, type Receiver } from '../notifications/support';
import { eventually, startHarness, type Harness } from '../support/harness';
import { setEnv, startSmtp, type SmtpReceiver } from './human-loop.support';

const APP = DOCUSIGN_APP.id;

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

describe('notifications', () => {
  it('tells every channel what failed, why, what to do and the command; a failing channel is retried or recorded without holding up the others', async () => {
    hook = await startReceiver();
    hook.reply = { status: 429, headers: { 'retry-after': '3' }, body: 'slow down' }; // the first attempt is turned away
    smtp = await startSmtp();
    restoreEnv = setEnv({ HL_NOTIFY_OPS_HOOK: hook.url('/ops'), HL_NOTIFY_SMTP: smtp.url });
    delete process.env.HL_NOTIFY_UNSET_HOOK;
    const appConfig = parseAppConfig({
      channels: {
        ops: { type: 'webhook', urlEnv: 'HL_NOTIFY_OPS_HOOK' },
        mail: { type: 'email', smtpUrlEnv: 'HL_NOTIFY_SMTP', from: 'okta-remediation@example.com', to: ['it-admins@example.com'] },
        broken: { type: 'webhook', urlEnv: 'HL_NOTIFY_UNSET_HOOK' },
      },
      apps: { [APP]: { deprovisionPolicy: 'off', wait: { autoDetect: false }, notify: { primary: ['console', 'ops', 'mail', 'broken'] } } },
    });
    h = await startHarness({ deps: { appConfig } });
    seedDemo(h.sim);
    await startRemediation(h.client, h.taskQueue, { appId: APP });

    // Console and email delivered, the broken channel recorded, while the webhook waits for its retry.
    const early = await eventually(async () => {
      const s = await h!.status(APP);
      const n = s.notifications[0];
      return n && n.delivered.length === 2 && n.failed.length === 1 ? s : undefined;
    }, 'the other channels to settle');
    expect(early.notifications.map((n) => n.kind)).toEqual(['diagnosed']);
    const first = early.notifications[0]!;
    expect([...first.delivered].sort()).toEqual(['console', 'mail']);
    expect(first.failed).toEqual([{ channel: 'broken', error: expect.stringContaining('environment variable HL_NOTIFY_UNSET_HOOK is not set on the worker') }]);
    expect(hook.requests).toHaveLength(1);

    hook.reply = { status: 200, body: 'ok' };
    const settled: RemediationStatus = await eventually(
      async () => {
        const s = await h!.status(APP);
        return s.notifications[0]!.delivered.includes('ops') ? s : undefined;
      },
      'the webhook retry',
      20_000,
    );
    expect([...settled.notifications[0]!.delivered].sort()).toEqual(['console', 'mail', 'ops']);
    expect(hook.requests).toHaveLength(2);
    // Both attempts carry the same idempotency key, so a receiver can drop a duplicate.
    expect(hook.requests[1]!.headers['idempotency-key']).toBe(hook.requests[0]!.headers['idempotency-key']);

    // What the notice says: what failed, why (the diagnosis), every step, the command to run when done.
    const cause = settled.diagnosis!.causes[0]!;
    const payload = JSON.parse(hook.requests[1]!.body) as WebhookPayload;
    expect(payload).toMatchObject({ kind: 'diagnosed', appId: APP, subject: 'Action needed: provisioning to DocuSign is failing' });
    const text = payload.text;
    expect(text).toMatch(/What failed:\n {2}- 2 deprovisions failed: people removed in Okta may still have access to DocuSign\.\n {2}- 4 users could not be provisioned \(pushed\) to DocuSign\./);
    expect(text).toContain(`Why (most likely): ${cause.title}`);
    expect(cause.steps.length).toBeGreaterThan(1);
    cause.steps.forEach((step, i) => expect(text).toContain(`  ${i + 1}. ${step}`));
    expect(text).toContain(`When done, tell the pipeline:\n  npx okta-remediate reauth-done --app ${APP} --by <your email>`);

    // Email says the same words, to the configured recipients.
    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0]!;
    expect(mail.to).toEqual(['it-admins@example.com']);
    expect(mail.headers.subject).toBe(`${EMAIL_SUBJECT_PREFIX} Action needed: provisioning to DocuSign is failing`);
    expect(mail.text.replace(/\r\n/g, '\n')).toBe(text);
    // And the console too.
    expect(h.notices.filter((l) => l.startsWith('[okta-remediation] Action needed'))).toEqual([`[okta-remediation] ${payload.subject}\n${text}`]);
  });

  it('a notice every primary channel refuses goes to the escalation channels instead', async () => {
    hook = await startReceiver();
    hook.reply = { status: 404, body: 'no such hook' }; // the Slack or Teams hook was removed: refused for good
    restoreEnv = setEnv({ HL_NOTIFY_GONE_HOOK: hook.url('/gone') });
    const appConfig = parseAppConfig({
      channels: { gone: { type: 'webhook', urlEnv: 'HL_NOTIFY_GONE_HOOK' } },
      apps: { [APP]: { deprovisionPolicy: 'off', wait: { autoDetect: false }, notify: { primary: ['gone'], escalation: ['console'] } } },
    });
    h = await startHarness({ deps: { appConfig } });
    seedDemo(h.sim);
    await startRemediation(h.client, h.taskQueue, { appId: APP });

    const diagnosed = await eventually(async () => {
      const n = (await h!.status(APP)).notifications.find((x) => x.kind === 'diagnosed');
      return n && n.delivered.length > 0 ? n : undefined;
    }, 'the diagnosed notice to reach someone');
    expect(diagnosed).toMatchObject({ delivered: ['console'], fallback: ['console'], failed: [{ channel: 'gone', error: expect.stringContaining('HTTP 404') }] });
    expect(h.notices.some((line) => line.includes('Action needed: provisioning to DocuSign is failing'))).toBe(true);
  });

  it('a remediation that fails says so on its channels', async () => {
    h = await startHarness();
    const unknown = '0oaNOSUCHAPP000000000';
    await expect(startRemediation(h.client, h.taskQueue, { appId: unknown }).then(({ handle }) => handle.result())).rejects.toThrow();
    const failed = await eventually(() => h!.notices.find((line) => line.includes(`Failed: remediation of app ${unknown} stopped`)), 'the failed notice');
    expect(failed).toContain(`Okta has no app with id ${unknown}`);
    expect(failed).toContain(`npx okta-remediate start --app ${unknown}`);
  });
});
