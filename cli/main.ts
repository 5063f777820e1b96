/** Entry point of the `okta-remediate` binary. */
import { runCli } from './program';

/** Resolves once everything written so far has left the process: a pipe may still hold a large report. */
const drained = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));

runCli(process.argv.slice(2), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), isTTY: process.stdout.isTTY === true }).then(
  async (code) => {
    await Promise.all([drained(process.stdout), drained(process.stderr)]);
    process.exit(code); // the Temporal connection would otherwise keep the process alive
  },
  (err: unknown) => {
    // runCli answers every failure it knows with a message and an exit code: this is a bug.
    process.stderr.write(`okta-remediate: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  },
);
