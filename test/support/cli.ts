/** Runs the `okta-remediate` binary as an operator does: a child process, its output and exit code. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { eventually } from './harness';

const BIN = path.resolve(__dirname, '../../bin/okta-remediate.cjs');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  /** Resolves once stdout so far matches. */
  output(pattern: RegExp): Promise<string>;
  done: Promise<Run>;
}

/** Starts the binary with only PATH and HOME from the test's environment, plus `env`: no operator settings leak in. */
export function startCli(args: string[], env: Record<string, string> = {}): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const done = new Promise<Run>((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    }),
  );
  return {
    output: (pattern) =>
      eventually(() => (pattern.test(stdout) ? stdout : undefined), `okta-remediate ${args.join(' ')} to print ${pattern}`).catch((err: Error) => {
        throw new Error(`${err.message}; it printed: ${stdout}${stderr}`);
      }),
    done,
  };
}

export function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return startCli(args, env).done;
}
