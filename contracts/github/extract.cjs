/**
 * Writes contracts/github/ghec.subset.json.gz: the part of GitHub's OpenAPI description (the
 * `generated/ghec.json` of the npm package @octokit/openapi, GitHub Enterprise Cloud) that the
 * GitHub simulator serves. The whole file is 14 MB (1 MB gzipped) and the package 28 MB; the
 * subset keeps, unchanged, the path items listed below (every method of each) and every component
 * they reference, directly or not. The output is deterministic: the same ghec.json gives the same bytes.
 *
 * Usage (see contracts/README.md for the version in use):
 *   npm pack @octokit/openapi@<version>   # in a scratch directory
 *   tar xzf octokit-openapi-<version>.tgz package/generated/ghec.json
 *   node contracts/github/extract.cjs <scratch>/package/generated/ghec.json
 */
'use strict';
const { createHash } = require('node:crypto');
const { readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { gzipSync } = require('node:zlib');

/** The paths the simulator serves (its route table: sim/github/routes.ts). Add one here when it serves another. */
const PATHS = [
  '/user',
  '/users/{username}',
  '/user/{account_id}',
  '/orgs/{org}/memberships/{username}',
  '/orgs/{org}/credential-authorizations',
  '/scim/v2/organizations/{org}/Users',
  '/scim/v2/organizations/{org}/Users/{scim_user_id}',
  '/rate_limit',
];

const OUT = path.join(__dirname, 'ghec.subset.json.gz');

function main(file) {
  if (!file) throw new Error('usage: node contracts/github/extract.cjs <path to @octokit/openapi generated/ghec.json>');
  const bytes = readFileSync(file);
  const api = JSON.parse(bytes.toString('utf8'));
  const paths = {};
  for (const p of PATHS) {
    if (!api.paths[p]) throw new Error(`ghec.json has no path ${p}`);
    paths[p] = api.paths[p];
  }
  const components = {};
  const seen = new Set();
  const visit = (node) => {
    if (node === null || typeof node !== 'object') return;
    if (typeof node.$ref === 'string' && !seen.has(node.$ref)) {
      seen.add(node.$ref);
      const m = /^#\/components\/([^/]+)\/([^/]+)$/.exec(node.$ref);
      if (!m) throw new Error(`unexpected $ref ${node.$ref}`);
      const [, kind, name] = m;
      const target = api.components[kind]?.[name];
      if (target === undefined) throw new Error(`$ref ${node.$ref} points nowhere`);
      (components[kind] ??= {})[name] = target;
      visit(target);
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(paths);
  const sorted = Object.fromEntries(
    Object.keys(components)
      .sort()
      .map((kind) => [kind, Object.fromEntries(Object.keys(components[kind]).sort().map((n) => [n, components[kind][n]]))]),
  );
  const subset = {
    openapi: api.openapi,
    info: {
      ...api.info,
      'x-subset-of': { file: 'generated/ghec.json', sha256: createHash('sha256').update(bytes).digest('hex'), paths: PATHS },
    },
    servers: api.servers,
    paths,
    components: sorted,
  };
  // zlib writes no file name and a zero mtime: the same input gives the same bytes.
  writeFileSync(OUT, gzipSync(`${JSON.stringify(subset, null, 1)}\n`, { level: 9 }));
  process.stdout.write(`wrote ${path.relative(process.cwd(), OUT)}: ${PATHS.length} paths, ${seen.size} components, from ${subset.info['x-subset-of'].sha256}\n`);
}

main(process.argv[2]);
