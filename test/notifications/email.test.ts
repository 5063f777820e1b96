/** Email through nodemailer to a real SMTP server (smtp-server) on loopback. */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { EMAIL_SUBJECT_PREFIX } from '../../activities/notifications/email';
import { renderNotice } from '../../domain/notice';
import { APP_ID, notice, topCause } from './fixture';
import { parseMail } from './mime';
import { closedPort, deliver, everythingSaid, failureOf } from './support';

const PASSWORD = 'smtp-Pa55word!secret';
const channels = { mail: { type: 'email' as const, smtpUrlEnv: 'SMTP_URL', from: 'okta-remediation@acme.com', to: ['it-admins@acme.com', 'secops@acme.com'] } };

interface Delivered {
  from?: string;
  to: string[];
  raw: string;
  user?: string;
}

async function startSmtp(options: Partial<SMTPServerOptions> = {}, host = '127.0.0.1') {
  const messages: Delivered[] = [];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true, // loopback test server without TLS
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.password === PASSWORD) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom;
        messages.push({
          from: from ? from.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          user: typeof session.user === 'string' ? session.user : undefined,
        });
        callback();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.server.address() as AddressInfo;
  return { server, port, messages, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('email channel', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>> | undefined;
  afterEach(async () => {
    await smtp?.close();
    smtp = undefined;
  });

  it('never sends mail in clear to a host off loopback, even without a password: STARTTLS is required', async () => {
    // 127.0.0.2 is on this machine but not the loopback name the channel trusts: it stands for a
    // mail relay elsewhere that offers no STARTTLS.
    smtp = await startSmtp({}, '127.0.0.2');
    const err = await failureOf(deliver({ channels, env: { SMTP_URL: `smtp://127.0.0.2:${smtp.port}` } }, { channel: 'mail', notice: notice() }));
    expect(err.message).toMatch(/TLS/);
    expect(smtp.messages).toHaveLength(0);
  });

  it('sends subject, text and HTML to every recipient, logging in with the URL credentials', async () => {
    smtp = await startSmtp();
    const n = notice('diagnosed');
    const env = { SMTP_URL: `smtp://notifier:${encodeURIComponent(PASSWORD)}@127.0.0.1:${smtp.port}` };
    const result = await deliver({ channels, env }, { channel: 'mail', notice: n });
    expect(result.detail).toBe(`sent to it-admins@acme.com, secops@acme.com via smtp://127.0.0.1:${smtp.port}`);
    expect(everythingSaid(result)).not.toContain(PASSWORD);

    expect(smtp.messages).toHaveLength(1);
    const m = smtp.messages[0]!;
    expect(m.user).toBe('notifier');
    expect(m.from).toBe('okta-remediation@acme.com');
    expect(m.to).toEqual(['it-admins@acme.com', 'secops@acme.com']);
    const mail = parseMail(m.raw);
    const rendered = renderNotice(n);
    expect(mail.headers.subject).toBe(`${EMAIL_SUBJECT_PREFIX} ${rendered.subject}`);
    expect(mail.headers.to).toBe('it-admins@acme.com, secops@acme.com');
    expect(mail.headers['x-okta-remediation-app']).toBe(APP_ID);
    expect(mail.headers['message-id']).toBe('<test.00000000-0000-0000-0000-000000000000.test@acme.com>');
    expect(mail.text.replace(/\r\n/g, '\n')).toBe(rendered.text);
    expect(mail.text).toContain(`npx okta-remediate reauth-done --app ${APP_ID} --by <your email>`);
    expect(mail.html).toContain(`<ol><li>${topCause.steps[0]!.replace(/&/g, '&amp;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')}</li>`);
    expect(mail.html).toContain(`<pre><code>npx okta-remediate reauth-done --app ${APP_ID} --by &lt;your email&gt;</code></pre>`);
  });

  it('a transient SMTP reply (4xx) is retryable, a permanent one (5xx) is not; the password never shows', async () => {
    let code = 451;
    smtp = await startSmtp({
      onRcptTo(_address, _session, callback) {
        callback(Object.assign(new Error(code === 451 ? 'Try again later' : 'Recipient address rejected: User unknown'), { responseCode: code }));
      },
    });
    const env = { SMTP_URL: `smtp://notifier:${encodeURIComponent(PASSWORD)}@127.0.0.1:${smtp.port}` };
    const deferred = await failureOf(deliver({ channels, env }, { channel: 'mail', notice: notice() }));
    expect(deferred).toMatchObject({ type: 'NotificationUnavailable', nonRetryable: false });
    expect(deferred.message).toMatch(
      /^Notification channel "mail" \(email\) via smtp:\/\/127\.0\.0\.1:\d+: the SMTP server deferred the message \(SMTP 451 to RCPT: "451 Try again later"\); retrying\.$/,
    );

    code = 550;
    const refused = await failureOf(deliver({ channels, env }, { channel: 'mail', notice: notice() }));
    expect(refused).toMatchObject({ type: 'NotificationRejected', nonRetryable: true });
    expect(refused.message).toContain('the SMTP server refused the message (SMTP 550 to RCPT: "550 Recipient address rejected: User unknown"): check "from" and "to" of channel "mail"');
    for (const err of [deferred, refused]) expect(everythingSaid(err)).not.toContain(PASSWORD);
  });

  it('a rejected login is non-retryable and points at the variable, without its value', async () => {
    smtp = await startSmtp();
    const wrong = 'wrong-Pa55word!secret';
    const err = await failureOf(deliver({ channels, env: { SMTP_URL: `smtp://notifier:${encodeURIComponent(wrong)}@127.0.0.1:${smtp.port}` } }, { channel: 'mail', notice: notice() }));
    expect(err).toMatchObject({ type: 'NotificationRejected', nonRetryable: true });
    expect(err.message).toContain('the SMTP server rejected the login (SMTP 535');
    expect(err.message).toContain('check the user and password in SMTP_URL');
    expect(everythingSaid(err)).not.toContain(wrong);
    expect(everythingSaid(err)).not.toContain(encodeURIComponent(wrong));
  });

  it('an unreachable server is retryable; a missing or malformed variable is not', async () => {
    const port = await closedPort();
    const down = await failureOf(deliver({ channels, env: { SMTP_URL: `smtp://notifier:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}` } }, { channel: 'mail', notice: notice() }));
    expect(down).toMatchObject({ type: 'NotificationUnavailable', nonRetryable: false });
    expect(down.message).toMatch(/network error ECONNREFUSED; retrying\.$/);
    expect(everythingSaid(down)).not.toContain(PASSWORD);

    const missing = await failureOf(deliver({ channels, env: {} }, { channel: 'mail', notice: notice() }));
    expect(missing).toMatchObject({ type: 'NotificationSettingInvalid', nonRetryable: true });
    expect(missing.message).toContain('environment variable SMTP_URL is not set on the worker');

    const https = await failureOf(deliver({ channels, env: { SMTP_URL: `https://notifier:${PASSWORD}@mail.acme.com` } }, { channel: 'mail', notice: notice() }));
    expect(https.message).toContain('SMTP_URL must start with smtp:// or smtps://');
    expect(everythingSaid(https)).not.toContain(PASSWORD);
  });
});
