/**
 * Dereferences an OpenAPI file with swagger-parser and prints it as JSON on stdout, keeping shared
 * objects shared: an object reached more than once is written once into `shared` and referenced
 * as {"$shared": index}. It runs as a separate Node process because swagger-parser's $ref
 * resolver ships only as ES modules, which Jest's CommonJS runtime cannot load (before Node 24.9).
 * A local $ref that points nowhere (DocuSign's description has two, to an `offlineAttributes`
 * definition it lacks) is replaced by {"x-missing-ref": ref}: the rest still dereferences, and the
 * schema converter refuses to use that spot (see openapi-schema.ts).
 * Usage: node dereference-spec.cjs <spec.(yaml|json)[.gz]>
 */
'use strict';
const { readFileSync } = require('node:fs');
const { gunzipSync } = require('node:zlib');
const SwaggerParser = require('@apidevtools/swagger-parser');
const yaml = require('js-yaml');

const EXAMPLES = /\/examples?(\/|$)/;

/** The repository keeps the descriptions gzipped (contracts/); swagger-parser takes the parsed object. */
function readSpec(file) {
  const bytes = readFileSync(file);
  const text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  return /\.json(\.gz)?$/.test(file) ? JSON.parse(text) : yaml.load(text);
}

/** Replaces every local $ref whose target does not exist (outside examples, which are not dereferenced). */
function markMissingRefs(root) {
  const exists = (ref) => {
    let node = root;
    for (const raw of ref.slice(2).split('/')) {
      const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      if (node === null || typeof node !== 'object' || !(key in node)) return false;
      node = node[key];
    }
    return true;
  };
  const walk = (node) => {
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (EXAMPLES.test(`/${key}/`)) continue;
      const ref = value?.$ref;
      if (typeof ref === 'string' && ref.startsWith('#/') && !exists(ref)) node[key] = { 'x-missing-ref': ref };
      else walk(value);
    }
  };
  walk(root);
  return root;
}

function encodeShared(root) {
  const seen = new Map();
  const count = (node) => {
    if (node === null || typeof node !== 'object') return;
    seen.set(node, (seen.get(node) ?? 0) + 1);
    if (seen.get(node) === 1) Object.values(node).forEach(count);
  };
  count(root);

  const ids = new Map();
  const shared = [];
  const encode = (node) => {
    if (node === null || typeof node !== 'object') return node;
    if (seen.get(node) > 1) {
      let id = ids.get(node);
      if (id === undefined) {
        id = shared.length;
        ids.set(node, id);
        shared.push(null);
        shared[id] = copy(node);
      }
      return { $shared: id };
    }
    return copy(node);
  };
  const copy = (node) => (Array.isArray(node) ? node.map(encode) : Object.fromEntries(Object.entries(node).map(([k, v]) => [k, encode(v)])));
  return { root: copy(root), shared };
}

SwaggerParser.dereference(markMissingRefs(readSpec(process.argv[2])), {
  // Some examples hold $refs that point nowhere; examples are not part of the contract.
  dereference: { excludedPathMatcher: (p) => EXAMPLES.test(p) },
})
  .then((api) => process.stdout.write(JSON.stringify(encodeShared(api))))
  .catch((err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exitCode = 1;
  });
