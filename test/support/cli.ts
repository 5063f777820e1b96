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
  /** Resolves once stdout (or stderr) so far matches. */
  output(pattern: RegExp, stream?: 'stdout' | 'stderr'): Promise<string>;
  /** Asks the process to stop, as Ctrl-C would. */
  stop(): void;
  /** Kills it and its children at once, as `kill -9` or a lost machine does. */
  kill(): void;
  done: Promise<Run>;
}

/** Starts the binary with only PATH and HOME from the test's environment, plus `env`: no operator settings leak in. */
export function startCli(args: string[], env: Record<string, string> = {}): RunningCli {
  return startProcess([BIN, ...args], env);
}

/** The worker as an operator runs it (`npm run worker`), configured by `env` alone. */
export function startWorkerProcess(env: Record<string, string>): RunningCli {
  return startProcess([require.resolve('tsx/cli'), path.resolve(__dirname, '../../worker/main.ts')], env);
}

function startProcess(nodeArgs: string[], env: Record<string, string>): RunningCli {
  const args = nodeArgs.slice(1);
  // Its own process group: tsx runs the program in a child process, and a kill reaches both.
  const child = spawn(process.execPath, nodeArgs, { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const kill = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(kill, 180_000); // never outlive a hung test for long
  const done = new Promise<Run>((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    }),
  );
  return {
    output: (pattern, stream = 'stdout') =>
      eventually(
        () => {
          const text = stream === 'stdout' ? stdout : stderr;
          return pattern.test(text) ? text : undefined;
        },
        `okta-remediate ${args.join(' ')} to print ${pattern}`,
      ).catch((err: Error) => {
        throw new Error(`${err.message}; it printed: ${stdout}${stderr}`);
      }),
    stop: () => child.kill('SIGTERM'),
    kill,
    done,
  };
}

export function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return startCli(args, env).done;
}
