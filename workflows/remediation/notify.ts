/** Notices to the app's channels: sent alongside the work, never waited on, escalated when nobody heard them. */
import type { NoticeKind } from '../../domain/notice';
import type { NotificationRecord } from '../../domain/types';
import { deliverNotice, failureMessage } from './activities';
import { now, type Remediation } from './state';

/** Tells the app's channels (and, for escalations, the escalation list); never waits on them. */
export function notify(r: Remediation, kind: NoticeKind, reminderNumber?: number): void {
  const primary = r.policy?.notify.primary ?? ['console'];
  const escalation = r.policy?.notify.escalation ?? [];
  const channels = [...new Set(kind === 'escalation' ? [...escalation, ...primary] : primary)];
  // A bounded view: counts over everyone, the first open users and failures by name.
  const notice = { kind, status: r.view(), reminderNumber };
  const rec: NotificationRecord = { kind, at: now(), delivered: [], failed: [] };
  r.state.notifications.push(rec);
  const deliver = (channel: string, how = '') =>
    deliverNotice(`${kind} via ${channel}${how}`, { channel, notice }).then(
      () => rec.delivered.push(channel),
      (err: unknown) => rec.failed.push({ channel, error: failureMessage(err) }),
    );
  const sent = Promise.all(channels.map((channel) => deliver(channel)));
  r.notices.push(sent);
  // Nobody heard it: every primary channel refused or kept failing. Say it where escalations go.
  const fallback = escalation.filter((c) => !channels.includes(c));
  if (fallback.length > 0) {
    r.notices.push(
      sent.then(async () => {
        if (rec.delivered.length > 0) return;
        rec.fallback = fallback;
        await Promise.all(fallback.map((channel) => deliver(channel, ' (every primary channel failed)')));
      }),
    );
  }
}

/** Waits for every notice under way. */
export const noticesDelivered = (r: Remediation) => Promise.all(r.notices);
