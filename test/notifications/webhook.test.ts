/** The generic JSON webhook against a real HTTP receiver on loopback. */
import { MockActivityEnvironment } from '@temporalio/testing';
import { MAX_LISTED_USERS, noticeSummary, renderNotice } from '../../domain/notice';
import type { AffectedUser } from '../../domain/types';
import { testLogger } from '../support/log-capture';
import { APP_ID, notice } from './fixture';
import { closedPort, deliver, everythingSaid, failureOf, startReceiver, startSilentServer, type Receiver } from './support';

const SECRET_PATH = '/hooks/okta/tok_9f8e7d6c5b4a3210secret';
const channels = { ops: { type: 'webhook' as const, urlEnv: 'OPS_WEBHOOK_URL' } };

describe('webhook channel', () => {
  let receiver: Receiver;
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => {
    receiver = await startReceiver();
    env = { OPS_WEBHOOK_URL: receiver.url(SECRET_PATH) };
  });
  afterEach(() => receiver.close());

  it('POSTs the notice as JSON: kind, app, phase, subject, text (what failed, why, steps, command), a summary', async () => {
    const n = notice('diagnosed');
    const result = await deliver({ channels, env }, { channel: 'ops', notice: n });
    expect(result.channel).toBe('ops');
    expect(Date.parse(result.deliveredAt)).not.toBeNaN();
    expect(result.detail).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+: HTTP 200$/);
    expect(receiver.requests).toHaveLength(1);
    const req = receiver.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(SECRET_PATH);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['idempotency-key']).toBe('test/00000000-0000-0000-0000-000000000000/test');
    const body = JSON.parse(req.body) as Record<string, unknown>;
    const rendered = renderNotice(n);
    expect(body).toMatchObject({ kind: 'diagnosed', appId: APP_ID, phase: 'awaiting_reauth', subject: rendered.subject, text: rendered.text, summary: JSON.parse(JSON.stringify(noticeSummary(n))) });
    expect(body).not.toHaveProperty('status');
    expect(body.text).toContain(`npx okta-remediate reauth-done --app ${APP_ID}`);
  });

  it("POSTs a scanner notice with the scanner's facts instead of an app's", async () => {
    const n = { kind: 'scan_failed' as const, workflowId: 'tq-scan-1', failedScans: 1, failingSince: '2026-12-04T10:00:00.000Z', error: 'Okta answered HTTP 401', at: '2026-12-04T10:00:00.000Z' };
    await deliver({ channels, env }, { channel: 'ops', notice: n });
    const body = JSON.parse(receiver.requests[0]!.body) as Record<string, unknown>;
    expect(body).toEqual({
      kind: 'scan_failed',
      subject: renderNotice(n).subject,
      text: renderNotice(n).text,
      markdown: renderNotice(n).markdown,
      scanner: { workflowId: 'tq-scan-1', failedScans: 1, failingSince: n.failingSince, error: n.error, at: n.at },
    });
  });

  it('a 500 is retryable, a 400 is not; neither message shows the secret URL', async () => {
    receiver.reply = { status: 500, body: `boom at ${SECRET_PATH}` };
    const retryable = await failureOf(deliver({ channels, env }, { channel: 'ops', notice: notice() }));
    expect(retryable).toMatchObject({ name: 'ApplicationFailure', type: 'NotificationUnavailable', nonRetryable: false });
    expect(retryable.message).toMatch(/^Notification channel "ops" \(webhook\) at http:\/\/127\.0\.0\.1:\d+ answered HTTP 500; retrying\.$/);

    receiver.reply = { status: 400, body: `bad request for ${SECRET_PATH}` };
    const fatal = await failureOf(deliver({ channels, env }, { channel: 'ops', notice: notice() }));
    expect(fatal).toMatchObject({ type: 'NotificationRejected', nonRetryable: true });
    expect(fatal.message).toContain('answered HTTP 400: the receiver rejected the notice: check that OPS_WEBHOOK_URL names a receiver');

    for (const err of [retryable, fatal]) {
      expect(everythingSaid(err)).not.toContain('tok_9f8e7d6c5b4a3210secret');
      expect(everythingSaid(err)).not.toContain(SECRET_PATH);
    }
  });

  it('404 and 401 say which setting to fix; 408 is retried', async () => {
    receiver.reply = { status: 404 };
    expect((await failureOf(deliver({ channels, env }, { channel: 'ops', notice: notice() }))).message).toContain('there is no receiver at that URL: check OPS_WEBHOOK_URL.');
    receiver.reply = { status: 401 };
    expect((await failureOf(deliver({ channels, env }, { channel: 'ops', notice: notice() }))).message).toContain('check the URL (and any token in it) in OPS_WEBHOOK_URL');
    receiver.reply = { status: 408 };
    expect(await failureOf(deliver({ channels, env }, { channel: 'ops', notice: notice() }))).toMatchObject({ nonRetryable: false });
  });

  it('a redirect is not followed (the URL may carry a token) and says to put the final URL in the setting', async () => {
    receiver.reply = { status: 301, headers: { location: 'https://elsewhere.example.com/hook' } };
    const err = await failureOf(deliver({ channels, env }, { channel: 'ops', notice: notice() }));
    expect(err).toMatchObject({ type: 'NotificationRejected', nonRetryable: true });
    expect(err.message).toContain('put the final URL in OPS_WEBHOOK_URL');
    expect(receiver.requests).toHaveLength(1);
  });

  it('a 429 is retried after Retry-After', async () => {
    receiver.reply = { status: 429, headers: { 'retry-after': '7' } };
    const err = await failureOf(deliver({ channels, env }, { channel: 'ops', notice: notice() }));
    expect(err).toMatchObject({ type: 'NotificationRateLimited', nonRetryable: false, nextRetryDelay: 7000 });
    expect(err.message).toContain('retrying in 7 s (Retry-After)');
  });

  it('network errors and timeouts are retryable', async () => {
    const refused = await failureOf(deliver({ channels, env: { OPS_WEBHOOK_URL: `http://127.0.0.1:${await closedPort()}${SECRET_PATH}` } }, { channel: 'ops', notice: notice() }));
    expect(refused).toMatchObject({ type: 'NotificationUnavailable', nonRetryable: false });
    expect(refused.message).toMatch(/network error ECONNREFUSED; retrying\.$/);
    expect(everythingSaid(refused)).not.toContain('tok_9f8e7d6c5b4a3210secret');

    const silent = await startSilentServer();
    try {
      const err = await failureOf(deliver({ channels, env: { OPS_WEBHOOK_URL: silent.url(SECRET_PATH) }, timeoutMs: 300 }, { channel: 'ops', notice: notice() }));
      expect(err).toMatchObject({ type: 'NotificationUnavailable', nonRetryable: false });
      expect(err.message).toMatch(/: no answer within 300 ms; retrying\.$/);
      expect(everythingSaid(err)).not.toContain('tok_9f8e7d6c5b4a3210secret');
    } finally {
      await silent.close();
    }
  });

  it('a missing, blank or malformed setting is non-retryable and names the variable, never its value', async () => {
    const missing = await failureOf(deliver({ channels, env: {} }, { channel: 'ops', notice: notice() }));
    expect(missing).toMatchObject({ type: 'NotificationSettingInvalid', nonRetryable: true });
    expect(missing.message).toBe(
      'Notification channel "ops" (webhook): environment variable OPS_WEBHOOK_URL is not set on the worker (or is blank). Set it to the https URL that should receive the JSON notices.',
    );
    const blank = await failureOf(deliver({ channels, env: { OPS_WEBHOOK_URL: '   ' } }, { channel: 'ops', notice: notice() }));
    expect(blank.message).toContain('OPS_WEBHOOK_URL is not set');
    const malformed = await failureOf(deliver({ channels, env: { OPS_WEBHOOK_URL: 'not a url tok_9f8e7d6c5b4a3210secret' } }, { channel: 'ops', notice: notice() }));
    expect(malformed.message).toContain('OPS_WEBHOOK_URL is not a valid URL');
    expect(everythingSaid(malformed)).not.toContain('tok_9f8e7d6c5b4a3210secret');
    const plain = await failureOf(deliver({ channels, env: { OPS_WEBHOOK_URL: `http://hooks.example.com${SECRET_PATH}` } }, { channel: 'ops', notice: notice() }));
    expect(plain).toMatchObject({ nonRetryable: true });
    expect(plain.message).toContain('OPS_WEBHOOK_URL must be an https URL (plain http is accepted only on loopback)');
    expect(everythingSaid(plain)).not.toContain('tok_9f8e7d6c5b4a3210secret');
  });

  it('credentials in the URL go as Basic auth, and never into messages', async () => {
    const url = new URL(receiver.url(SECRET_PATH));
    url.username = 'notifier';
    url.password = 'p@ss:w0rd-very-secret';
    receiver.reply = { status: 503 };
    const err = await failureOf(deliver({ channels, env: { OPS_WEBHOOK_URL: url.href } }, { channel: 'ops', notice: notice() }));
    expect(receiver.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('notifier:p@ss:w0rd-very-secret').toString('base64')}`);
    expect(everythingSaid(err)).not.toMatch(/very-secret|p%40ss/);
  });

  it('a cancelled activity is reported as a cancellation, not a delivery failure', async () => {
    const silent = await startSilentServer();
    try {
      const activity = new MockActivityEnvironment(undefined, { logger: testLogger });
      const pending = failureOf(deliver({ channels, env: { OPS_WEBHOOK_URL: silent.url('/x') } }, { channel: 'ops', notice: notice() }, activity));
      setTimeout(() => activity.cancel(), 100);
      expect((await pending).name).toBe('CancelledFailure');
    } finally {
      await silent.close();
    }
  });

  it('sends counts and the first users, never every affected person: the body is bounded whatever the app size', async () => {
    const affected: AffectedUser[] = Array.from({ length: 300 }, (_, i) => ({
      userId: `00u${i}`,
      login: `person.${i}@acme.com`,
      displayName: `Person ${i}`,
      kind: 'push',
      failedAt: '2026-11-04T10:00:00.000Z',
      reason: 'The credentials used to connect to the API were invalid; please check your configuration',
    }));
    await deliver({ channels, env }, { channel: 'ops', notice: notice('diagnosed', { affected }) });
    const req = receiver.requests[0]!;
    const body = JSON.parse(req.body) as { summary: ReturnType<typeof noticeSummary> };
    expect(body.summary.counts).toMatchObject({ affected: 300, pending: 300 });
    expect(body.summary.users.flatMap((l) => l.lines).length).toBeLessThanOrEqual(MAX_LISTED_USERS);
    expect(body.summary.users.find((l) => l.title.startsWith('Not provisioned'))!.more).toBe(300 - MAX_LISTED_USERS);
    expect(req.body).toContain('person.0@acme.com');
    expect(req.body).not.toContain(`person.${MAX_LISTED_USERS}@acme.com`);
    expect(req.body.length).toBeLessThan(32_000);
  });
});
