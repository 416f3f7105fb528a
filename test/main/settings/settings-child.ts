/**
 * A separate LabDeck process for the settings tests: bundled with esbuild by the test and run
 * with node, so several real processes share one settings folder (LABDECK_HOME) as the app,
 * browser mode and the CLI do. Prints one JSON line per result on stdout.
 *
 *   node child.mjs HOME read          read once, print the port and the notices raised
 *   node child.mjs HOME update-loop   change the port forever (killed by the test)
 *   node child.mjs HOME hold-temp     leave a temporary file of its own, print "ready", wait
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SettingsStore } from '../../../main/settings/settings-store';

const [home, mode] = process.argv.slice(2);
if (!home || !mode) throw new Error('usage: child HOME read|update-loop|hold-temp');
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
  await writeFile(join(home!, `.settings.json.${process.pid}-0123abcd.tmp`), '{"half": ');
  print('ready');
  setInterval(() => {}, 60_000);
}

if (mode === 'read') await readOnce();
else if (mode === 'update-loop') await updateForever();
else if (mode === 'hold-temp') await holdTemp();
else throw new Error(`unknown mode ${mode}`);
