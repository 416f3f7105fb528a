/**
 * A separate LabDeck process for the settings tests: bundled with esbuild by the test and run
 * with node, so several real processes share one settings folder (LABDECK_HOME) as the app,
 * browser mode and the CLI do. Prints one JSON line per result on stdout.
 *
 *   node child.mjs HOME read          read once, print the port and the notices raised
 *   node child.mjs HOME update-loop   change the port forever (killed by the test)
 *   node child.mjs HOME hold-temp     leave a temporary file of its own, print "ready", wait
 *   node child.mjs HOME race-add LOG AT N STALE
 *                                     at time AT (ms since the epoch), add N hosts, each one
 *                                     under the settings lock, logging `enter`/`leave <pid>`
 *                                     lines to LOG while holding it; before each, leave the
 *                                     lock file STALE (a dead holder's) if there is none; print
 *                                     "done"
 */
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../main/fs/atomic-write';
import { withFileLock } from '../../../main/fs/file-lock';
import {
  SETTINGS_FILE,
  SETTINGS_LOCK_FILE,
  SettingsStore,
} from '../../../main/settings/settings-store';

const [home, mode] = process.argv.slice(2);
if (!home || !mode) throw new Error('usage: child HOME read|update-loop|hold-temp|race-add');
const raised: string[] = [];
const store = new SettingsStore(home, (notice) => raised.push(notice.id));
const print = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value)}\n`);

async function readOnce(): Promise<void> {
  try {
    const settings = await store.read();
    print({ port: settings.serve.port, notices: settings.notices.map((n) => n.id), raised });
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    print({ error: code, message, stack: (error as Error).stack });
  }
}

async function updateForever(): Promise<never> {
  for (let port = 5000; ; port = port === 6000 ? 5000 : port + 1) {
    await store.update((s) => ({ ...s, serve: { port } }));
  }
}

async function holdTemp(): Promise<void> {
  await writeFile(
    join(home!, `.settings.json.${hostname()}-${process.pid}-0123abcd.tmp`),
    '{"half": ',
  );
  print('ready');
  setInterval(() => {}, 60_000);
}

/**
 * The lock is taken directly (not through SettingsStore.update) so that `leave` is logged before
 * it is released; the read-change-write of settings.json inside is the store's, by hand.
 */
async function raceAdd(log: string, at: number, count: number, stale: string): Promise<void> {
  const lockPath = join(home!, SETTINGS_LOCK_FILE);
  await new Promise((resolveWait) => setTimeout(resolveWait, at - Date.now()));
  for (let i = 0; i < count; i++) {
    // As if a holder had been killed: so every round starts with a lock to break.
    await writeFile(lockPath, stale, { flag: 'wx' }).catch(() => {});
    await withFileLock(lockPath, async () => {
      await appendFile(log, `enter ${process.pid}\n`);
      const path = join(home!, SETTINGS_FILE);
      const settings = JSON.parse(await readFile(path, 'utf8')) as { hosts: unknown[] };
      const name = `p${process.pid}-${i}`;
      settings.hosts.push({ name, user: 'ada', hostname: '127.0.0.1', port: 22 });
      await writeFileAtomic(path, JSON.stringify(settings));
      await appendFile(log, `leave ${process.pid}\n`);
    });
  }
  print('done');
}

if (mode === 'read') await readOnce();
else if (mode === 'update-loop') await updateForever();
else if (mode === 'hold-temp') await holdTemp();
else if (mode === 'race-add') {
  const [log, at, count, stale] = process.argv.slice(4);
  await raceAdd(log!, Number(at), Number(count), stale!);
} else throw new Error(`unknown mode ${mode}`);
