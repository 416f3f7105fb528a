import { describe, expect, it } from 'vitest';
import type { Result } from '../../../../common/contract/result';
import type { GpuInventory } from '../../../../common/gpu/gpu';
import type { GpuSample } from '../../../../common/gpu/gpu-sample';
import { createGpusStore } from '../../../../renderer/src/features/gpus/gpus-store';
import { deferred, FakeClient } from '../../fake-client';

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

const channels = (client: FakeClient) => client.requests.map((r) => r.channel);

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

  it('shares one watch between views and unwatches after the last one leaves', async () => {
    const client = new FakeClient()
      .succeed('gpus:watch', { watchId: 'w1' })
      .succeed('gpus:unwatch', {});
    const store = createGpusStore(client);
    const releaseA = store.getState().watch('gpu-7');
    const releaseB = store.getState().watch('gpu-7');
    await Promise.resolve();
    releaseA();
    releaseA();
    expect(channels(client)).toEqual(['gpus:watch']);
    releaseB();
    expect(client.requests.at(-1)).toEqual({ channel: 'gpus:unwatch', input: { watchId: 'w1' } });
  });

  it('unwatches once the watch answers when the view left while it was on its way', async () => {
    const reply = deferred<Result<{ watchId: string }>>();
    const client = new FakeClient()
      .answer('gpus:watch', () => reply.promise)
      .succeed('gpus:unwatch', {});
    const store = createGpusStore(client);
    store.getState().watch('gpu-7')();
    expect(channels(client)).toEqual(['gpus:watch']);
    reply.resolve({ ok: true, value: { watchId: 'w9' } });
    await reply.promise;
    await Promise.resolve();
    expect(client.requests.at(-1)).toEqual({ channel: 'gpus:unwatch', input: { watchId: 'w9' } });
  });

  it('records a failed watch so the section can say live charts are off', async () => {
    const failure = { code: 'nvidia-smi-missing', message: 'No nvidia-smi.' };
    const client = new FakeClient().fail('gpus:watch', failure);
    const store = createGpusStore(client);
    store.getState().watch('gpu-7');
    await Promise.resolve();
    await Promise.resolve();
    expect(store.getState().watchErrors).toEqual({ 'gpu-7': failure });
  });

  it('puts ticks in per-GPU rings and bumps only the version of their host', () => {
    const client = new FakeClient();
    const store = createGpusStore(client);
    const unsubscribe = store.getState().listen();
    client.emit('gpu:sampled', { hostId: 'gpu-7', at: 1000, gpus: [SAMPLE] });
    client.emit('gpu:sampled', {
      hostId: 'gpu-7',
      at: 2000,
      gpus: [{ ...SAMPLE, utilizationPct: null }],
    });
    client.emit('gpu:sampled', { hostId: 'gpu-7', at: 2000, gpus: [SAMPLE] });
    expect(store.getState().versions).toEqual({ 'gpu-7': 2 });
    const ring = store.getState().history('gpu-7', 'GPU-aaaa');
    expect(ring?.points('utilizationPct')).toEqual([
      { at: 1000, value: 55 },
      { at: 2000, value: null },
    ]);
    expect(store.getState().history('gpu-8', 'GPU-aaaa')).toBeUndefined();
    unsubscribe();
    expect(client.listenerCount('gpu:sampled')).toBe(0);
  });
});
