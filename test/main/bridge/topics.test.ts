import { describe, expect, it } from 'vitest';
import { createClient, type Client } from '../../../common/contract/client';
import type { AppError } from '../../../common/contract/result';
import type { GpuTick } from '../../../common/gpu/gpu-sample';
import { Dispatcher } from '../../../main/bridge/dispatcher';
import { EventHub } from '../../../main/bridge/event-hub';
import type {
  Handlers,
  RequestHandlers,
  StreamHandlers,
  TopicHandlers,
  TopicSink,
} from '../../../main/bridge/handlers';
import { createInProcessTransport } from '../../../main/bridge/in-process-transport';
import { sharedTopic } from '../../../main/bridge/shared-topic';

/** Host names and the ids they resolve to, as `hosts.get` would. */
const IDS: Readonly<Record<string, string>> = { 'lab-a': 'id-a', 'id-a': 'id-a', 'id-b': 'id-b' };

/**
 * Services with one real topic, `gpus:telemetry`, fed by a source per host the test drives by
 * hand: `sources` holds the running ones, so a test sees what the host would be running.
 */
function telemetryServices(refuse?: AppError) {
  const sources = new Map<string, TopicSink<GpuTick>>();
  const starts: string[] = [];
  const topic = sharedTopic<{ readonly hostId: string }, GpuTick>({
    key: async ({ hostId: id }) => {
      const resolved = IDS[id];
      if (!resolved) throw new Error(`no host ${id}`);
      return resolved;
    },
    start: async (hostId, _params, sink) => {
      starts.push(hostId);
      await Promise.resolve();
      if (refuse) throw Object.assign(new Error(refuse.message), refuse);
      sources.set(hostId, sink);
      return () => sources.delete(hostId);
    },
  });
  const handlers: Handlers = {
    requests: {} as RequestHandlers,
    streams: {} as StreamHandlers,
    // Only the topic under test; the others are never subscribed here.
    topics: { 'gpus:telemetry': topic } as Partial<TopicHandlers> as TopicHandlers,
  };
  const services = { dispatcher: new Dispatcher(handlers), events: new EventHub() };
  const connect = (): { client: Client; close(): void } => {
    const { transport, close } = createInProcessTransport(services);
    return { client: createClient(transport), close };
  };
  const tick = (hostId: string, at: number): void =>
    sources.get(hostId)?.emit({ hostId, at, gpus: [] });
  return { sources, starts, connect, tick };
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

describe('topic subscriptions', () => {
  it("sends a host's events only to the clients listening to that host", async () => {
    const { connect, tick } = telemetryServices();
    const one = connect();
    const two = connect();
    const seenByOne: string[] = [];
    const seenByTwo: string[] = [];
    one.client.listen(
      'gpus:telemetry',
      { hostId: 'id-a' },
      { event: (t) => seenByOne.push(t.hostId) },
    );
    two.client.listen(
      'gpus:telemetry',
      { hostId: 'id-b' },
      { event: (t) => seenByTwo.push(t.hostId) },
    );
    await settle();
    tick('id-a', 1);
    tick('id-b', 1);
    tick('id-a', 2);
    await settle();
    expect(seenByOne).toEqual(['id-a', 'id-a']);
    expect(seenByTwo).toEqual(['id-b']);
  });

  it('shares one source per host, asked by name or id, and stops it with the last client', async () => {
    const { connect, sources, starts } = telemetryServices();
    const byName = connect();
    const byId = connect();
    byName.client.listen('gpus:telemetry', { hostId: 'lab-a' }, { event: () => {} });
    byId.client.listen('gpus:telemetry', { hostId: 'id-a' }, { event: () => {} });
    await settle();
    expect(starts).toEqual(['id-a']);
    byName.close(); // a closed tab: it never said unlisten
    await settle();
    expect([...sources.keys()]).toEqual(['id-a']);
    byId.close();
    await settle();
    expect([...sources.keys()]).toEqual([]);
  });

  it('stops a source that was still starting when its only client went away', async () => {
    const { connect, sources, starts } = telemetryServices();
    const tab = connect();
    tab.client.listen('gpus:telemetry', { hostId: 'id-a' }, { event: () => {} });
    await Promise.resolve();
    tab.close();
    await settle();
    expect(starts).toEqual(['id-a']);
    expect([...sources.keys()]).toEqual([]);
  });

  it('unlisten ends only that subscription; the client can listen again', async () => {
    const { connect, sources, tick } = telemetryServices();
    const { client } = connect();
    const seen: number[] = [];
    const unlisten = client.listen(
      'gpus:telemetry',
      { hostId: 'id-a' },
      { event: (t) => seen.push(t.at) },
    );
    await settle();
    tick('id-a', 1);
    await settle();
    unlisten();
    await settle();
    expect(sources.size).toBe(0);
    client.listen('gpus:telemetry', { hostId: 'id-a' }, { event: (t) => seen.push(t.at) });
    await settle();
    tick('id-a', 2);
    await settle();
    expect(seen).toEqual([1, 2]);
  });

  it('ends a refused subscription at the client with the reason, and a bad one with the field', async () => {
    const refusal = { code: 'nvidia-smi-missing', message: 'No nvidia-smi on this host.' };
    const { connect } = telemetryServices(refusal);
    const { client } = connect();
    const ends: (AppError | undefined)[] = [];
    client.listen(
      'gpus:telemetry',
      { hostId: 'id-a' },
      { event: () => {}, end: (e) => ends.push(e) },
    );
    client.listen('gpus:telemetry', { hostId: '' }, { event: () => {}, end: (e) => ends.push(e) });
    await settle();
    expect(ends).toContainEqual(expect.objectContaining({ code: 'invalid-input' }));
    const invalid = ends.find((e) => e?.code === 'invalid-input');
    expect(invalid?.message).toMatch(/^Invalid parameters of gpus:telemetry: hostId: /);
    expect(ends).toContainEqual(
      expect.objectContaining({ message: expect.stringContaining('No nvidia-smi') }),
    );
  });

  it("ends every listener when the host's source ends, and the next listener starts afresh", async () => {
    const { connect, sources, starts } = telemetryServices();
    const { client } = connect();
    const ends: (AppError | undefined)[] = [];
    client.listen(
      'gpus:telemetry',
      { hostId: 'id-a' },
      { event: () => {}, end: (e) => ends.push(e) },
    );
    await settle();
    const lost = { code: 'agent-disconnected', message: 'The host went away.' };
    sources.get('id-a')?.end(lost);
    await settle();
    expect(ends).toEqual([lost]);
    client.listen('gpus:telemetry', { hostId: 'id-a' }, { event: () => {} });
    await settle();
    expect(starts).toEqual(['id-a', 'id-a']);
  });
});
