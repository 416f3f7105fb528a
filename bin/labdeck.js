#!/usr/bin/env node
// The `labdeck` command: runs the CLI bundle built by `npm run build` (out/cli/labdeck.js).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../out/cli/labdeck.js', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write(
    'labdeck: the CLI is not built yet. Run `npm run build` in the LabDeck folder.\n',
  );
  process.exit(1);
}
await import(bundle);
