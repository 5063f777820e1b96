/** Entry point of the `okta-remediate` binary. */
import { runCli } from './program';

runCli(process.argv.slice(2), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), isTTY: process.stdout.isTTY === true }).then((code) => {
  process.exit(code); // the Temporal connection would otherwise keep the process alive
});
