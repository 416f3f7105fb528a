import { spawn, spawnSync } from 'node:child_process';
import { chmod, chown, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../../common/contract/client';
import { createInProcessTransport } from '../../../main/bridge/in-process-transport';
import { writeFileAtomic } from '../../../main/fs/atomic-write';
import { withFileLock } from '../../../main/fs/file-lock';
import { MemorySecretStore } from '../../../main/secrets/secret-store';
import { createServices } from '../../../main/services';
import { defaultSettings } from '../../../main/settings/settings-schema';
import {
  SETTINGS_FILE,
  SETTINGS_LOCK_FILE,
  SettingsStore,
} from '../../../main/settings/settings-store';
import { haveParts } from '../../harness';
import { tempHome } from '../../support/temp-home';

/** The settings child program, bundled once, in a folder any user may read. */
let childBundle: string;
let childDir: string | undefined;

afterAll(() => childDir && rm(childDir, { recursive: true, force: true }));
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'labdeck-settings-child-'));
  childDir = dir;
  await chmod(dir, 0o755);
  childBundle = join(dir, 'child.mjs');
  await build({
    entryPoints: [join(import.meta.dirname, 'settings-child.ts')],
    outfile: childBundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
});

interface ChildRead {
  readonly port?: number;
  readonly notices?: string[];
  readonly raised?: string[];
  readonly error?: string;
  readonly message?: string;
  readonly stack?: string;
}

/** Runs the child once to its end and returns what it printed. */
function runChild(
  home: string,
  mode: string,
  wrapper: string[] = [],
  args: string[] = [],
): Promise<ChildRead> {
  const argv = [...wrapper, process.execPath, childBundle, home, mode, ...args];
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  // 'close', not 'exit': the child may have exited before its stdout was all read, and a parse of
  // half its output must fail the test, never leave it waiting for an answer that cannot come.
  return new Promise((resolveRun, reject) =>
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`child ${code}: ${err}`));
      try {
        resolveRun(JSON.parse(out) as ChildRead);
      } catch (error) {
        reject(new Error(`child printed no JSON (${String(error)}): ${out}\n${err}`));
      }
    }),
  );
}

/** Starts a child that keeps running; resolves once it has exited after `kill`. */
function startChild(home: string, mode: string) {
  const child = spawn(process.execPath, [childBundle, home, mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const ready = new Promise<void>((resolveReady) =>
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolveReady();
    }),
  );
  return {
    pid: child.pid!,
    ready,
    kill: async (signal: NodeJS.Signals = 'SIGKILL') => {
      child.kill(signal);
      await exited;
    },
  };
}

const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

async function corruptAside(home: string): Promise<string[]> {
  return (await readdir(home)).filter((f) => f.startsWith('settings.corrupt-'));
}

async function tempFiles(home: string): Promise<string[]> {
  return (await readdir(home)).filter((f) => f.endsWith('.tmp'));
}

describe('settings shared by several changes and processes', () => {
  it('saves all of ten hosts added at once on one connection', async () => {
    const home = await tempHome();
    const services = createServices({
      home,
      mode: 'cli',
      secrets: new MemorySecretStore(),
      env: { PATH: '', DOCKER_HOST: 'unix:///nonexistent.sock' },
    });
    const { transport, close } = createInProcessTransport(services);
    const client = createClient(transport);
    const names = Array.from({ length: 10 }, (_, i) => `lab${i}`);
    const results = await Promise.all(
      names.map((name) =>
        client.request('hosts:add', { name, user: 'ada', hostname: '127.0.0.1', port: 22 }),
      ),
    );
    expect(results.map((r) => r.ok)).toEqual(names.map(() => true));
    const listed = await client.request('hosts:list', {});
    close();
    await services.dispose();
    expect(listed.ok && listed.value.map((h) => h.name).sort()).toEqual(
      ['This computer', ...names].sort(),
    );
    const onDisk = JSON.parse(await readFile(join(home, SETTINGS_FILE), 'utf8')) as {
      hosts: { name: string }[];
    };
    expect(onDisk.hosts.map((h) => h.name).sort()).toEqual(names);
  });

  it('moves a corrupt file aside once when several processes read it at the same time', async () => {
    const home = await tempHome();
    const corrupt = '{"version": 2, "serve": {"port": ';
    await writeFile(join(home, SETTINGS_FILE), corrupt);
    const raisedHere: string[] = [];
    const [inChildren, inThisProcess] = await Promise.all([
      Promise.all(Array.from({ length: 6 }, () => runChild(home, 'read'))),
      Promise.all(
        Array.from({ length: 6 }, () =>
          new SettingsStore(home, (n) => raisedHere.push(n.id)).read(),
        ),
      ),
    ]);
    const aside = await corruptAside(home);
    expect(aside).toHaveLength(1);
    expect(await readFile(join(home, aside[0]!), 'utf8')).toBe(corrupt);
    // Everyone sees the same one notice and defaults; exactly one reader raised it.
    const notices = [
      ...inChildren.flatMap((r) => r.notices),
      ...inThisProcess.flatMap((s) => s.notices.map((n) => n.id)),
    ];
    expect(new Set(notices).size).toBe(1);
    expect(notices).toHaveLength(12);
    expect([...inChildren.flatMap((r) => r.raised), ...raisedHere]).toEqual([notices[0]]);
    expect([...inChildren.map((r) => r.port), ...inThisProcess.map((s) => s.serve.port)]).toEqual(
      Array.from({ length: 12 }, () => 4780),
    );
  }, 30_000);

  it('never moves aside a valid file written while readers of the corrupt one waited', async () => {
    const home = await tempHome();
    await writeFile(join(home, SETTINGS_FILE), 'not json');
    let readers: Promise<ChildRead[]> | undefined;
    await withFileLock(join(home, SETTINGS_LOCK_FILE), async () => {
      readers = Promise.all(Array.from({ length: 4 }, () => runChild(home, 'read')));
      await sleep(1_500); // the readers start, see the corrupt file and wait for the lock
      const repaired = { ...defaultSettings(), serve: { port: 5555 } };
      await writeFileAtomic(join(home, SETTINGS_FILE), JSON.stringify(repaired));
    });
    const seen = await readers!;
    expect(await corruptAside(home)).toEqual([]);
    expect(seen.map((r) => r.port)).toEqual([5555, 5555, 5555, 5555]);
    expect(JSON.parse(await readFile(join(home, SETTINGS_FILE), 'utf8')).serve.port).toBe(5555);
  }, 30_000);

  it('cleans up after a writer killed mid-write (kill -9): no temp file, no lock that blocks', async () => {
    const home = await tempHome();
    await new SettingsStore(home).read();
    let leftovers: string[] = [];
    for (let attempt = 0; attempt < 40 && leftovers.length === 0; attempt++) {
      const writer = startChild(home, 'update-loop');
      await sleep(300 + Math.random() * 200);
      await writer.kill('SIGKILL');
      leftovers = await tempFiles(home);
    }
    expect(leftovers.length).toBeGreaterThan(0); // reproduced: a real write was cut short
    const started = Date.now();
    const saved = await new SettingsStore(home).update((s) => ({ ...s, serve: { port: 7001 } }));
    expect(Date.now() - started).toBeLessThan(5_000); // a dead writer's lock is taken over at once
    expect(saved.serve.port).toBe(7001);
    expect(await tempFiles(home)).toEqual([]);
  }, 60_000);

  it('keeps a live writer’s temporary file and removes a dead or very old one', async () => {
    const home = await tempHome();
    const live = startChild(home, 'hold-temp');
    const dead = startChild(home, 'hold-temp');
    await Promise.all([live.ready, dead.ready]);
    await dead.kill();
    // Another machine sharing the home over NFS: its pid says nothing here, only age counts.
    const otherHost = `.settings.json.other-host-7-${dead.pid}-0a0b.tmp`;
    const oldOtherHost = `.settings.json.other-host-7-${dead.pid}-0c0d.tmp`;
    const freshLegacy = '.settings.json.a1b2c3d4e5f6.tmp';
    const freshLegacyPid = `.settings.json.${dead.pid}-0e0f.tmp`;
    const oldLegacy = '.settings.json.0f1e2d3c4b5a.tmp';
    for (const name of [otherHost, oldOtherHost, freshLegacy, freshLegacyPid, oldLegacy]) {
      await writeFile(join(home, name), '{');
    }
    const hourAgo = new Date(Date.now() - 60 * 60_000);
    await utimes(join(home, oldLegacy), hourAgo, hourAgo);
    await utimes(join(home, oldOtherHost), hourAgo, hourAgo);
    try {
      await new SettingsStore(home).read();
      expect((await tempFiles(home)).sort()).toEqual(
        [
          `.settings.json.${hostname()}-${live.pid}-0123abcd.tmp`,
          otherHost,
          freshLegacy,
          freshLegacyPid,
        ].sort(),
      );
    } finally {
      await live.kill();
    }
  });

  it('lets six processes race to break a dead holder’s lock, again and again, one holder at a time', async () => {
    const home = await tempHome();
    await writeFile(join(home, SETTINGS_FILE), JSON.stringify(defaultSettings()));
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    const stale = { pid: deadPid, host: hostname(), token: 'feedfacefeedfacefeedface' };
    await writeFile(join(home, SETTINGS_LOCK_FILE), JSON.stringify(stale));
    const log = join(home, 'lock.log');
    const at = String(Date.now() + 1_500); // all six are started by then, and go at once
    const children = 6;
    const addsEach = 10;
    await Promise.all(
      Array.from({ length: children }, () =>
        runChild(home, 'race-add', [], [log, at, String(addsEach), JSON.stringify(stale)]),
      ),
    );
    const lines = (await readFile(log, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(2 * children * addsEach);
    for (let i = 0; i < lines.length; i += 2) {
      // Never two enters in a row: each enter is followed by the same process's leave.
      expect(lines[i]).toMatch(/^enter \d+$/);
      expect(lines[i + 1]).toBe(lines[i]!.replace('enter', 'leave'));
    }
    const onDisk = JSON.parse(await readFile(join(home, SETTINGS_FILE), 'utf8')) as {
      hosts: { name: string }[];
    };
    expect(onDisk.hosts).toHaveLength(children * addsEach);
    expect(new Set(onDisk.hosts.map((h) => h.name)).size).toBe(children * addsEach);
    expect((await readdir(home)).filter((f) => f.includes('.lock'))).toEqual([]);
  }, 30_000);

  it.skipIf(!haveParts('root'))(
    'says in words that the settings file is not readable (chmod 000), without a stack',
    async () => {
      // Root reads any file, so the reader runs as `nobody`, for whom chmod 000 really denies.
      const home = await tempHome();
      await writeFile(join(home, SETTINGS_FILE), JSON.stringify(defaultSettings()));
      await chown(home, 65534, 65534);
      await chown(join(home, SETTINGS_FILE), 65534, 65534);
      await chmod(join(home, SETTINGS_FILE), 0o000);
      const seen = await runChild(home, 'read', [
        'setpriv',
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
      ]);
      expect(seen.error).toBe('settings-unreadable');
      expect(seen.message).toBe(
        `LabDeck cannot read its settings file ${join(home, SETTINGS_FILE)}: permission denied (EACCES).`,
      );
    },
  );
});
