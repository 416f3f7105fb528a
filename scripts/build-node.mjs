// Bundles the Node programs that are not part of the Electron build: the `labdeck` CLI (which
// also serves browser mode) and the benchmark. Dependencies stay in node_modules (external).
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
};

await Promise.all([
  build({ ...common, entryPoints: { labdeck: 'main/cli/main.ts' }, outdir: 'out/cli' }),
  build({ ...common, entryPoints: { run: 'bench/run.ts' }, outdir: 'out/bench' }),
]);
