/**
 * A vendor's API description from contracts/, dereferenced by swagger-parser. The parser runs in a
 * child Node process (see dereference-spec.cjs for why); shared schema objects come back shared, so
 * a schema referenced from many places is one object here too, as it would be in-process.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const CONTRACTS = path.resolve(__dirname, '../../../contracts');

/** The repository's copies of the vendors' descriptions (sources and versions in contracts/README.md). */
export const SPEC_PATHS = {
  okta: path.join(CONTRACTS, 'okta/management.yaml.gz'),
  /** The part of @octokit/openapi's ghec.json that the simulator serves (contracts/github/extract.cjs). */
  github: path.join(CONTRACTS, 'github/ghec.subset.json.gz'),
  docusign: path.join(CONTRACTS, 'docusign/esignature.rest.swagger-v2.1.json.gz'),
} as const;

const CHILD = path.join(__dirname, 'dereference-spec.cjs');

export async function loadDereferencedSpec(specPath: string): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(process.execPath, [CHILD, specPath], { maxBuffer: 256 << 20 });
  return decodeShared(JSON.parse(stdout) as Encoded) as Record<string, unknown>;
}

interface Encoded {
  root: unknown;
  shared: unknown[];
}

function decodeShared(encoded: Encoded): unknown {
  const built = new Map<number, object>();
  const fill = (target: Record<string, unknown> | unknown[], source: object): object => {
    for (const [k, v] of Object.entries(source)) (target as Record<string, unknown>)[k] = decode(v);
    return target;
  };
  const decode = (node: unknown): unknown => {
    if (node === null || typeof node !== 'object') return node;
    const id = (node as { $shared?: unknown }).$shared;
    if (typeof id !== 'number') return fill(Array.isArray(node) ? [] : {}, node);
    let out = built.get(id);
    if (!out) {
      const source = encoded.shared[id] as object;
      out = Array.isArray(source) ? [] : {};
      built.set(id, out);
      fill(out as Record<string, unknown>, source);
    }
    return out;
  };
  return decode(encoded.root);
}
