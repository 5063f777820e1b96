/** Errors the CLI reports in one line, each with its own exit code (documented in the README). */
export const EXIT = {
  ok: 0,
  unexpected: 1,
  invalidInput: 2,
  unknownApp: 3,
  noRemediation: 4,
  temporalUnreachable: 5,
  remediationFailed: 6,
  remediationCancelled: 7,
  noSchedule: 8,
  scanFailed: 9,
  /** `reauth-done --wait`: the workflow checked the re-auth and the credential still does not work. */
  reauthNotVerified: 10,
  /** The workflow refused the request (an update validator): not awaiting a re-auth, or not on the confirmers allow-list. */
  refusedByWorkflow: 11,
  /** `watch`: the remediation ended without a re-auth: its deadline passed (phase `timed_out`). */
  reauthTimedOut: 12,
  /** `watch`: the remediation ended without a retry: Okta's provisioning of the app is off or not set up. */
  provisioningOff: 13,
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
