import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createGpuTestUser,
  describeWithParts,
  CLI_BUNDLE,
  ensureBuilt,
  runLabdeck,
  until,
  startSshd,
  type GpuTestUser,
  type Sshd,
} from '../../harness';

/** The documented keys of `labdeck gpus --json`, in order. */
const GPU_JSON_KEYS = [
  'index',
  'uuid',
  'name',
  'memoryTotalMiB',
  'memoryUsedMiB',
  'utilizationPct',
  'temperatureC',
  'powerW',
  'migMode',
  'processes',
];

describeWithParts(
  ['root', 'sshd', 'ssh-keygen'],
  'the built labdeck CLI against a real SSH host',
  () => {
    let sshd: Sshd;
    let user: GpuTestUser;
    let home: string;
    let env: NodeJS.ProcessEnv;

    beforeAll(async () => {
      await ensureBuilt();
      sshd = await startSshd();
      user = await createGpuTestUser('cli');
      home = await mkdtemp(join(tmpdir(), 'labdeck-cli-ssh-'));
      // Trusted beforehand, as after a first interactive `host connect`: a script has no terminal to ask on.
      await writeFile(
        join(home, 'known_hosts'),
        `[${sshd.host}]:${sshd.port} ${sshd.hostPublicKey}\n`,
      );
      env = { PATH: process.env.PATH, LABDECK_HOME: home, HOME: home };
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
        env,
      );
      expect(added).toMatchObject({ code: 0, stdout: expect.stringContaining('Added lab1') });
    });

    afterAll(async () => {
      await sshd?.stop();
      await user?.cleanUp();
      await user?.dispose();
      if (home) await rm(home, { recursive: true, force: true });
    });

    it('`gpus lab1 --json` prints every GPU with exactly the documented keys', async () => {
      const result = await runLabdeck(['gpus', 'lab1', '--json'], env);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const gpus = JSON.parse(result.stdout) as Record<string, unknown>[];
      expect(gpus.map((g) => g.name)).toEqual(user.gpuNames);
      for (const gpu of gpus) expect(Object.keys(gpu)).toEqual(GPU_JSON_KEYS);
      expect(Object.keys((gpus[0]?.processes as object[])[0] ?? {})).toEqual([
        'pid',
        'usedMemoryMiB',
        'container',
        'user',
        'uid',
      ]);
    });

    it('`gpus lab1 --watch --json` streams one tick per line until Ctrl+C', async () => {
      const child = spawn(process.execPath, [CLI_BUNDLE, 'gpus', 'lab1', '--watch', '--json'], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      await until(
        'two ticks',
        async () => (out.split('\n').filter(Boolean).length >= 2 ? true : undefined),
        20_000,
      );
      const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      const ticks = out
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { hostId: string; gpus: unknown[] });
      expect(ticks[0]?.gpus).toHaveLength(user.gpuNames.length);
      // The typed name is resolved: every tick carries the host's id, as `host ls --json` shows it.
      const listed = await runLabdeck(['host', 'ls', '--json'], env);
      const id = (JSON.parse(listed.stdout) as { id: string; name: string }[]).find(
        (h) => h.name === 'lab1',
      )?.id;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Set(ticks.map((tick) => tick.hostId))).toEqual(new Set([id]));
    });

    it('`host check lab1` passes the connection steps and names the fix for what is missing', async () => {
      const result = await runLabdeck(['host', 'check', 'lab1'], env);
      for (const step of [
        'TCP connection',
        'Host key',
        'Authentication',
        'Probe',
        'Node runtime',
        'Agent start',
        'nvidia-smi',
      ]) {
        expect(result.stdout).toMatch(new RegExp(`ok\\s+${step}`));
      }
      expect(result.stdout).toMatch(/FAIL\s+Docker access\s+No Docker socket/);
      expect(result.stdout).toContain('fix: sudo apt-get install docker.io');
      // A host nobody set up: a warning naming the command, not a failure.
      expect(result.stdout).toMatch(/warn\s+Host setup\s+LabDeck is not set up on this host/);
      expect(result.stdout).toContain('fix: labdeck host setup lab1');
      expect(result.code).toBe(1);
    });

    it('`host check` stops at TCP for a port nobody listens on, skipping the rest', async () => {
      expect(
        (await runLabdeck(['host', 'add', 'down', '--ssh', `${user.username}@127.0.0.1:1`], env))
          .code,
      ).toBe(0);
      const result = await runLabdeck(['host', 'check', 'down', '--json'], env);
      const report = JSON.parse(result.stdout) as {
        steps: { step: string; status: string; fix?: string }[];
      };
      expect(report.steps[0]).toMatchObject({
        step: 'tcp',
        status: 'fail',
        fix: expect.stringContaining('nc -vz 127.0.0.1 1'),
      });
      expect(report.steps.slice(1).every((s) => s.status === 'skip')).toBe(true);
      expect(result.code).toBe(1);
    });

    it('fails without a terminal when the host key is unknown, saying what it needed', async () => {
      const other = await mkdtemp(join(tmpdir(), 'labdeck-cli-unknown-'));
      try {
        const otherEnv = { ...env, LABDECK_HOME: other };
        await runLabdeck(
          [
            'host',
            'add',
            'lab1',
            '--ssh',
            `${user.username}@${sshd.host}:${sshd.port}`,
            '--identity',
            user.privateKeyPath,
          ],
          otherEnv,
        );
        const result = await runLabdeck(['host', 'connect', 'lab1'], otherEnv);
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/lab1 presents a host key LabDeck does not know yet/);
        expect(result.stderr).toMatch(/no terminal to ask on/);
        expect(result.stderr).not.toMatch(/did not trust the key/);
      } finally {
        await rm(other, { recursive: true, force: true });
      }
    });
  },
);
