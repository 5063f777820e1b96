/** What every command file shares: the terminal it writes to, and option parsers that say what was wrong. */
import { InvalidArgumentError, Option } from 'commander';
import { z } from 'zod';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether `out` is a terminal: `watch` then redraws one line instead of printing each change. */
  isTTY?: boolean;
}

/** Commander parser that validates with a zod schema and says what was wrong. */
export function parseWith<T>(schema: z.ZodType<T>, what: string) {
  return (value: string): T => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new InvalidArgumentError(`${what}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return parsed.data;
  };
}

export const appIdOption = () =>
  new Option('--app <appId>', 'Okta app id (Admin Console > Applications > the app: the id is in its URL)')
    .makeOptionMandatory()
    .argParser(parseWith(z.string().regex(/^[A-Za-z0-9]{8,64}$/, 'expected an Okta app id such as 0oa1b2c3d4E5F6g7H8i9'), 'invalid app id'));
