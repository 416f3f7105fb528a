// Bundles the Node programs that are not part of the Electron build: the host agent, the
// `labdeck` CLI (which also serves browser mode) and the benchmark. For the CLI and benchmark,
// dependencies stay in node_modules (external); the agent inlines everything it uses.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Dependencies stay in node_modules, except zod: bundled, so its locales and unused schema
  // kinds are dropped and no ESM module graph is resolved at start (about 0.1 s a command).
  external: Object.keys({ ...packageJson.dependencies, ...packageJson.devDependencies }).filter(
    (name) => name !== 'zod',
  ),
  sourcemap: 'linked',
  logLevel: 'warning',
};

await Promise.all([
  // The host agent: one self-contained CommonJS file for any Node >= 18, nothing external.
  build({
    entryPoints: ['agent-bundle/main.ts'],
    outfile: 'out/agent/labdeck-agent.cjs',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  }),
  // Split at the command table's dynamic imports, so `labdeck version` loads no ssh2 or zod.
  // Chunks stay beside labdeck.js: code that finds out/agent and out/renderer from its own
  // import.meta.url must see the same folder whichever chunk it landed in.
  build({
    ...common,
    entryPoints: { labdeck: 'main/cli/main.ts' },
    outdir: 'out/cli',
    splitting: true,
    chunkNames: '[name]-[hash]',
  }),
  build({ ...common, entryPoints: { run: 'bench/run.ts' }, outdir: 'out/bench' }),
]);
