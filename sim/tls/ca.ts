/**
 * A throwaway certificate authority for the simulators. docusign-esign always calls its OAuth host
 * as `https://<host>`, so the DocuSign simulator must speak TLS with a certificate Node trusts; we
 * never turn verification off, so the project mints its own CA here (with openssl) and the process
 * that talks to the simulators starts with `NODE_EXTRA_CA_CERTS` naming the CA file.
 *
 * Run directly it prints what NODE_EXTRA_CA_CERTS should be, for scripts:
 *   export NODE_EXTRA_CA_CERTS=$(npx tsx sim/tls/ca.ts)
 * That is the CA path, or, when the variable already names another file (a system or proxy
 * bundle), a bundle of that file plus the CA, so exporting it takes no trust away.
 */
import { spawnSync } from 'node:child_process';
import { createPrivateKey, randomBytes, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { extraCaCertsFor } from './trust';

export interface SimCertificates {
  /** The CA certificate (PEM): what NODE_EXTRA_CA_CERTS must name. */
  caPath: string;
  /** The server certificate (PEM) for localhost, 127.0.0.1 and ::1, issued by the CA. */
  certPath: string;
  /** The server certificate's private key (PEM). */
  keyPath: string;
}

/** `<project>/.cache/sim-tls`: git-ignored and outside node_modules, so it survives `npm ci`. */
export const DEFAULT_SIM_TLS_DIR = path.join(path.resolve(__dirname, '../..'), '.cache', 'sim-tls');

const CA_FILE = 'ca.pem';
const CA_KEY_FILE = 'ca.key';
const CERT_FILE = 'server.pem';
const KEY_FILE = 'server.key';
const LOCK_DIR = '.lock';

const CA_DAYS = 3650;
const SERVER_DAYS = 825;
/** Renew before expiry, so a long test run never crosses a certificate's end date. */
const RENEW_BEFORE_MS = 7 * 24 * 60 * 60 * 1000;
const LOCK_WAIT_MS = 60_000;
/** A lock older than this was left by a crashed process: generating takes well under a second. */
const STALE_LOCK_MS = 30_000;

/** Everything the certificates must satisfy, in one place, so generation and checks agree. */
const OPENSSL_CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = okta-remediation simulator
[ca_ext]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1,IP:::1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

/**
 * Returns the CA and server certificate under `dir`, creating them the first time and renewing
 * what is missing, broken or about to expire. The CA is kept while it is valid, so a
 * NODE_EXTRA_CA_CERTS exported earlier keeps working when only the server certificate is renewed.
 * Safe to call from several processes at once (a lock directory serialises generation).
 */
export function ensureSimCertificates(dir: string = DEFAULT_SIM_TLS_DIR): SimCertificates {
  const paths = pathsIn(dir);
  if (serverProblem(dir) === undefined) return paths;

  fs.mkdirSync(dir, { recursive: true });
  const release = acquireLock(path.join(dir, LOCK_DIR));
  try {
    // Another process may have finished while we waited for the lock.
    if (serverProblem(dir) === undefined) return paths;
    assertOpenssl();
    if (caProblem(dir) !== undefined) generateCa(dir);
    generateServerCertificate(dir);
    const problem = serverProblem(dir);
    if (problem !== undefined) throw new Error(`sim-tls: freshly generated certificates are unusable: ${problem}`);
    return paths;
  } finally {
    release();
  }
}

function pathsIn(dir: string): SimCertificates {
  return { caPath: path.join(dir, CA_FILE), certPath: path.join(dir, CERT_FILE), keyPath: path.join(dir, KEY_FILE) };
}

/** Why the CA under `dir` cannot be used to issue certificates, or undefined when it can. */
function caProblem(dir: string, now = Date.now()): string | undefined {
  try {
    const ca = new X509Certificate(fs.readFileSync(path.join(dir, CA_FILE)));
    if (!ca.ca) return 'ca.pem is not a CA certificate';
    if (Date.parse(ca.validTo) - now < RENEW_BEFORE_MS) return 'the CA expires soon';
    if (!ca.checkPrivateKey(createPrivateKey(fs.readFileSync(path.join(dir, CA_KEY_FILE))))) return 'ca.key does not match ca.pem';
    return undefined;
  } catch (err) {
    return `cannot read the CA: ${(err as Error).message}`;
  }
}

/** Why the server certificate under `dir` would not be trusted for our loopback names, or undefined. */
function serverProblem(dir: string, now = Date.now()): string | undefined {
  const caIssue = caProblem(dir, now);
  if (caIssue !== undefined) return caIssue;
  try {
    const ca = new X509Certificate(fs.readFileSync(path.join(dir, CA_FILE)));
    const cert = new X509Certificate(fs.readFileSync(path.join(dir, CERT_FILE)));
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return 'server.pem was not issued by ca.pem';
    if (Date.parse(cert.validTo) - now < RENEW_BEFORE_MS) return 'server.pem expires soon';
    if (Date.parse(cert.validFrom) > now) return 'server.pem is not valid yet';
    if (cert.checkHost('localhost') === undefined || cert.checkIP('127.0.0.1') === undefined) return 'server.pem does not name localhost and 127.0.0.1';
    if (!cert.checkPrivateKey(createPrivateKey(fs.readFileSync(path.join(dir, KEY_FILE))))) return 'server.key does not match server.pem';
    return undefined;
  } catch (err) {
    return `cannot read the server certificate: ${(err as Error).message}`;
  }
}

function assertOpenssl(): void {
  const probe = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  if (probe.error && (probe.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(
      'sim-tls: `openssl` was not found on PATH. The simulators need it once to create their throwaway CA ' +
        '(install OpenSSL, e.g. `apt-get install openssl` or `brew install openssl`, then retry).',
    );
  }
  if (probe.status !== 0) throw new Error(`sim-tls: \`openssl version\` failed: ${probe.stderr || probe.error?.message}`);
}

/** Runs openssl in `cwd`; files are written to temporary names and renamed, so readers never see half a file. */
function openssl(cwd: string, args: string[]): void {
  const run = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (run.status !== 0) {
    throw new Error(`sim-tls: openssl ${args[0]} failed (exit ${run.status}): ${(run.stderr || run.error?.message || '').trim()}`);
  }
}

function withScratch<T>(dir: string, fn: (scratch: string) => T): T {
  const scratch = fs.mkdtempSync(path.join(dir, '.tmp-'));
  try {
    fs.writeFileSync(path.join(scratch, 'openssl.cnf'), OPENSSL_CONFIG);
    return fn(scratch);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function generateCa(dir: string): void {
  withScratch(dir, (scratch) => {
    openssl(scratch, [
      'req',
      '-x509',
      '-config',
      'openssl.cnf',
      '-extensions',
      'ca_ext',
      ...EC_KEY,
      '-keyout',
      CA_KEY_FILE,
      '-out',
      CA_FILE,
      '-days',
      String(CA_DAYS),
      '-subj',
      `/CN=okta-remediation simulator CA (throwaway) ${randomBytes(4).toString('hex')}`,
    ]);
    install(scratch, dir, CA_KEY_FILE, 0o600);
    install(scratch, dir, CA_FILE, 0o644);
  });
}

function generateServerCertificate(dir: string): void {
  withScratch(dir, (scratch) => {
    openssl(scratch, ['req', '-new', '-config', 'openssl.cnf', ...EC_KEY, '-keyout', KEY_FILE, '-out', 'server.csr', '-subj', '/CN=localhost']);
    openssl(scratch, [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      path.join(dir, CA_FILE),
      '-CAkey',
      path.join(dir, CA_KEY_FILE),
      // A random serial: no .srl file to keep, and reissued certificates never collide.
      '-set_serial',
      `0x${randomBytes(16)
        .toString('hex')
        .replace(/^[89a-f]/, '7')}`,
      '-days',
      String(SERVER_DAYS),
      '-extfile',
      'openssl.cnf',
      '-extensions',
      'server_ext',
      '-out',
      CERT_FILE,
    ]);
    install(scratch, dir, KEY_FILE, 0o600);
    install(scratch, dir, CERT_FILE, 0o644);
  });
}

function install(scratch: string, dir: string, file: string, mode: number): void {
  fs.chmodSync(path.join(scratch, file), mode);
  fs.renameSync(path.join(scratch, file), path.join(dir, file));
}

/** A cross-process lock: mkdir is atomic. Synchronous on purpose, so the API stays synchronous. */
function acquireLock(lockDir: string): () => void {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      return () => fs.rmSync(lockDir, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    try {
      if (Date.now() - fs.statSync(lockDir).mtimeMs > STALE_LOCK_MS) fs.rmSync(lockDir, { recursive: true, force: true });
    } catch {
      // Released between our mkdir and stat: just retry.
    }
    if (Date.now() > deadline) throw new Error(`sim-tls: timed out waiting for ${lockDir}; remove it if no other process is generating certificates`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
}

if (require.main === module) {
  try {
    const { caPath } = ensureSimCertificates(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
    process.stdout.write(`${extraCaCertsFor(caPath)}\n`);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
}
