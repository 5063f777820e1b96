/**
 * The email channel: SMTP through nodemailer. The SMTP URL (with its password) comes from the
 * environment variable the configuration names; sender and recipients from the configuration.
 */
import { createTransport, type NodemailerError } from 'nodemailer';
import { isScanNotice, noticeContent, renderNotice } from '../../domain/notice';
import type { ChannelConfig } from '../../config/app-config';
import { throwIfCancelled, transportProblem, type SendContext, type SendResult } from './context';
import { noticeHtml } from './email-html';
import { rejectedFailure, settingFailure, unavailableFailure } from './failures';
import { channelSecret, isLoopback, readChannelUrl, redactUrl } from './secrets';

type EmailChannel = Extract<ChannelConfig, { type: 'email' }>;

export const EMAIL_SUBJECT_PREFIX = '[okta-remediation]';

/** The server's own words are useful ("Recipient address rejected"); keep one short printable line. */
function serverSays(e: NodemailerError): string {
  const line = (e.response ?? '')
    .split(/\r?\n/)[0]!
    .replace(/[^\x20-\x7e]/g, '')
    .slice(0, 200);
  return line ? `: "${line}"` : '';
}

function smtpFailure(err: unknown, ctx: SendContext, config: EmailChannel, where: string): Error {
  throwIfCancelled(ctx);
  const e = (err ?? {}) as NodemailerError;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const rc = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const reply = rc ? ` (SMTP ${rc}${e.command ? ` to ${e.command.split(' ')[0]}` : ''}${serverSays(e)})` : '';
  const transient = rc !== undefined && (e.permanent === false || (e.permanent === undefined && rc < 500));
  if (code === 'EAUTH' || code === 'ENOAUTH') {
    if (transient) return unavailableFailure(`${where}: the SMTP server deferred the login${reply}; retrying.`);
    return rejectedFailure(`${where}: the SMTP server rejected the login${reply}: check the user and password in ${config.smtpUrlEnv}.`);
  }
  if (code === 'ETLS' || code === 'EREQUIRETLS') {
    return rejectedFailure(
      `${where}: TLS failed (${code}): check the host in ${config.smtpUrlEnv} and that the server offers TLS (smtps:// for TLS from the start, usually port 465; smtp:// with STARTTLS, usually port 587).`,
    );
  }
  if (rc !== undefined) {
    if (transient) return unavailableFailure(`${where}: the SMTP server deferred the message${reply}; retrying.`);
    return rejectedFailure(
      `${where}: the SMTP server refused the message${reply}: check "from" and "to" of channel "${ctx.channel}" in the configuration, and that the account in ${config.smtpUrlEnv} may send as "${config.from}".`,
    );
  }
  if (code === 'ECONFIG' || code === 'EENVELOPE' || code === 'EMESSAGE') {
    return settingFailure(`${where}: nodemailer refused the settings (${code}): check ${config.smtpUrlEnv} and channel "${ctx.channel}" in the configuration.`);
  }
  return unavailableFailure(`${where}: ${transportProblem(ctx, e.originalCode ?? code)}; retrying.`);
}

/** A Message-ID stable across retries of one activity, so mail clients show a duplicate once. */
function messageId(ctx: SendContext, from: string): string {
  const local = ctx.idempotencyKey.replace(/[^A-Za-z0-9.!#$%&'*+=?^_`{|}~-]/g, '.');
  return `<${local}@${from.split('@')[1] ?? 'okta-remediation.invalid'}>`;
}

export async function sendEmail(ctx: SendContext, config: EmailChannel): Promise<SendResult> {
  const owner = `Notification channel "${ctx.channel}" (email)`;
  const url = readChannelUrl(ctx.env, channelSecret(config)!, owner);
  const where = `${owner} via ${redactUrl(url)}`;
  const transport = createTransport({
    url: url.href,
    connectionTimeout: ctx.timeoutMs,
    greetingTimeout: ctx.timeoutMs,
    socketTimeout: ctx.timeoutMs,
    // Off loopback, mail (people's names, the failures) and any password travel encrypted: demand STARTTLS.
    requireTLS: url.protocol === 'smtp:' && !isLoopback(url),
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
  });
  const rendered = renderNotice(ctx.notice);
  try {
    const info = await transport.sendMail({
      from: config.from,
      to: config.to,
      subject: `${EMAIL_SUBJECT_PREFIX} ${rendered.subject}`,
      text: rendered.text,
      html: noticeHtml(noticeContent(ctx.notice)),
      messageId: messageId(ctx, config.from),
      headers: { ...(isScanNotice(ctx.notice) ? {} : { 'X-Okta-Remediation-App': ctx.notice.status.appId }), 'X-Okta-Remediation-Notice': ctx.notice.kind },
      signal: ctx.signal,
    });
    const rejected = info.rejected.length > 0 ? `; refused for ${info.rejected.join(', ')}` : '';
    return `sent to ${info.accepted.join(', ')} via ${redactUrl(url)}${rejected}`;
  } catch (err) {
    throw smtpFailure(err, ctx, config, where);
  } finally {
    transport.close();
  }
}
