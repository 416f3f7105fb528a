import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Client } from '../../../common/contract/client';
import { NODE_RUNTIME_VERSION } from '../../../main/agent/node-runtime';
import type { Services } from '../../../main/services';
import {
  createGpuTestUser,
  describeWithParts,
  ensureBuilt,
  REPO_ROOT,
  startSshd,
  stopAgents,
  testServices,
  until,
  type GpuTestUser,
  type Sshd,
} from '../../harness';

const run = promisify(execFile);
/** Fetching and gzipping a runtime from the npm registry on a 2-core runner. */
const FETCH_TIMEOUT_MS = 180_000;
/** What the probe and the uploads need on a host: a POSIX userland without `node`. */
const TOOLS = [
  'sh',
  'uname',
  'id',
  'df',
  'awk',
  'mkdir',
  'cat',
  'mv',
  'rm',
  'wc',
  'tr',
  'gzip',
  'chmod',
  'ls',
  'sha256sum',
];

describeWithParts(
  ['root', 'sshd', 'ssh-keygen'],
  'a host without Node gets the pushed runtime',
  () => {
    let sshd: Sshd;
    let user: GpuTestUser;
    let home: string;
    let services: Services;
    let client: Client;
    const steps: string[] = [];

    beforeAll(async () => {
      await ensureBuilt();
      await run(process.execPath, ['scripts/fetch-node-runtimes.mjs', 'x64'], {
        cwd: REPO_ROOT,
        timeout: FETCH_TIMEOUT_MS,
      });
      sshd = await startSshd();
      user = await createGpuTestUser('nonode');
      const tools = join(user.home, 'tools');
      await rm(tools, { recursive: true, force: true });
      await mkdir(tools);
      for (const tool of TOOLS)
        await symlink(`/usr/bin/${tool}`, join(tools, tool)).catch(() =>
          symlink(`/bin/${tool}`, join(tools, tool)),
        );
      // PATH without /usr/bin or /bin: `command -v node` finds nothing, as on a bare server.
      await writeFile(join(user.home, '.bashrc'), 'export PATH="$HOME/bin:$HOME/tools"\n');
      await run('chown', ['-R', `${user.uid}:${user.gid}`, tools, join(user.home, '.bashrc')]);
      home = await mkdtemp(join(tmpdir(), 'labdeck-nonode-'));
      ({ services, client } = testServices(home));
      client.on('host:updated', (h) => {
        if (h.connection.phase === 'connecting') steps.push(h.connection.step);
      });
      const added = await client.request('hosts:add', {
        name: 'bare',
        user: user.username,
        hostname: sshd.host,
        port: sshd.port,
        identityFile: user.privateKeyPath,
      });
      expect(added.ok).toBe(true);
    }, FETCH_TIMEOUT_MS + 60_000);

    afterAll(async () => {
      await services?.dispose();
      await sshd?.stop();
      await user?.cleanUp();
      await user?.dispose();
      if (home) await rm(home, { recursive: true, force: true });
    });

    const runtimePath = () =>
      join(user.home, '.cache/labdeck/node', `v${NODE_RUNTIME_VERSION}-linux-x64`, 'bin/node');

    it('uploads Node with progress, then runs the agent on it', async () => {
      const connected = await client.request('hosts:connect', { hostId: 'bare' });
      expect(connected).toMatchObject({ ok: true, value: { connection: { phase: 'connected' } } });
      expect(steps.some((s) => /^uploading Node 22\.\d+\.\d+: \d+ %$/.test(s))).toBe(true);
      expect(steps).toContain(`uploading Node ${NODE_RUNTIME_VERSION}: 100 %`);
      const { stdout } = await run(runtimePath(), ['--version']);
      expect(stdout.trim()).toBe(`v${NODE_RUNTIME_VERSION}`);
      const inventory = await client.request('gpus:list', { hostId: 'bare' });
      expect(inventory.ok && inventory.value.gpus.map((g) => g.name)).toEqual(user.gpuNames);
      const info = await (await services.hosts.get('bare')).agent();
      expect(info.hello.node).toBe(`v${NODE_RUNTIME_VERSION}`);
    }, 120_000);

    it('reuses the cached runtime on the next connect', async () => {
      const before = await stat(runtimePath());
      steps.length = 0;
      await client.request('hosts:disconnect', { hostId: 'bare' });
      expect(await client.request('hosts:connect', { hostId: 'bare' })).toMatchObject({ ok: true });
      expect(steps.some((s) => s.startsWith('uploading'))).toBe(false);
      expect((await stat(runtimePath())).ino).toBe(before.ino);
    });

    it('pushes a damaged cached runtime again instead of running it', async () => {
      const size = (await stat(runtimePath())).size;
      await client.request('hosts:disconnect', { hostId: 'bare' });
      await stopAgents(user.username);
      // The stopped daemon may still hold the binary for a moment (ETXTBSY).
      await until('the runtime is free to damage', () =>
        truncate(runtimePath(), Math.floor(size / 2)).then(
          () => true,
          () => undefined,
        ),
      );
      steps.length = 0;
      const connected = await client.request('hosts:connect', { hostId: 'bare' });
      expect(connected).toMatchObject({ ok: true, value: { connection: { phase: 'connected' } } });
      expect(steps).toContain(`uploading Node ${NODE_RUNTIME_VERSION}: 100 %`);
      expect((await stat(runtimePath())).size).toBe(size);
      const info = await (await services.hosts.get('bare')).agent();
      expect(info.hello.node).toBe(`v${NODE_RUNTIME_VERSION}`);
    }, 120_000);
  },
);
