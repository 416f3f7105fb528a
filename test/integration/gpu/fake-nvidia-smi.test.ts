import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyDriverFailure } from '../../../agent-bundle/gpu/classify-driver-failure';
import {
  computeAppsArgv,
  GPU_QUERY_FIELDS,
  COMPUTE_APPS_FIELDS,
  gpuListArgv,
  gpuQueryArgv,
  NVIDIA_SMI,
  telemetryArgv,
} from '../../../agent-bundle/gpu/nvidia-smi-query';
import { parseComputeApps } from '../../../agent-bundle/gpu/parse-compute-apps';
import { parseGpuCsv } from '../../../agent-bundle/gpu/parse-gpu-csv';
import { parseGpuList } from '../../../agent-bundle/gpu/parse-gpu-list';
import { type TelemetryTick, telemetryTicks } from '../../../agent-bundle/gpu/telemetry-lines';
import {
  installFakeNvidiaSmi,
  readNvidiaSmiCapture,
  selectCaptureColumns,
} from '../../harness/fake-nvidia-smi';

const run = promisify(execFile);

/** Runs `nvidia-smi` from PATH as the agent will; resolves with how it ended, never rejects. */
async function nvidiaSmi(dir: string, argv: readonly string[]) {
  const env = { ...process.env, PATH: `${dir}${delimiter}${process.env.PATH ?? ''}` };
  try {
    const { stdout, stderr } = await run(NVIDIA_SMI, [...argv], { env });
    return { exitCode: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { exitCode: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('fake nvidia-smi replaying real H100 captures', () => {
  let dir: string;
  let gpus: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'labdeck-fake-smi-'));
    const allFields = await readNvidiaSmiCapture('query-gpu-csv-allfields-h100-mig.txt');
    const apps = await readNvidiaSmiCapture('query-compute-apps-csv-h100-mig.txt');
    gpus = selectCaptureColumns(allFields, GPU_QUERY_FIELDS);
    await installFakeNvidiaSmi(dir, {
      gpus,
      list: await readNvidiaSmiCapture('L-mig-h100.txt'),
      apps: selectCaptureColumns(apps, COMPUTE_APPS_FIELDS),
    });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("answers LabDeck's GPU query with the capture, which parses", async () => {
    const result = await nvidiaSmi(dir, gpuQueryArgv());
    expect(result).toEqual({ exitCode: 0, stdout: gpus, stderr: '' });
    expect(parseGpuCsv(result.stdout)).toMatchObject({
      ok: true,
      value: [{ memoryUsedMiB: 11125, migMode: 'enabled' }],
    });
  });

  it('answers -L and the compute-apps query', async () => {
    const list = parseGpuList((await nvidiaSmi(dir, gpuListArgv())).stdout);
    expect(list.ok && list.value[0]?.migDevices).toHaveLength(4);
    const apps = parseComputeApps((await nvidiaSmi(dir, computeAppsArgv())).stdout);
    expect(apps.ok && apps.value.map((app) => app.pid)).toEqual([21180, 21181, 21198]);
  });

  it('exits 2 with a message for any argv it does not know', async () => {
    for (const argv of [
      ['-q'],
      ['--query-gpu=index,uuid', '--format=csv'],
      [...gpuQueryArgv(), '-l', '1'],
    ]) {
      const result = await nvidiaSmi(dir, argv);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain('fake nvidia-smi: unknown arguments');
    }
  });

  it('repeats the capture every period with -lms, until killed', async () => {
    const child = spawn(join(dir, 'nvidia-smi'), [...telemetryArgv(50)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const ticks: TelemetryTick[] = [];
    for await (const result of telemetryTicks(child.stdout, { gpuCount: 1 })) {
      if (!result.ok) throw new Error(result.error.message);
      ticks.push(result.value);
      if (ticks.length === 3) break;
    }
    // Still running after three periods; it ends on SIGTERM (or on EPIPE, the reader being gone).
    expect(child.exitCode).toBeNull();
    child.kill('SIGTERM');
    await new Promise((resolve) =>
      child.exitCode === null ? child.once('exit', resolve) : resolve(null),
    );
    expect(ticks.map((tick) => tick.gpus[0]?.powerW)).toEqual([433.78, 433.78, 433.78]);
    expect((ticks[2]?.at ?? 0) - (ticks[0]?.at ?? 0)).toBeGreaterThanOrEqual(80);
  });
});

describe('fake nvidia-smi replaying a driver failure', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'labdeck-fake-smi-'));
    const stderr = await readNvidiaSmiCapture('error-nvml-version-mismatch.txt');
    await installFakeNvidiaSmi(dir, { gpus: '', failure: { stderr, exitCode: 18 } });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prints the failure for every known command, and the classifier names it', async () => {
    for (const argv of [gpuQueryArgv(), gpuListArgv(), computeAppsArgv(), telemetryArgv()]) {
      const result = await nvidiaSmi(dir, argv);
      expect(result.exitCode).toBe(18);
      expect(classifyDriverFailure(result)?.code).toBe('gpu-nvml-version-mismatch');
    }
  });

  it('still exits 2 for unknown argv, so a changed query is noticed before the failure', async () => {
    expect((await nvidiaSmi(dir, ['--query-gpu=name'])).exitCode).toBe(2);
  });

  it('exits 2 when asked for a capture it was not given', async () => {
    const bare = await mkdtemp(join(tmpdir(), 'labdeck-fake-smi-'));
    await installFakeNvidiaSmi(bare, { gpus: '' });
    const result = await nvidiaSmi(bare, gpuListArgv());
    expect(result).toMatchObject({
      exitCode: 2,
      stderr: 'fake nvidia-smi: no -L capture is installed\n',
    });
    await rm(bare, { recursive: true, force: true });
  });
});
