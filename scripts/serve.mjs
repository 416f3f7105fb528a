// `npm run serve [-- --port N --host A]`: builds what is missing or older than its sources, then
// runs `labdeck serve` in the foreground.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const OUTPUTS = ['out/cli/labdeck.js', 'out/renderer/index.html'];
const SOURCES = ['common', 'main', 'renderer', 'package.json'];

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function newest(path) {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const built = OUTPUTS.map(mtime);
const stale =
  built.some((t) => t === undefined) || Math.max(...SOURCES.map(newest)) > Math.min(...built);
if (stale) {
  console.log('Building LabDeck (first run or sources changed)…');
  const result = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const child = spawn(process.execPath, ['out/cli/labdeck.js', 'serve', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
