import { describe, expect, it } from 'vitest';
import { createClient } from '../../../common/contract/client';
import type { AppError } from '../../../common/contract/result';
import { STREAM_WINDOW_BYTES } from '../../../common/contract/wire';
import { createInProcessTransport } from '../../../main/bridge/in-process-transport';
import { patternByte } from '../../../main/diag/loopback-stream';
import { MemorySecretStore } from '../../../main/secrets/secret-store';
import { createServices } from '../../../main/services';
import { tempHome } from '../../support/temp-home';

async function connect() {
  const services = createServices({
    home: await tempHome(),
    mode: 'cli',
    secrets: new MemorySecretStore(),
    env: { PATH: '', DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
  });
  const { transport, close } = createInProcessTransport(services);
  return { services, client: createClient(transport), transport, close };
}

describe('bridge requests', () => {
  it('answers a request with its typed value', async () => {
    const { client } = await connect();
    const info = await client.request('app:get-info', {});
    expect(info).toMatchObject({ ok: true, value: { mode: 'cli', secretsPersistent: false } });
  });

  it('refuses bad input naming the field and the rule, without calling the handler', async () => {
    const { client } = await connect();
    const result = await client.request('hosts:refresh', { hostId: '' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid-input');
    expect(result.error.message).toMatch(/^Invalid input to hosts:refresh: hostId: .*>=1/);
  });

  it('reports an unknown channel instead of throwing', async () => {
    const { transport } = await connect();
    const result = await transport.request('hosts:format-disk', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
  });

  it('passes a service failure through with its code and hint', async () => {
    const { client } = await connect();
    const result = await client.request('hosts:refresh', { hostId: 'nope' });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'host-not-found',
        message: expect.stringContaining('"nope"'),
        hint: expect.stringContaining('labdeck host ls'),
      },
    });
  });

  it('fails pending requests when the connection closes, so nothing waits forever', async () => {
    const { client, close } = await connect();
    const pending = client.request('hosts:list', {});
    close();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'bridge-disconnected' } });
  });
});

describe('bridge events', () => {
  it('delivers subscribed events and stops after unsubscribe', async () => {
    const { client, services } = await connect();
    const seen: string[] = [];
    const off = client.on('app:notice-raised', (n) => seen.push(n.id));
    await client.request('app:ping', {}); // the subscription is in place once a later request is answered
    services.events.emit('app:notice-raised', { id: 'a', level: 'info', message: 'hello' });
    await client.request('app:ping', {});
    off();
    await client.request('app:ping', {});
    services.events.emit('app:notice-raised', { id: 'b', level: 'info', message: 'again' });
    await client.request('app:ping', {});
    expect(seen).toEqual(['a']);
  });
});

function collect(
  client: Awaited<ReturnType<typeof connect>>['client'],
  generateBytes: number,
  autoAck: boolean,
) {
  const chunks: Uint8Array[] = [];
  let ended: ((e?: AppError) => void) | undefined;
  const done = new Promise<AppError | undefined>((resolve) => (ended = resolve));
  const control = client.openStream(
    'diag:loopback',
    { generateBytes },
    {
      data(bytes) {
        chunks.push(bytes);
        if (autoAck) control.ack(bytes.byteLength);
      },
      end: (error) => ended?.(error),
    },
  );
  const received = () => chunks.reduce((n, c) => n + c.byteLength, 0);
  return { control, chunks, done, received };
}

describe('bridge streams', () => {
  it('delivers every byte in order when the consumer keeps up', async () => {
    const { client } = await connect();
    const total = 3 * STREAM_WINDOW_BYTES + 123;
    const stream = collect(client, total, true);
    stream.control.write(new TextEncoder().encode('echo'));
    await new Promise((r) => setTimeout(r, 50));
    stream.control.close();
    const all = Buffer.concat(stream.chunks);
    expect(all.byteLength).toBe(total + 4);
    for (let i = 0; i < total; i += 997) expect(all[i]).toBe(patternByte(i));
    expect(all.subarray(total).toString()).toBe('echo');
  });

  it('stops sending at the credit window until the consumer acknowledges', async () => {
    const { client } = await connect();
    const stream = collect(client, 8 * STREAM_WINDOW_BYTES, false);
    await new Promise((r) => setTimeout(r, 100));
    const before = stream.received();
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThanOrEqual(STREAM_WINDOW_BYTES + 64 * 1024);
    stream.control.ack(before);
    await new Promise((r) => setTimeout(r, 100));
    expect(stream.received()).toBeGreaterThan(before);
    expect(stream.received()).toBeLessThanOrEqual(before + STREAM_WINDOW_BYTES + 64 * 1024);
    stream.control.close();
  });

  it('ends a stream with a clear error when its input is invalid', async () => {
    const { client } = await connect();
    const stream = collect(client, -1, true);
    expect(await stream.done).toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('generateBytes'),
    });
  });
});
