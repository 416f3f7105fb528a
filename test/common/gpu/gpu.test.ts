import { describe, expect, it } from 'vitest';
import { type Gpu, gpuInventorySchema, gpuJson, gpuSchema } from '../../../common/gpu/gpu';

const CONTAINER = 'f3c4a1b2d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f80';

/** The H100 of query-gpu-csv-allfields-h100-mig.txt and L-mig-h100.txt, with one process. */
const h100: Gpu = {
  index: 0,
  uuid: 'GPU-00000000-0000-0000-0000-000000000000',
  name: 'NVIDIA H100 80GB HBM3',
  pciBusId: '00000000:00:09.0',
  memoryTotalMiB: 81559,
  memoryUsedMiB: 11125,
  utilizationPct: null,
  temperatureC: 53,
  powerW: 433.78,
  migMode: 'enabled',
  migDevices: [{ uuid: 'MIG-00000000-0000-0000-0000-000000000000', profile: '3g.40gb', index: 0 }],
  processes: [
    {
      pid: 21198,
      usedMemoryMiB: 7484,
      container: { id: CONTAINER, name: null },
      user: 'alice',
      command: './gpu_burn',
    },
  ],
};

describe('gpuSchema', () => {
  it('accepts a real GPU, with legacy MIG UUIDs and compute-instance profiles', () => {
    expect(gpuSchema.parse(h100)).toEqual(h100);
    const legacy = {
      uuid: 'MIG-GPU-4200ccc0-2667-d4cb-9137-f932c716232a/2/0',
      profile: '1c.3g.71gb',
      index: 0,
    };
    expect(gpuSchema.safeParse({ ...h100, migDevices: [legacy] }).success).toBe(true);
  });

  it('refuses what nvidia-smi never gives', () => {
    for (const bad of [
      { uuid: 'MIG-00000000-0000-0000-0000-000000000000' },
      { utilizationPct: 101 },
      { memoryUsedMiB: 1.5 },
      { migMode: 'Enabled' },
      { processes: [{ ...h100.processes[0], container: { id: 'abc123', name: null } }] },
    ]) {
      expect(gpuSchema.safeParse({ ...h100, ...bad }).success).toBe(false);
    }
  });

  it('an inventory may carry GPUs and a driver failure at once', () => {
    const inventory = {
      gpus: [h100],
      driverFailure: { code: 'gpu-device-unreachable', message: 'GPU 1 is gone.', hint: 'Reboot.' },
      capturedAt: '2026-07-14T09:00:44.742Z',
    };
    expect(gpuInventorySchema.parse(inventory)).toEqual(inventory);
    expect(gpuInventorySchema.safeParse({ ...inventory, capturedAt: 'yesterday' }).success).toBe(
      false,
    );
  });
});

describe('gpuJson', () => {
  it('has exactly the stable keys, in order, and drops the rest', () => {
    const json = gpuJson(h100);
    expect(Object.keys(json)).toEqual([
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
    ]);
    expect(json.processes).toEqual([
      {
        pid: 21198,
        usedMemoryMiB: 7484,
        container: { id: CONTAINER, name: null },
        user: 'alice',
        uid: null,
      },
    ]);
    const named = gpuJson({ ...h100, processes: [{ ...h100.processes[0]!, uid: 1001 }] });
    expect(Object.keys(named.processes[0]!)).toEqual([
      'pid',
      'usedMemoryMiB',
      'container',
      'user',
      'uid',
    ]);
    expect(named.processes[0]!.uid).toBe(1001);
  });

  it('keeps null where the GPU does not say', () => {
    const quiet: Gpu = {
      ...h100,
      memoryTotalMiB: null,
      powerW: null,
      migMode: null,
      processes: [],
    };
    expect(gpuJson(quiet)).toMatchObject({
      memoryTotalMiB: null,
      powerW: null,
      utilizationPct: null,
      migMode: null,
    });
    expect(JSON.parse(JSON.stringify(gpuJson(quiet)))).toHaveProperty('powerW', null);
  });
});
