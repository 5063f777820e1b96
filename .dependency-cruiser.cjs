/**
 * The layout's rule, held by CI (`npm run lint:deps`): imports run down the layers of the README's
 * Layout, never up, and no module imports itself through a circle. `sim/` (the simulated services)
 * is for tests, scripts, benchmarks and the CLI's `sim` commands only.
 */
// Highest first; a folder may import only from folders on a later line.
const LAYERS = [['cli', 'scripts', 'bench'], ['worker'], ['workflows'], ['activities'], ['client'], ['config'], ['domain']];

const folders = (list) => `^(${list.join('|')})/`;
const upward = LAYERS.slice(1).map((layer, i) => ({
  name: `no-upward-from-${layer.join('-')}`,
  comment: `${layer.join(', ')} sits below ${LAYERS.slice(0, i + 1)
    .flat()
    .join(', ')}: move the shared code down instead.`,
  severity: 'error',
  from: { path: folders(layer) },
  to: { path: folders(LAYERS.slice(0, i + 1).flat()) },
}));

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'An import circle: break it by moving the shared part down a layer.', severity: 'error', from: {}, to: { circular: true } },
    ...upward,
    {
      name: 'no-sim-in-product',
      comment: "The simulators are for tests, scripts, benchmarks and the CLI's sim commands; the product talks to the real services.",
      severity: 'error',
      from: { path: folders(['worker', 'workflows', 'activities', 'client', 'config', 'domain']) },
      to: { path: '^sim/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|contracts|test/replay/histories)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.cjs', '.json'] },
  },
};
