/**
 * Whether this Node process trusts the simulator CA. Node reads NODE_EXTRA_CA_CERTS once, when the
 * process starts, so setting it from code is too late; the best a process can do is check that the
 * variable it started with names our CA and fail early with the fix, instead of a TLS error later.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const TRUST_HINT = 'start Node with NODE_EXTRA_CA_CERTS naming the simulator CA, e.g. `NODE_EXTRA_CA_CERTS=$(npx tsx sim/tls/ca.ts) npx jest ...`';

/** Why the process would reject the simulator's certificate, or undefined when it will trust it. */
export function simCaTrustProblem(caPath: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const extra = env.NODE_EXTRA_CA_CERTS;
  if (!extra) return `NODE_EXTRA_CA_CERTS is not set: ${TRUST_HINT}`;
  let ca: X509Certificate;
  try {
    ca = new X509Certificate(fs.readFileSync(caPath));
  } catch (err) {
    return `cannot read the simulator CA ${caPath}: ${(err as Error).message}`;
  }
  let bundle: string;
  try {
    bundle = fs.readFileSync(extra, 'utf8');
  } catch (err) {
    return `NODE_EXTRA_CA_CERTS names an unreadable file (${(err as Error).message}): ${TRUST_HINT}`;
  }
  // The variable may name a bundle: trust holds when any certificate in it is our CA.
  const pems = bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const trusted = pems.some((pem) => {
    try {
      return new X509Certificate(pem).fingerprint256 === ca.fingerprint256;
    } catch {
      return false;
    }
  });
  return trusted ? undefined : `NODE_EXTRA_CA_CERTS (${extra}) does not contain the simulator CA ${caPath} (regenerated since?): ${TRUST_HINT}`;
}

/**
 * The file NODE_EXTRA_CA_CERTS should name so the process trusts the simulator CA without losing
 * what the variable already adds (some machines point it at a system or proxy bundle): the CA
 * itself when nothing else is set, the current file when it already holds the CA, otherwise a
 * bundle of both written next to the CA.
 */
export function extraCaCertsFor(caPath: string, env: NodeJS.ProcessEnv = process.env): string {
  const current = env.NODE_EXTRA_CA_CERTS;
  if (!current || path.resolve(current) === path.resolve(caPath)) return caPath;
  if (simCaTrustProblem(caPath, env) === undefined) return current;
  let existing: string;
  try {
    existing = fs.readFileSync(current, 'utf8');
  } catch {
    return caPath; // An unreadable file adds nothing today; do not carry it forward.
  }
  const bundlePath = path.join(path.dirname(caPath), 'extra-ca-bundle.pem');
  const tmp = `${bundlePath}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${existing.trimEnd()}\n${fs.readFileSync(caPath, 'utf8')}`);
  fs.renameSync(tmp, bundlePath);
  return bundlePath;
}
