/** Slack through the real @slack/webhook client, posting to an HTTP receiver on loopback. */
import { slackBlocks } from '../../domain/notice';
import { APP_ID, notice } from './fixture';
import { closedPort, deliver, everythingSaid, failureOf, startReceiver, type Receiver } from './support';

const HOOK = '/services/T000/B000/XXXXsecretXXXX';
const channels = { team: { type: 'slack' as const, webhookUrlEnv: 'SLACK_WEBHOOK_URL' } };

describe('slack channel', () => {
  let receiver: Receiver;
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => {
    receiver = await startReceiver();
    env = { SLACK_WEBHOOK_URL: receiver.url(HOOK) };
  });
  afterEach(() => receiver.close());

  it('posts a Block Kit message: the subject as fallback text, and the blocks', async () => {
    const n = notice('escalation', {}, { reminderNumber: 3 });
    const result = await deliver({ channels, env }, { channel: 'team', notice: n });
    expect(result).toMatchObject({ channel: 'team', detail: expect.stringMatching(/^posted to Slack at http:\/\/127\.0\.0\.1:\d+$/) });
    const req = receiver.requests[0]!;
    expect(req.path).toBe(HOOK);
    expect(req.headers['content-type']).toBe('application/json');
    const body = JSON.parse(req.body) as { text: string; blocks: { type: string; text?: { text: string } }[]; unfurl_links: boolean };
    expect(body.text).toBe('Escalated: DocuSign not re-authenticated after 3 reminders');
    expect(body.blocks).toEqual(JSON.parse(JSON.stringify(slackBlocks(n))));
    expect(body.blocks[0]).toMatchObject({ type: 'header' });
    expect(body.blocks.at(-1)).toMatchObject({ type: 'context' });
    const all = body.blocks.map((b) => b.text?.text ?? '').join('\n');
    expect(all).toContain('after 3 reminders');
    expect(all).toMatch(/\*What to do\*\n1\. /);
    expect(all).toContain(`\`npx okta-remediate reauth-done --app ${APP_ID} --by &lt;your email&gt;\``);
    expect(body.unfurl_links).toBe(false);
  });

  it('a 500 is retryable, a 404 is not and says to create a new webhook; no secret in either', async () => {
    receiver.reply = { status: 500, body: 'internal_error' };
    const retryable = await failureOf(deliver({ channels, env }, { channel: 'team', notice: notice() }));
    expect(retryable).toMatchObject({ type: 'NotificationUnavailable', nonRetryable: false });
    expect(retryable.message).toMatch(/^Notification channel "team" \(slack\) at http:\/\/127\.0\.0\.1:\d+ answered HTTP 500 \(internal_error\); retrying\.$/);
    expect(receiver.requests).toHaveLength(1); // the library does not retry on its own: Temporal does

    receiver.reply = { status: 404, body: 'no_service' };
    const gone = await failureOf(deliver({ channels, env }, { channel: 'team', notice: notice() }));
    expect(gone).toMatchObject({ type: 'NotificationRejected', nonRetryable: true });
    expect(gone.message).toContain('answered HTTP 404 (no_service): the webhook or its channel is gone');
    expect(gone.message).toContain('put its URL in SLACK_WEBHOOK_URL');

    receiver.reply = { status: 400, body: 'invalid_blocks' };
    const bad = await failureOf(deliver({ channels, env }, { channel: 'team', notice: notice() }));
    expect(bad).toMatchObject({ type: 'NotificationRejected', nonRetryable: true });
    expect(bad.message).toContain('(invalid_blocks): Slack rejected the message itself');

    for (const err of [retryable, gone, bad]) {
      expect(everythingSaid(err)).not.toContain('XXXXsecretXXXX');
      expect(everythingSaid(err)).not.toContain('/services/T000');
    }
  });

  it('a 429 waits for Retry-After', async () => {
    receiver.reply = { status: 429, headers: { 'retry-after': '30' }, body: 'rate_limited' };
    const err = await failureOf(deliver({ channels, env }, { channel: 'team', notice: notice() }));
    expect(err).toMatchObject({ type: 'NotificationRateLimited', nonRetryable: false, nextRetryDelay: 30_000 });
  });

  it('a Slack body that is not an error code is not repeated', async () => {
    receiver.reply = { status: 403, body: `<html>denied for ${HOOK}</html>` };
    const err = await failureOf(deliver({ channels, env }, { channel: 'team', notice: notice() }));
    expect(err.message).toMatch(/answered HTTP 403: Slack refused to post/);
    expect(everythingSaid(err)).not.toContain('XXXXsecretXXXX');
  });

  it('unreachable is retryable; a missing variable is not', async () => {
    const down = await failureOf(deliver({ channels, env: { SLACK_WEBHOOK_URL: `http://127.0.0.1:${await closedPort()}${HOOK}` } }, { channel: 'team', notice: notice() }));
    expect(down).toMatchObject({ type: 'NotificationUnavailable', nonRetryable: false });
    expect(down.message).toContain('network error ECONNREFUSED');
    expect(everythingSaid(down)).not.toContain('XXXXsecretXXXX');

    const missing = await failureOf(deliver({ channels, env: {} }, { channel: 'team', notice: notice() }));
    expect(missing).toMatchObject({ type: 'NotificationSettingInvalid', nonRetryable: true });
    expect(missing.message).toContain('environment variable SLACK_WEBHOOK_URL is not set on the worker');
  });
});
