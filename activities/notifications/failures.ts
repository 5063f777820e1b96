/**
 * How a failed delivery reaches Temporal. A setting the operator must fix stops retries with a
 * message naming the setting; anything that may pass later (network, 5xx, 429, SMTP 4xx) is left
 * to the activity's retry policy. Messages are built from safe parts only: never a URL's path,
 * query or credentials, and never a library's own error text that might quote them.
 */
import { ApplicationFailure } from '@temporalio/common';

/** No channel of that name in the configuration. */
export const NOTIFICATION_CHANNEL_UNKNOWN = 'NotificationChannelUnknown';
/** The environment variable the channel names is missing, blank or malformed. */
export const NOTIFICATION_SETTING_INVALID = 'NotificationSettingInvalid';
/** The receiver refused the message for good (HTTP 4xx, SMTP 5xx, bad SMTP login). */
export const NOTIFICATION_REJECTED = 'NotificationRejected';
/** HTTP 429: retried after Retry-After. */
export const NOTIFICATION_RATE_LIMITED = 'NotificationRateLimited';
/** The receiver could not be reached or failed for now (network, timeout, HTTP 5xx/408, SMTP 4xx). */
export const NOTIFICATION_UNAVAILABLE = 'NotificationUnavailable';

/** For a workflow's retry policy (`nonRetryableErrorTypes`); the failures also carry nonRetryable. */
export const NON_RETRYABLE_NOTIFICATION_ERRORS = [NOTIFICATION_CHANNEL_UNKNOWN, NOTIFICATION_SETTING_INVALID, NOTIFICATION_REJECTED];

export function settingFailure(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, NOTIFICATION_SETTING_INVALID);
}

export function rejectedFailure(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, NOTIFICATION_REJECTED);
}

export function unavailableFailure(message: string): ApplicationFailure {
  return ApplicationFailure.create({ message, type: NOTIFICATION_UNAVAILABLE });
}

export function rateLimitedFailure(message: string, retryAfterMs: number | undefined): ApplicationFailure {
  return ApplicationFailure.create({ message, type: NOTIFICATION_RATE_LIMITED, nextRetryDelay: retryAfterMs });
}

/** The same failure with a different message (used to scrub it); no cause is carried over. */
export function withMessage(f: ApplicationFailure, message: string): ApplicationFailure {
  return ApplicationFailure.create({
    message,
    type: f.type ?? undefined,
    nonRetryable: f.nonRetryable ?? undefined,
    nextRetryDelay: f.nextRetryDelay ?? undefined,
  });
}

/** A system error code (ECONNREFUSED, ETIMEDOUT, ...) from an error or its causes, never its text. */
export function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
  }
  return undefined;
}
