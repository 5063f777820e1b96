/**
 * A headless Chromium for the browser tests, on any machine: CHROMIUM_PATH, else `chromium` on
 * PATH (Debian's package), else the build that the npm package @sparticuz/chromium ships (a
 * devDependency: `npm ci` brings it, nothing is downloaded at test time).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { executable, onPath } from '../../scripts/temporal-cli';

/** The package is ES modules only, which Jest's CommonJS runtime cannot import: ask a child Node. */
function packaged(): string {
  const script = "import('@sparticuz/chromium').then((m) => m.default.executablePath()).then((p) => process.stdout.write(p))";
  return execFileSync(process.execPath, ['-e', script], { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8', timeout: 120_000 }).trim();
}

export function findChromium(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!executable(fromEnv)) throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, which is not an executable file.`);
    return fromEnv;
  }
  return onPath('chromium') ?? onPath('chromium-browser') ?? packaged();
}
