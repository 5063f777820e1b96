/**
 * Finds the Temporal CLI (which carries the dev server), or builds it: TEMPORAL_CLI (a path), then
 * `temporal` on PATH, then the project's cache folder, else `go install` into that folder.
 * Run directly (`npm run temporal-cli`) it prints the path it settled on.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';

export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
export const PROJECT_ROOT = path.resolve(__dirname, '..');
export const CACHE_DIR = path.join(PROJECT_ROOT, '.cache', 'temporal');

export function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && executable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

export function findTemporalCli(): string | undefined {
  const fromEnv = process.env.TEMPORAL_CLI;
  if (fromEnv) {
    if (!executable(fromEnv)) throw new Error(`TEMPORAL_CLI is set to ${fromEnv}, which is not an executable file.`);
    return fromEnv;
  }
  const cached = path.join(CACHE_DIR, 'temporal');
  return onPath('temporal') ?? (executable(cached) ? cached : undefined);
}

export function ensureTemporalCli(log: (line: string) => void = (l) => console.error(l)): string {
  const found = findTemporalCli();
  if (found) return found;
  if (!onPath('go')) {
    throw new Error(
      'The Temporal CLI was not found and Go is not installed to build it. Install Go (https://go.dev/doc/install) and rerun, ' +
        'or install the Temporal CLI (https://docs.temporal.io/cli#install) and put it on PATH or in TEMPORAL_CLI.',
    );
  }
  mkdirSync(CACHE_DIR, { recursive: true });
  log(`Building the Temporal CLI (go install ${TEMPORAL_CLI_MODULE}) into .cache/temporal; this takes a few minutes the first time...`);
  const build = spawnSync('go', ['install', TEMPORAL_CLI_MODULE], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, GOBIN: CACHE_DIR, CGO_ENABLED: '0', GOFLAGS: `${process.env.GOFLAGS ?? ''} -buildvcs=false`.trim() },
  });
  const built = path.join(CACHE_DIR, 'temporal');
  if (build.status !== 0 || !executable(built)) {
    throw new Error(`go install ${TEMPORAL_CLI_MODULE} failed (exit ${build.status}); see the output above.`);
  }
  log(`Temporal CLI ready: ${execFileSync(built, ['--version']).toString().trim()}`);
  return built;
}

if (require.main === module) {
  try {
    console.log(ensureTemporalCli());
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
