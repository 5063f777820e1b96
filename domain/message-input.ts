/**
 * The shapes of the remediation's messages, checked before any handler uses them. Messages come
 * from the CLI, but also from scripts and `temporal workflow signal|update`, so nothing about them
 * is trusted: wrong types, missing or extra fields are refused naming the field, and free text is
 * cleaned and capped before it is stored or printed. Pure (zod only): bundled into workflows.
 */
import { z } from 'zod';
import { VENDOR_SERVICES } from './vendors/registry';

/** How long each kind of free text may be once cleaned. */
export const TEXT_LIMITS = { by: 320, note: 2000, reason: 2000, login: 320 } as const;

// ANSI escape sequences (CSI such as ESC[2J, OSC such as a terminal title or hyperlink), the other
// C0 and C1 control characters, and the Unicode bidi controls (embeddings, overrides, isolates,
// marks) that can make a terminal show text other than it is.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)?|\u009b[0-?]*[ -/]*[@-~]/g;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text safe to store and print: controls and bidi overrides removed, whitespace runs made one space, at most `max` characters. */
export function cleanText(value: string, max: number): string {
  const cleaned = value
    .replace(ANSI, '')
    .replace(/[\t\n\r\v\f]+/g, ' ')
    .replace(CONTROL, '')
    .replace(BIDI, '')
    .replace(/ {2,}/g, ' ')
    .trim();
  return cleaned.length <= max ? cleaned : `${cleaned.slice(0, max - 1).trimEnd()}…`;
}

/** Free text: cleaned and capped; `required` refuses what is empty once cleaned. */
const text = (max: number, what: string) => z.string({ error: (issue) => (issue.input === undefined ? `is required: ${what}` : `must be a string: ${what}`) }).transform((v) => cleanText(v, max));
const required = (max: number, what: string) => text(max, what).refine((v) => v.length > 0, { error: `is empty: it must be ${what}` });

const who = required(TEXT_LIMITS.by, 'who acts (an email or username)');
const isoTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), { error: 'must be an ISO 8601 time' });

/** An ID token is a few KB at most; more is not one. */
export const MAX_ID_TOKEN_CHARS = 16_384;
/** The admin's ID token from `--sign-in` (a JWT): the workflow counts it only once an activity has verified it. */
const idToken = z
  .string({ error: 'must be a string: the ID token `--sign-in` got from Okta' })
  .max(MAX_ID_TOKEN_CHARS, { error: `must be at most ${MAX_ID_TOKEN_CHARS} characters: an ID token from \`--sign-in\`` })
  .regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, { error: 'must be an ID token (a JWT) from `--sign-in`' });
/** Who acts: a name given (`by`), or a sign-in (`idToken`) whose verified login replaces any name given. */
const byOrSignIn = <T extends { by?: string; idToken?: string }>(a: T) => a.by !== undefined || a.idToken !== undefined;
const BY_REQUIRED = { error: 'is required: who acts (an email or username), or an idToken from `--sign-in`', path: ['by'] };

export const reauthArgsSchema = z
  .strictObject({ by: who.optional(), note: text(TEXT_LIMITS.note, 'a note').optional(), idToken: idToken.optional() }, { error: 'must be an object such as {"by":"you@example.com"}' })
  .refine(byOrSignIn, BY_REQUIRED);

/** A year: longer than any deadline the settings allow. */
export const MAX_SNOOZE_MS = 365 * 86_400_000;
export const snoozeArgsSchema = z.strictObject(
  {
    forMs: z
      .number({ error: 'must be a number of milliseconds' })
      .int({ error: 'must be a whole number of milliseconds' })
      .positive({ error: 'must be positive' })
      .max(MAX_SNOOZE_MS, { error: 'must be at most a year' }),
    by: who.optional(),
    idToken: idToken.optional(),
  },
  { error: 'must be an object such as {"forMs":7200000,"by":"you@example.com"}' },
);

/** How many logins one approval may name: more than an app has failed deprovisions at once in practice. */
export const MAX_APPROVAL_LOGINS = 1000;
export const approveArgsSchema = z
  .strictObject(
    {
      logins: z
        .array(required(TEXT_LIMITS.login, 'an Okta login'), { error: 'must be a list of Okta logins' })
        .min(1, { error: 'must name at least one login (or use "all": true)' })
        .max(MAX_APPROVAL_LOGINS, { error: `must name at most ${MAX_APPROVAL_LOGINS} logins` })
        .optional(),
      all: z.boolean({ error: 'must be true or false' }).optional(),
      by: who.optional(),
      idToken: idToken.optional(),
    },
    { error: 'must be an object such as {"all":true,"by":"you@example.com"}' },
  )
  .refine(byOrSignIn, BY_REQUIRED)
  .refine((a) => a.all === true || a.logins !== undefined, { error: 'name the logins to approve ("logins"), or approve all ("all": true)', path: ['logins'] });

export const cancelArgsSchema = z.strictObject({ reason: required(TEXT_LIMITS.reason, 'why (a reason)'), by: who.optional() }, { error: 'must be an object such as {"reason":"..."}' });

/** Okta ids are short and alphanumeric; anything else cannot be a user of the app. */
const oktaId = z.string({ error: 'must be an Okta user id (a string)' }).regex(/^[A-Za-z0-9]{1,64}$/, { error: 'must be an Okta user id such as 00u1a2b3c4D5e6F7g8h9' });

export const affectedUserSchema = z.strictObject(
  {
    userId: oktaId,
    login: required(TEXT_LIMITS.login, 'an Okta login'),
    displayName: text(TEXT_LIMITS.by, 'a display name'),
    kind: z.enum(['push', 'deprovision'], { error: 'must be "push" or "deprovision"' }),
    failedAt: isoTime,
    reason: text(TEXT_LIMITS.reason, "Okta's reason"),
  },
  { error: 'must be an object with userId, login, displayName, kind, failedAt and reason' },
);
export const addFailedUsersArgsSchema = z.strictObject({ users: z.array(z.unknown(), { error: 'must be a list of users' }) }, { error: 'must be an object such as {"users":[...]}' });

/** The retry child's page report: internal, but a signal anyone may send, so checked as any other. */
const pagedUser = z.strictObject({ userId: oktaId, login: required(TEXT_LIMITS.login, 'an Okta login') });
export const retryPageArgsSchema = z.strictObject({
  page: z.number().int().positive(),
  results: z.array(
    z.strictObject({
      userId: oktaId,
      login: required(TEXT_LIMITS.login, 'an Okta login'),
      kind: z.literal('push'),
      outcome: z.enum(['succeeded', 'still_failing', 'skipped']),
      detail: text(TEXT_LIMITS.reason, 'what was observed'),
      syncState: z.string().max(40).optional(),
      at: isoTime,
    }),
  ),
  synchronized: z.array(pagedUser.extend({ lastSync: isoTime.optional() })),
  cancelled: z.array(pagedUser).optional(),
});
export const retryOutageArgsSchema = z.strictObject({
  outage: z.strictObject({ service: z.enum(['Okta', ...VENDOR_SERVICES]), since: isoTime, reason: text(TEXT_LIMITS.reason, 'why'), checks: z.number().int().nonnegative() }).optional(),
});

/** `"by" must name who acts ...`: the first problem, naming its field. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const unknownKeys = issue.code === 'unrecognized_keys' ? (issue as { keys: string[] }).keys : undefined;
  if (unknownKeys) return `unknown field${unknownKeys.length === 1 ? '' : 's'} ${unknownKeys.map((k) => `"${cleanText(k, 40)}"`).join(', ')}`;
  const field = issue.path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
  return field ? `"${field}" ${issue.message}` : `the input ${issue.message}`;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Parses a message's input; the problem names the field. */
export function parseMessage<S extends z.ZodType>(schema: S, input: unknown): ParseResult<z.output<S>> {
  const parsed = schema.safeParse(input);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: describeIssue(parsed.error) };
}
