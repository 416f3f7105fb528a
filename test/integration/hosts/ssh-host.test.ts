import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Client } from '../../../common/contract/client';
import type { HostSummary } from '../../../common/hosts/host-summary';
import type { GpuTick } from '../../../common/gpu/gpu-sample';
import { loadAgentBundle } from '../../../main/agent/agent-bundle-file';
import type { Services } from '../../../main/services';
import {
  AGENT_BUNDLE,
  createGpuTestUser,
  describeWithParts,
  ensureBuilt,
  startSshd,
  testServices,
  type Sshd,
  type GpuTestUser,
  until,
} from '../../harness';

const run = promisify(execFile);
/** The command line of the host's telemetry loop: `nvidia-smi --query-gpu=… -lms 1000`. */
const TELEMETRY_LOOP = 'nvidia-smi.* -lms [0-9]+$';
/** Keepalives give up within 10 s of silence (see KEEPALIVE_INTERVAL_MS); 3 s of slack for a busy runner. */
const STALL_NOTICED_WITHIN_MS = 13_000;

describeWithParts(
  ['root', 'sshd', 'ssh-keygen'],
  'an SSH host end to end: connect, agent, GPUs',
  () => {
    let sshd: Sshd;
    let user: GpuTestUser;
    let home: string;
    let services: Services;
    let client: Client;
    let host: HostSummary;
    let expectedNames: string[];

    beforeAll(async () => {
      await ensureBuilt();
      sshd = await startSshd();
      user = await createGpuTestUser('gpu');
      home = await mkdtemp(join(tmpdir(), 'labdeck-e2e-ssh-'));
      expectedNames = [...user.gpuNames];
      ({ services, client } = testServices(home));
      const added = await client.request('hosts:add', {
        name: 'gpu-node',
        user: user.username,
        hostname: sshd.host,
        port: sshd.port,
        identityFile: user.privateKeyPath,
      });
      if (!added.ok) throw new Error(added.error.message);
      host = added.value;
    });

    afterAll(async () => {
      await services?.dispose();
      await sshd?.stop();
      await user?.cleanUp();
      await user?.dispose();
      if (home) await rm(home, { recursive: true, force: true });
    });

    it('connects through a noisy .bashrc, pushes the agent and reports the probe', async () => {
      expect(host.connection.phase).toBe('idle');
      const connected = await client.request('hosts:connect', { hostId: 'gpu-node' });
      expect(connected).toMatchObject({ ok: true, value: { connection: { phase: 'connected' } } });
      if (!connected.ok) return;
      expect(connected.value.docker.state).not.toBe('unknown'); // the probe ran
      const bundle = await loadAgentBundle(AGENT_BUNDLE);
      const uploaded = await stat(join(user.home, '.cache/labdeck/agent', bundle.fileName));
      expect(uploaded.size).toBe(bundle.bytes.byteLength);
      expect(uploaded.uid).toBe(user.uid);
    });

    it('lists the GPUs from nvidia-smi on the host', async () => {
      const inventory = await client.request('gpus:list', { hostId: 'gpu-node' });
      expect(inventory.ok).toBe(true);
      if (!inventory.ok) return;
      expect(inventory.value.driverFailure).toBeNull();
      expect(inventory.value.gpus.map((g) => g.name)).toEqual(expectedNames);
      expect(inventory.value.gpus[0]?.migDevices.length).toBeGreaterThan(0);
      expect(inventory.value.gpus[0]?.processes.length).toBeGreaterThan(0);
    });

    it('uploads nothing on a second connect', async () => {
      const bundle = await loadAgentBundle(AGENT_BUNDLE);
      const path = join(user.home, '.cache/labdeck/agent', bundle.fileName);
      const before = await stat(path);
      await client.request('hosts:disconnect', { hostId: 'gpu-node' });
      expect(await client.request('hosts:connect', { hostId: 'gpu-node' })).toMatchObject({
        ok: true,
      });
      const after = await stat(path);
      expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    });

    it('streams 1 Hz telemetry, by the id, to a listener and stops when it unlistens', async () => {
      const ticks: GpuTick[] = [];
      const ended: unknown[] = [];
      const unlisten = client.listen(
        'gpus:telemetry',
        { hostId: 'gpu-node' },
        { event: (tick) => ticks.push(tick), end: (error) => ended.push(error) },
      );
      await until(
        'two telemetry ticks',
        async () => (ticks.length >= 2 ? true : undefined),
        15_000,
      );
      expect(ticks[0]?.gpus.length).toBe(expectedNames.length);
      // Asked by name, answered with the host's id: what the renderer and scripts key by.
      expect(ticks.map((tick) => tick.hostId)).toEqual(ticks.map(() => host.id));
      expect(host.id).not.toBe('gpu-node');
      unlisten();
      expect(ended).toEqual([]);
      await until('the telemetry process to stop', async () => {
        const { stdout } = await run('pgrep', [
          '-u',
          user.username,
          '-f',
          '--',
          TELEMETRY_LOOP,
        ]).catch(() => ({
          stdout: '',
        }));
        return stdout.trim() === '' ? true : undefined;
      });
    });

    it('reconnects by itself after the server restarts', async () => {
      const states: string[] = [];
      const off = client.on(
        'host:updated',
        (h) => h.id === host.id && states.push(h.connection.phase),
      );
      await sshd.restart();
      await until(
        'reconnected',
        async () =>
          states.includes('reconnecting') && states.at(-1) === 'connected' ? true : undefined,
        30_000,
      );
      off();
      expect(await client.request('gpus:list', { hostId: 'gpu-node' })).toMatchObject({ ok: true });
    });

    it('notices a stalled link within about ten seconds and reconnects', async () => {
      expect(await client.request('hosts:connect', { hostId: 'gpu-node' })).toMatchObject({
        ok: true,
      });
      // Freeze the server side of the session (as a dead Wi-Fi or a sleeping laptop would):
      // the TCP connection stays open, but nothing answers the keepalives any more.
      const { stdout } = await run('pgrep', ['-u', user.username, '-f', `^sshd: ${user.username}`]);
      const sessionPids = stdout.trim().split('\n').filter(Boolean);
      expect(sessionPids.length).toBeGreaterThan(0);
      const seen: { phase: string; at: number }[] = [];
      const off = client.on('host:updated', (h) => {
        if (h.id === host.id) seen.push({ phase: h.connection.phase, at: Date.now() });
      });
      const frozenAt = Date.now();
      await run('kill', ['-STOP', ...sessionPids]);
      try {
        await until(
          'the stall to be noticed',
          async () =>
            seen.some((s) => s.phase === 'stalled' || s.phase === 'reconnecting')
              ? true
              : undefined,
          20_000,
        );
        const noticed = seen.find((s) => s.phase === 'stalled' || s.phase === 'reconnecting')!;
        expect(noticed.at - frozenAt).toBeLessThan(STALL_NOTICED_WITHIN_MS);
        await until(
          'reconnected',
          async () => (seen.at(-1)?.phase === 'connected' ? true : undefined),
          30_000,
        );
      } finally {
        await run('kill', ['-CONT', ...sessionPids]).catch(() => undefined);
        await run('kill', ['-TERM', ...sessionPids]).catch(() => undefined);
        off();
      }
      expect(await client.request('gpus:list', { hostId: 'gpu-node' })).toMatchObject({ ok: true });
    });
  },
);
