import { describe, expect, it } from 'vitest';
import type { GpuInventory } from '../../../../common/gpu/gpu';
import type { GpuSample } from '../../../../common/gpu/gpu-sample';
import { createGpusStore } from '../../../../renderer/src/features/gpus/gpus-store';
import { FakeClient } from '../../fake-client';

const INVENTORY: GpuInventory = {
  gpus: [],
  driverFailure: null,
  capturedAt: '2025-03-04T10:00:00.000Z',
};
const SAMPLE: GpuSample = {
  index: 0,
  uuid: 'GPU-aaaa',
  memoryUsedMiB: 1024,
  utilizationPct: 55,
  temperatureC: 61,
  powerW: 210.5,
};

describe('gpus store', () => {
  it('loads a host inventory, keeping the last one while a new one loads', async () => {
    const client = new FakeClient().succeed('gpus:list', INVENTORY);
    const store = createGpusStore(client);
    await store.getState().load('gpu-7');
    expect(store.getState().inventories['gpu-7']).toEqual({
      status: 'loaded',
      inventory: INVENTORY,
      error: null,
    });

    const failure = { code: 'agent-not-started', message: 'No agent.' };
    client.fail('gpus:list', failure);
    await store.getState().load('gpu-7');
    expect(store.getState().inventories['gpu-7']).toEqual({
      status: 'failed',
      inventory: INVENTORY,
      error: failure,
    });
  });

  it('shares one telemetry subscription between views and ends it after the last leaves', () => {
    const client = new FakeClient();
    const store = createGpusStore(client);
    const releaseA = store.getState().watch('gpu-7');
    const releaseB = store.getState().watch('gpu-7');
    expect(client.subscriptions()).toEqual([
      { topic: 'gpus:telemetry', params: { hostId: 'gpu-7' } },
    ]);
    releaseA();
    releaseA();
    expect(client.subscriptions()).toHaveLength(1);
    releaseB();
    expect(client.subscriptions()).toEqual([]);
  });

  it('records a refused subscription so the section can say live charts are off', () => {
    const failure = { code: 'nvidia-smi-missing', message: 'No nvidia-smi.' };
    const client = new FakeClient();
    const store = createGpusStore(client);
    store.getState().watch('gpu-7');
    client.endTopic('gpus:telemetry', { hostId: 'gpu-7' }, failure);
    expect(store.getState().watchErrors).toEqual({ 'gpu-7': failure });
    // A retry subscribes again, and its first tick clears the error.
    store.getState().watch('gpu-7');
    client.publish(
      'gpus:telemetry',
      { hostId: 'gpu-7' },
      { hostId: 'gpu-7', at: 1, gpus: [SAMPLE] },
    );
    expect(store.getState().watchErrors).toEqual({});
  });

  it("puts a host's ticks in per-GPU rings and bumps only that host's version", () => {
    const client = new FakeClient();
    const store = createGpusStore(client);
    const release = store.getState().watch('gpu-7');
    const tick = (at: number, sample: GpuSample) =>
      client.publish(
        'gpus:telemetry',
        { hostId: 'gpu-7' },
        { hostId: 'gpu-7', at, gpus: [sample] },
      );
    tick(1000, SAMPLE);
    tick(2000, { ...SAMPLE, utilizationPct: null });
    tick(2000, SAMPLE);
    expect(store.getState().versions).toEqual({ 'gpu-7': 2 });
    const ring = store.getState().history('gpu-7', 'GPU-aaaa');
    expect(ring?.points('utilizationPct')).toEqual([
      { at: 1000, value: 55 },
      { at: 2000, value: null },
    ]);
    expect(store.getState().history('gpu-8', 'GPU-aaaa')).toBeUndefined();
    release();
    expect(client.subscriptions()).toEqual([]);
  });
});
