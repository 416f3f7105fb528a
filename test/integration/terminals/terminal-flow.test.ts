import { afterAll, beforeAll, expect, it } from 'vitest';
import { STREAM_CHUNK_BYTES, STREAM_WINDOW_BYTES } from '../../../common/contract/wire';
import {
  describeWithParts,
  startSessionHost,
  until,
  type SessionHost,
  type SessionUser,
} from '../../harness';

/** Bytes the flood test pushes through the whole path. */
const FLOOD_BYTES = 200_000_000;
/**
 * What main may grow by while 200 MB flow through it: the bridge's window, the SSH channel's,
 * a few chunk copies and the garbage collector's slack — never the stream itself.
 */
const MAIN_MEMORY_CEILING_BYTES = 96 * 1024 * 1024;

describeWithParts(
  ['root', 'sshd', 'dockerd', 'busybox'],
  "terminal flow control: a flood never outgrows the reader's window",
  () => {
    let host: SessionHost;
    let ada: SessionUser;

    beforeAll(async () => {
      host = await startSessionHost(1);
      ada = await host.addUser('flow-ada');
    });

    afterAll(async () => {
      await host?.stop();
    });

    async function hostTerminal(): Promise<string> {
      const opened = await ada.client.request('terminals:open', {
        target: { kind: 'host', hostId: 'lab' },
        cols: 120,
        rows: 40,
      });
      if (!opened.ok) throw new Error(opened.error.message);
      return opened.value.id;
    }

    it('stops sending when the reader stops granting credit, and goes on when it does', async () => {
      const id = await hostTerminal();
      let received = 0;
      let text = '';
      let granting = true;
      const control = ada.client.openStream(
        'terminals:attach',
        { id },
        {
          data: (bytes) => {
            received += bytes.byteLength;
            if (text.length < 4096) text += Buffer.from(bytes).toString();
            if (granting) control.ack(bytes.byteLength);
          },
          end: () => undefined,
        },
      );
      await until('a prompt', async () => received > 0 || undefined, 20_000);
      granting = false;
      const before = received;
      control.write(new TextEncoder().encode('yes\r'));
      // The window runs out and the agent, then `yes` itself, stop: nothing more arrives.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const stalled = received;
      expect(stalled - before).toBeLessThanOrEqual(STREAM_WINDOW_BYTES + STREAM_CHUNK_BYTES);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(received).toBe(stalled);
      // Granting again lets it flow.
      granting = true;
      control.ack(STREAM_WINDOW_BYTES);
      await until(
        'more output',
        async () => received > stalled + 4 * STREAM_WINDOW_BYTES || undefined,
        20_000,
      );
      control.write(new Uint8Array([3])); // Ctrl-C
      control.close();
      const closed = await ada.client.request('terminals:close', { id });
      expect(closed.ok && closed.value.closed).toBe(true);
    });

    it('carries 200 MB to a reader while main stays under its memory ceiling', async () => {
      const id = await hostTerminal();
      let received = 0;
      let tail = '';
      const control = ada.client.openStream(
        'terminals:attach',
        { id },
        {
          data: (bytes) => {
            received += bytes.byteLength;
            tail = (tail + Buffer.from(bytes).toString('latin1')).slice(-200);
            control.ack(bytes.byteLength);
          },
          end: () => undefined,
        },
      );
      await until('a prompt', async () => received > 0 || undefined, 20_000);
      global.gc?.();
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 50);
      const start = received;
      control.write(
        new TextEncoder().encode(
          `head -c ${FLOOD_BYTES} /dev/zero | tr '\\0' x; echo; echo "flood-$((4*5))-done"\r`,
        ),
      );
      try {
        await until(
          'the end of the flood',
          async () => tail.includes('flood-20-done') || undefined,
          240_000,
        );
      } finally {
        clearInterval(sampler);
      }
      expect(received - start).toBeGreaterThanOrEqual(FLOOD_BYTES);
      expect(peak - baseline).toBeLessThan(MAIN_MEMORY_CEILING_BYTES);
      control.close();
      await ada.client.request('terminals:close', { id });
    });
  },
);
