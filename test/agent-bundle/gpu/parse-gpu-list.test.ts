import { describe, expect, it } from 'vitest';
import { type ListedGpu, parseGpuList } from '../../../agent-bundle/gpu/parse-gpu-list';
import { readNvidiaSmiCapture } from '../../harness/fake-nvidia-smi';

/** The parsed list of a capture (fails the test when it does not parse). */
async function listOf(file: string): Promise<readonly ListedGpu[]> {
  const result = parseGpuList(await readNvidiaSmiCapture(file));
  expect(result.ok).toBe(true);
  return result.ok ? result.value : [];
}

const masked = (n: number, kind = 'MIG') => `${kind}-0000000${n}-0000-0000-0000-00000000000${n}`;

describe('parseGpuList on real -L captures', () => {
  it('8 GPUs without MIG (Quadro RTX 8000)', async () => {
    const gpus = await listOf('L-8x-quadro-rtx8000.txt');
    expect(gpus.map((gpu) => gpu.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(gpus[7]).toEqual({
      index: 7,
      name: 'Quadro RTX 8000',
      uuid: 'GPU-9f690c37-bb84-1e1a-1e4a-3dbfd1b1015c',
      migDevices: [],
    });
  });

  it('MIG devices in the MIG-<uuid> form, under their GPU (H100)', async () => {
    const [gpu, ...rest] = await listOf('L-mig-h100.txt');
    expect(rest).toEqual([]);
    expect(gpu?.name).toBe('NVIDIA H100 80GB HBM3');
    expect(gpu?.migDevices).toEqual([
      { index: 0, profile: '3g.40gb', uuid: 'MIG-00000000-0000-0000-0000-000000000000' },
      { index: 1, profile: '2g.20gb', uuid: masked(1) },
      { index: 2, profile: '1g.10gb', uuid: masked(2) },
      { index: 3, profile: '1g.10gb', uuid: masked(3) },
    ]);
  });

  it('compute-instance profiles such as 1c.3g.71gb (H200)', async () => {
    const [gpu] = await listOf('L-mig-h200-ci-profiles.txt');
    expect(gpu?.migDevices.map((device) => device.profile)).toEqual([
      '1c.3g.71gb',
      '2c.3g.71gb',
      '2g.35gb',
      '1g.18gb',
      '1g.18gb',
    ]);
  });

  it('legacy MIG-GPU-<uuid>/<gi>/<ci> UUIDs and a name without "NVIDIA " (driver 450)', async () => {
    const [gpu] = await listOf('L-mig-a100-legacy-uuid-450.txt');
    expect(gpu?.name).toBe('A100-SXM4-40GB');
    expect(gpu?.migDevices).toEqual([
      { index: 0, profile: '3g.20gb', uuid: 'MIG-GPU-4200ccc0-2667-d4cb-9137-f932c716232a/2/0' },
      { index: 1, profile: '2g.10gb', uuid: 'MIG-GPU-4200ccc0-2667-d4cb-9137-f932c716232a/3/0' },
      { index: 2, profile: '1g.5gb', uuid: 'MIG-GPU-4200ccc0-2667-d4cb-9137-f932c716232a/9/0' },
    ]);
  });

  it('a host mixing MIG and non-MIG GPUs keeps each MIG device under its own GPU', async () => {
    const gpus = await listOf('L-mig-a100-4gpu-partial-mig.txt');
    expect(gpus.map((gpu) => [gpu.index, gpu.migDevices.length])).toEqual([
      [0, 4],
      [1, 0],
      [2, 0],
      [3, 0],
    ]);
    expect(gpus[1]?.uuid).toBe('GPU-d8594bd4-0fc3-8595-e355-7c98138f3b95');
  });
});

describe('parseGpuList refuses what it does not know', () => {
  it('a line that is neither a GPU nor a MIG device, naming line and text', () => {
    const result = parseGpuList(
      'GPU 0: Tesla T4 (UUID: GPU-1b2c3d4e-0000-0000-0000-000000000000)\nWARNING: infoROM is corrupted\n',
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'gpu-list-unreadable' } });
    if (!result.ok) expect(result.error.message).toContain('line 2: expected "GPU <n>');
    if (!result.ok) expect(result.error.message).toContain('found "WARNING: infoROM is corrupted"');
  });

  it('a MIG device before any GPU, and a GPU listed twice', () => {
    const mig = '  MIG 1g.10gb     Device  0: (UUID: MIG-00000000-0000-0000-0000-000000000000)';
    const gpu = 'GPU 0: NVIDIA H100 (UUID: GPU-00000000-0000-0000-0000-000000000000)';
    expect(parseGpuList(`${mig}\n${gpu}\n`)).toMatchObject({ ok: false });
    expect(parseGpuList(`${gpu}\n${gpu}\n`)).toMatchObject({ ok: false });
  });

  it('reads "No devices were found" as no GPUs', () => {
    expect(parseGpuList('No devices were found\n')).toEqual({ ok: true, value: [] });
  });
});
