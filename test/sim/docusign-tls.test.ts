/**
 * The simulators' throwaway CA: created once, reused, renewed piecewise, safe under concurrent
 * first use, and trusted for our loopback names by a verifying TLS client. Uses scratch
 * directories, never the project's own .cache/sim-tls.
 */
import { spawn, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { ensureSimCertificates } from '../../sim/tls/ca';
import { extraCaCertsFor, simCaTrustProblem } from '../../sim/tls/trust';

const ROOT = path.resolve(__dirname, '../..');
const TSX_CLI = require.resolve('tsx/cli', { paths: [ROOT] });

const fingerprint = (file: string): string => new X509Certificate(fs.readFileSync(file)).fingerprint256;

describe('simulator CA (sim/tls)', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-tls-test-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates a CA and a localhost/127.0.0.1 server certificate once, then reuses them', () => {
    const first = ensureSimCertificates(dir);
    const cert = new X509Certificate(fs.readFileSync(first.certPath));
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.verify(new X509Certificate(fs.readFileSync(first.caPath)).publicKey)).toBe(true);

    const again = ensureSimCertificates(dir);
    expect(again).toEqual(first);
    expect(fingerprint(again.caPath)).toBe(fingerprint(first.caPath));
    expect(fingerprint(again.certPath)).toBe(fingerprint(first.certPath));
  });

  it('renews only the server certificate when it is missing, keeping the CA (and an exported NODE_EXTRA_CA_CERTS) valid', () => {
    const first = ensureSimCertificates(dir);
    const ca = fingerprint(first.caPath);
    fs.rmSync(first.certPath);
    const renewed = ensureSimCertificates(dir);
    expect(fingerprint(renewed.caPath)).toBe(ca);
    expect(fs.existsSync(renewed.certPath)).toBe(true);
  });

  it('replaces a broken CA', () => {
    const first = ensureSimCertificates(dir);
    const ca = fingerprint(first.caPath);
    fs.writeFileSync(first.caPath, 'not a certificate');
    expect(fingerprint(ensureSimCertificates(dir).caPath)).not.toBe(ca);
  });

  it('is trusted by a verifying TLS client for both loopback names', async () => {
    const certs = ensureSimCertificates(dir);
    const server = createServer({ key: fs.readFileSync(certs.keyPath), cert: fs.readFileSync(certs.certPath) }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      // With no checks switched off: default identity check against the SNI name, else the IP.
      for (const servername of ['localhost', undefined]) {
        const authorized = await new Promise<boolean>((resolve, reject) => {
          const socket = tls.connect({ host: '127.0.0.1', port, servername, ca: fs.readFileSync(certs.caPath) }, () => {
            resolve(socket.authorized);
            socket.end();
          });
          socket.on('error', reject);
        });
        expect(authorized).toBe(true);
      }
    } finally {
      server.close();
    }
  });

  it('serialises concurrent first use by several processes on one CA', async () => {
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, [TSX_CLI, 'sim/tls/ca.ts', dir], { cwd: ROOT, env: { ...process.env, NODE_EXTRA_CA_CERTS: '' } });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`exit ${code}: ${err}`))));
      });
    const printed = await Promise.all([run(), run(), run()]);
    expect(new Set(printed)).toEqual(new Set([path.join(dir, 'ca.pem')]));
    const { caPath, certPath } = ensureSimCertificates(dir);
    expect(new X509Certificate(fs.readFileSync(certPath)).verify(new X509Certificate(fs.readFileSync(caPath)).publicKey)).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual(['ca.key', 'ca.pem', 'server.key', 'server.pem']);
  }, 30_000);

  it('says clearly when openssl is missing', () => {
    const emptyPath = fs.mkdtempSync(path.join(os.tmpdir(), 'no-openssl-'));
    try {
      const run = spawnSync(process.execPath, [TSX_CLI, 'sim/tls/ca.ts', dir], { cwd: ROOT, env: { ...process.env, PATH: emptyPath }, encoding: 'utf8' });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('`openssl` was not found on PATH');
    } finally {
      fs.rmSync(emptyPath, { recursive: true, force: true });
    }
  });

  it('computes a NODE_EXTRA_CA_CERTS value that keeps whatever the variable already trusted', () => {
    const { caPath } = ensureSimCertificates(dir);
    expect(extraCaCertsFor(caPath, {})).toBe(caPath);
    expect(simCaTrustProblem(caPath, {})).toContain('NODE_EXTRA_CA_CERTS is not set');

    // Another CA's certificate stands in for a system or proxy bundle already in the variable.
    const systemBundle = ensureSimCertificates(fs.mkdtempSync(path.join(dir, 'system-'))).caPath;
    const copy = path.join(dir, 'copy-of-ca.pem');
    fs.copyFileSync(caPath, copy);

    expect(simCaTrustProblem(caPath, { NODE_EXTRA_CA_CERTS: systemBundle })).toContain('does not contain the simulator CA');
    const bundle = extraCaCertsFor(caPath, { NODE_EXTRA_CA_CERTS: systemBundle });
    expect(bundle).not.toBe(caPath);
    const text = fs.readFileSync(bundle, 'utf8');
    expect(text).toContain(fs.readFileSync(systemBundle, 'utf8').trim());
    expect(simCaTrustProblem(caPath, { NODE_EXTRA_CA_CERTS: bundle })).toBeUndefined();
    // Exporting the bundle and asking again changes nothing.
    expect(extraCaCertsFor(caPath, { NODE_EXTRA_CA_CERTS: bundle })).toBe(bundle);
    // A file that already holds the CA is used as it is.
    expect(extraCaCertsFor(caPath, { NODE_EXTRA_CA_CERTS: copy })).toBe(copy);
  });
});
