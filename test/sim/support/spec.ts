/**
 * Okta's OpenAPI description, dereferenced by swagger-parser. The parser runs in a child Node
 * process (see dereference-spec.cjs for why); shared schema objects come back shared, so a schema
 * referenced from many places is one object here too, as it would be in-process.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

/** The repository's copy of Okta's description (source and version in contracts/README.md). */
export const SPEC_PATH = path.resolve(__dirname, '../../../contracts/okta/management.yaml.gz');

const CHILD = path.join(__dirname, 'dereference-spec.cjs');

export async function loadDereferencedSpec(specPath = SPEC_PATH): Promise<Record<string, unknown>> {
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
