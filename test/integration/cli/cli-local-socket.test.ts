import { chmod, chown, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createGpuTestUser,
  describeWithParts,
  ensureBuilt,
  runLabdeck,
  startBrowserMode,
  startSshd,
  type BrowserMode,
  type GpuTestUser,
  type Sshd,
} from '../../harness';

/** sshd's VERBOSE log line for each accepted login. */
const LOGINS = /Accepted publickey/g;

describeWithParts(
  ['root', 'sshd', 'ssh-keygen'],
  'the labdeck CLI reuses a running `labdeck serve` over its local socket',
  () => {
    let sshd: Sshd;
    let user: GpuTestUser;
    let home: string;
    let runtime: string;
    let env: NodeJS.ProcessEnv;
    let serve: BrowserMode;

    const logins = async (): Promise<number> => ((await sshd.readLog()).match(LOGINS) ?? []).length;
    const socketDir = (): string => join(runtime, 'labdeck');
    const gpus = (extra: NodeJS.ProcessEnv = {}) =>
      runLabdeck(['gpus', 'lab1', '--json'], { ...env, LABDECK_DEBUG: '1', ...extra });

    beforeAll(async () => {
      await ensureBuilt();
      sshd = await startSshd();
      user = await createGpuTestUser('clisock');
      home = await mkdtemp(join(tmpdir(), 'labdeck-cli-sock-'));
      runtime = await mkdtemp(join(tmpdir(), 'labdeck-cli-xdg-'));
      await writeFile(
        join(home, 'known_hosts'),
        `[${sshd.host}]:${sshd.port} ${sshd.hostPublicKey}\n`,
      );
      env = { PATH: process.env.PATH, LABDECK_HOME: home, HOME: home, XDG_RUNTIME_DIR: runtime };
      serve = await startBrowserMode(env);
      const added = await runLabdeck(
        [
          'host',
          'add',
          'lab1',
          '--ssh',
          `${user.username}@${sshd.host}:${sshd.port}`,
          '--identity',
          user.privateKeyPath,
        ],
        { ...env, LABDECK_DEBUG: '1' },
      );
      expect(added.stderr).toContain('via running LabDeck');
      const connected = await runLabdeck(['host', 'connect', 'lab1'], env);
      expect(connected, connected.stderr).toMatchObject({ code: 0 });
    });

    afterAll(async () => {
      // The last test kills it with -9; stop() waits only for a server still running.
      if (serve?.child.signalCode === null) await serve.stop();
      await sshd?.stop();
      await user?.cleanUp();
      await user?.dispose();
      if (home) await rm(home, { recursive: true, force: true });
      if (runtime) await rm(runtime, { recursive: true, force: true });
    });

    it('`gpus lab1 --json` answers through the running server: no new SSH login', async () => {
      const before = await logins();
      expect(before).toBeGreaterThan(0);
      const via = await gpus();
      expect(via.code).toBe(0);
      expect(via.stderr).toMatch(/^labdeck: via running LabDeck \(.*app-[0-9a-f]{16}\.sock\)\n$/);
      expect(await logins()).toBe(before);
      const inProcess = await gpus({ LABDECK_NO_APP: '1' });
      expect(inProcess.code).toBe(0);
      expect(await logins()).toBe(before + 1);
      const names = (out: string) =>
        (JSON.parse(out) as { uuid: string; name: string }[]).map((g) => [g.uuid, g.name]);
      expect(names(via.stdout)).toEqual(names(inProcess.stdout));
      expect(names(via.stdout).map(([, name]) => name)).toEqual(user.gpuNames);
    });

    it('`gpus --all --json` through the running server lists the hosts it holds connected, with no login', async () => {
      const added = await runLabdeck(
        [
          'host',
          'add',
          'lab-idle',
          '--ssh',
          `${user.username}@${sshd.host}:${sshd.port}`,
          '--identity',
          user.privateKeyPath,
        ],
        env,
      );
      expect(added, added.stderr).toMatchObject({ code: 0 });
      const before = await logins();
      const all = await runLabdeck(['gpus', '--all', '--json'], { ...env, LABDECK_DEBUG: '1' });
      expect(all.code, all.stderr).toBe(0);
      expect(all.stderr).toContain('via running LabDeck');
      const rows = JSON.parse(all.stdout) as { host: string; name: string }[];
      // lab-idle is known to the server but not connected: it is not asked, so nothing logs in.
      expect(rows.map((r) => r.host)).toEqual(user.gpuNames.map(() => 'lab1'));
      expect(rows.map((r) => r.name)).toEqual(user.gpuNames);
      expect(await logins()).toBe(before);
      const removed = await runLabdeck(['host', 'rm', 'lab-idle'], env);
      expect(removed, removed.stderr).toMatchObject({ code: 0 });
    });

    it('refuses a socket in a group-writable directory, or of another user, and works in-process', async () => {
      await chmod(socketDir(), 0o770);
      try {
        const open = await gpus();
        expect(open.code).toBe(0);
        expect(open.stderr).toMatch(/in-process \(refused: .* open to other users \(mode 770\)\)/);
      } finally {
        await chmod(socketDir(), 0o700);
      }
      const [socket] = (await readdir(socketDir())).filter((f) => f.startsWith('app-'));
      const socketPath = join(socketDir(), socket!);
      await chown(socketPath, 65534, 65534);
      try {
        const theirs = await gpus();
        expect(theirs.code).toBe(0);
        expect(theirs.stderr).toMatch(/in-process \(refused: .* belongs to another user/);
      } finally {
        await chown(socketPath, 0, 0);
      }
      expect((await gpus()).stderr).toContain('via running LabDeck');
    });

    it('falls back at once from the stale socket of a server killed with -9', async () => {
      serve.child.kill('SIGKILL');
      await new Promise((resolve) => serve.child.once('exit', resolve));
      const stale = await gpus();
      expect(stale.code).toBe(0);
      expect(stale.stderr).toMatch(/in-process \([^\n]*ECONNREFUSED/);
    });
  },
);
