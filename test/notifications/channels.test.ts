/** Choosing the channel, the console channel, and channels failing independently. */
import { networkInterfaces } from 'node:os';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { createNotificationActivities, NON_RETRYABLE_NOTIFICATION_ERRORS } from '../../activities/notifications';
import { renderNotice } from '../../domain/notice';
import type { ChannelConfig } from '../../config/app-config';
import { APP_ID, notice } from './fixture';
import { deliver, everythingSaid, failureOf, startReceiver } from './support';

describe('notification channels', () => {
  it('the console channel writes the whole notice to its sink', async () => {
    const lines: string[] = [];
    const n = notice('reminder', {}, { reminderNumber: 1 });
    const result = await deliver({ channels: { console: { type: 'console' } }, log: (l) => lines.push(l) }, { channel: 'console', notice: n });
    const { subject, text } = renderNotice(n);
    expect(lines).toEqual([`[okta-remediation] ${subject}\n${text}`]);
    expect(lines[0]).toContain('Reminder 1: DocuSign still needs re-authentication in Okta');
    expect(lines[0]).toContain(`npx okta-remediate reauth-done --app ${APP_ID} --by <your email>`);
    expect(result).toEqual({ channel: 'console', deliveredAt: expect.any(String), detail: `logged "${subject}" on the worker's console` });
  });

  it('an unknown channel is non-retryable and says where channels are defined', async () => {
    const err = await failureOf(deliver({ channels: { console: { type: 'console' } } }, { channel: 'pager', notice: notice() }));
    expect(err).toMatchObject({ type: 'NotificationChannelUnknown', nonRetryable: true });
    expect(err.message).toBe(
      'Unknown notification channel "pager" (known: console): define it under "channels" in the file named by OKTA_REMEDIATION_CONFIG, or remove it from the app\'s "notify" lists.',
    );
    expect(NON_RETRYABLE_NOTIFICATION_ERRORS).toContain(err.type);
    // Inherited object keys are not channels.
    expect(await failureOf(deliver({ channels: {} }, { channel: 'toString', notice: notice() }))).toMatchObject({ type: 'NotificationChannelUnknown' });
  });

  it('one delivery per channel: a failing channel does not keep the others from delivering', async () => {
    const good = await startReceiver();
    const bad = await startReceiver();
    bad.reply = { status: 503 };
    const lines: string[] = [];
    const channels: Record<string, ChannelConfig> = {
      console: { type: 'console' },
      ops: { type: 'webhook', urlEnv: 'OPS_URL' },
      team: { type: 'slack', webhookUrlEnv: 'SLACK_URL' },
      mail: { type: 'email', smtpUrlEnv: 'MAIL_URL', from: 'a@acme.com', to: ['b@acme.com'] },
    };
    const env = { OPS_URL: good.url('/hook/secret-a1'), SLACK_URL: bad.url('/services/T1/B1/secret-b2') };
    try {
      const results = await Promise.allSettled(Object.keys(channels).map((channel) => deliver({ channels, env, log: (l) => lines.push(l) }, { channel, notice: notice() })));
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected']);
      expect(lines).toHaveLength(1);
      expect(good.requests).toHaveLength(1);
      const [, , slack, mail] = results as PromiseRejectedResult[];
      expect(slack!.reason).toMatchObject({ type: 'NotificationUnavailable', nonRetryable: false });
      expect(mail!.reason).toMatchObject({ type: 'NotificationSettingInvalid', nonRetryable: true });
      expect(everythingSaid(slack!.reason)).not.toContain('secret-b2');
    } finally {
      await good.close();
      await bad.close();
    }
  });

  it('works outside an activity too (e.g. a script), without cancellation or activity ids', async () => {
    const lines: string[] = [];
    const { deliverNotice } = createNotificationActivities({ channels: { console: { type: 'console' } }, log: (l) => lines.push(l) });
    await expect(deliverNotice({ channel: 'console', notice: notice('completed', { phase: 'completed' }) })).resolves.toMatchObject({ channel: 'console' });
    expect(lines).toHaveLength(1);
  });

  // Needs an address of this machine that is not loopback; skipped where there is none.
  const lanAddress = Object.values(networkInterfaces())
    .flat()
    .find((a) => a?.family === 'IPv4' && !a.internal)?.address;
  (lanAddress ? it : it.skip)('an SMTP password is never sent in clear off loopback: STARTTLS is required', async () => {
    let authAttempts = 0;
    const server = new SMTPServer({
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth(_auth, _session, callback) {
        authAttempts++;
        callback(null, { user: 'x' });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, lanAddress, resolve));
    const { port } = server.server.address() as AddressInfo;
    try {
      const err = await failureOf(
        deliver(
          { channels: { mail: { type: 'email', smtpUrlEnv: 'MAIL_URL', from: 'a@acme.com', to: ['b@acme.com'] } }, env: { MAIL_URL: `smtp://notifier:clear-text-secret@${lanAddress}:${port}` } },
          { channel: 'mail', notice: notice() },
        ),
      );
      expect(err).toMatchObject({ type: 'NotificationRejected', nonRetryable: true });
      expect(err.message).toContain('TLS failed');
      expect(authAttempts).toBe(0);
      expect(everythingSaid(err)).not.toContain('clear-text-secret');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
