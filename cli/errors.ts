/** Errors the CLI reports in one line, each with its own exit code (documented in the README). */
export const EXIT = {
  ok: 0,
  unexpected: 1,
  invalidInput: 2,
  unknownApp: 3,
  noRemediation: 4,
  temporalUnreachable: 5,
  remediationFailed: 6,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
