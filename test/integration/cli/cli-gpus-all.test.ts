import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GPU_QUERY_FIELDS } from '../../../agent-bundle/gpu/nvidia-smi-query';
import {
  CLI_BUNDLE,
  createGpuTestUser,
  describeWithParts,
  ensureBuilt,
  queryCsvFromTextReport,
  runLabdeck,
  startSshd,
  type GpuTestUser,
  type Sshd,
  until,
} from '../../harness';
import { readNvidiaSmiCapture, selectCaptureColumns } from '../../harness/fake-nvidia-smi';

/** Three redraws at 1 Hz, after the first connect of both hosts on a loaded runner. */
const WATCH_LINES_TIMEOUT_MS = 60_000;

/** The keys of one `gpus --all --json` row, in order. */
const LAB_GPU_JSON_KEYS = [
  'hostId',
  'host',
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
  'availability',
  'freeShare',
];

describeWithParts(
  ['root', 'sshd', 'ssh-keygen'],
  '`labdeck gpus --all` across real SSH hosts',
  () => {
    let sshd: Sshd;
    let eight: GpuTestUser;
    let hidden: GpuTestUser;
    let home: string;
    let env: NodeJS.ProcessEnv;

    const add = async (name: string, user: GpuTestUser, port = sshd.port): Promise<void> => {
      const ssh = `${user.username}@${sshd.host}:${port}`;
      const added = await runLabdeck(
        ['host', 'add', name, '--ssh', ssh, '--identity', user.privateKeyPath],
        env,
      );
      expect(added.code, added.stderr).toBe(0);
    };

    beforeAll(async () => {
      await ensureBuilt();
      sshd = await startSshd();
      // An 8-GPU H100 host, as its `nvidia-smi -q` report shows it: all idle.
      eight = await createGpuTestUser('all8', {
        gpus: queryCsvFromTextReport(await readNvidiaSmiCapture('q-text-8xh100.txt')),
        apps: '',
      });
      // The H100 under load, but no process it can see (another container's PID namespace).
      hidden = await createGpuTestUser('allhid', {
        gpus: selectCaptureColumns(
          await readNvidiaSmiCapture('query-gpu-csv-allfields-h100-mig.txt'),
          GPU_QUERY_FIELDS,
        ),
        apps: '',
      });
      home = await mkdtemp(join(tmpdir(), 'labdeck-cli-all-'));
      await writeFile(
        join(home, 'known_hosts'),
        `[${sshd.host}]:${sshd.port} ${sshd.hostPublicKey}\n`,
      );
      env = { PATH: process.env.PATH, LABDECK_HOME: home, HOME: home, LABDECK_NO_APP: '1' };
      await add('lab-eight', eight);
      await add('lab-hidden', hidden);
    });

    afterAll(async () => {
      await sshd?.stop();
      for (const user of [eight, hidden]) {
        await user?.cleanUp();
        await user?.dispose();
      }
      if (home) await rm(home, { recursive: true, force: true });
    });

    it('prints one row per GPU of every host, memory in GiB, free share and who uses it', async () => {
      const result = await runLabdeck(['gpus', '--all'], env);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const [header, ...rows] = result.stdout.trim().split('\n');
      expect(header).toMatch(/^HOST\s+GPU\s+MODEL\s+MEMORY\s+UTIL\s+TEMP\s+FREE\s+USED BY$/);
      expect(rows).toHaveLength(9);
      expect(rows.filter((row) => row.startsWith('lab-eight'))).toHaveLength(8);
      expect(rows[0]).toMatch(
        /^lab-eight\s+0\s+NVIDIA H100 80GB HBM3\s+0\.0 \/ 79\.6 GiB\s+0 %\s+29 °C\s+1\.0\s+free$/,
      );
      const busy = rows.find((row) => row.startsWith('lab-hidden'));
      expect(busy).toMatch(/10\.9 \/ 79\.6 GiB\s+-\s+\d+ °C\s+0\.0\s+busy, no visible process$/);
      expect(result.stdout).not.toContain('MiB');
    });

    it('--json keeps MiB, adds host, availability and a decimal-string free share', async () => {
      const result = await runLabdeck(['gpus', '--all', '--json'], env);
      expect(result.code).toBe(0);
      const rows = JSON.parse(result.stdout) as Record<string, unknown>[];
      expect(rows).toHaveLength(9);
      for (const row of rows) expect(Object.keys(row)).toEqual(LAB_GPU_JSON_KEYS);
      expect(rows[0]).toMatchObject({
        host: 'lab-eight',
        index: 0,
        memoryTotalMiB: 81_559,
        memoryUsedMiB: 0,
        availability: 'free',
        freeShare: '1.0',
      });
      expect(rows.find((row) => row.host === 'lab-hidden')).toMatchObject({
        memoryUsedMiB: 11_125,
        processes: [],
        availability: 'busy-unseen',
        freeShare: '0.0',
      });
    });

    it('names a host it could not reach on stderr, still prints the others, and exits 1', async () => {
      await add('lab-down', eight, 1);
      const result = await runLabdeck(['gpus', '--all'], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^lab-down:\nerror: /);
      expect(result.stdout.trim().split('\n')).toHaveLength(10);
      expect((await runLabdeck(['host', 'rm', 'lab-down'], env)).code).toBe(0);
    });

    it('--watch --json prints one line a second with every GPU, until Ctrl+C ends it with 0', async () => {
      const child = spawn(process.execPath, [CLI_BUNDLE, 'gpus', '--all', '--watch', '--json'], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const lines: { at: number; gpus: { host: string; utilizationPct: number | null }[] }[] = [];
      let buffered = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        buffered += chunk;
        const complete = buffered.split('\n');
        buffered = complete.pop() ?? '';
        for (const line of complete) if (line !== '') lines.push(JSON.parse(line));
      });
      const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
      await until(
        'three redraws of gpus --all --watch --json',
        async () => (lines.length >= 3 ? true : undefined),
        WATCH_LINES_TIMEOUT_MS,
      );
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      for (const line of lines) expect(line.gpus).toHaveLength(9);
      expect(lines[2]!.at).toBeGreaterThan(lines[0]!.at);
      expect(new Set(lines[0]!.gpus.map((g) => g.host))).toEqual(
        new Set(['lab-eight', 'lab-hidden']),
      );
    });

    it('refuses a HOST next to --all as a usage error', async () => {
      const result = await runLabdeck(['gpus', 'lab-eight', '--all'], env);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--all');
    });
  },
);
