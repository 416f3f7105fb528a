import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { Client } from '../../../common/contract/client';
import type { PromptRequest } from '../../../common/ssh/prompts';
import type { Services } from '../../../main/services';
import {
  createTestUser,
  describeWithParts,
  ensureBuilt,
  startSshd,
  testServices,
  type Sshd,
  type TestUser,
  until,
} from '../../harness';

/** How long the slow link holds sshd's first bytes back: Disconnect lands before the key exchange. */
const LINK_DELAY_MS = 500;
/** Long enough for a forgotten first attempt to finish its key exchange and ask. */
const STRAY_QUESTION_WATCH_MS = 1_500;
/** "At once": far below the default 20 s handshake limit these services run with. */
const STOPPED_WITHIN_MS = 2_000;
const HOST = 'reconnected';
const SILENT = 'silent';

describeWithParts(
  ['root', 'sshd', 'ssh-keygen'],
  'Disconnect while a host is still connecting stops that attempt',
  () => {
    let sshd: Sshd;
    let user: TestUser;
    let home: string;
    let services: Services;
    let client: Client;
    let silent: Server;
    let slowLink: Server;
    const silentSockets: Socket[] = [];
    const requested: { id: string; request: PromptRequest }[] = [];
    const settled: string[] = [];
    const steps: { name: string; step: string }[] = [];

    beforeAll(async () => {
      await ensureBuilt();
      sshd = await startSshd();
      user = await createTestUser('redial');
      home = await mkdtemp(join(tmpdir(), 'labdeck-redial-'));
      // Accepts TCP and never says a word: ssh2 waits for an identification that never comes.
      silent = createServer((socket) => {
        silentSockets.push(socket);
        socket.resume(); // reads (and drops) what LabDeck sends, so its hang-up is seen
      });
      silent.listen(0, '127.0.0.1');
      await once(silent, 'listening');
      // A slow link to the real sshd: each connection reaches it only after LINK_DELAY_MS.
      slowLink = createServer((socket) => {
        socket.on('error', () => {});
        setTimeout(() => {
          if (socket.destroyed) return;
          const upstream = connect(sshd.port, sshd.host);
          upstream.on('error', () => socket.destroy());
          socket.on('close', () => upstream.destroy());
          socket.pipe(upstream).pipe(socket);
        }, LINK_DELAY_MS);
      });
      slowLink.listen(0, '127.0.0.1');
      await once(slowLink, 'listening');
      ({ services, client } = testServices(home, {
        prompt: undefined, // questions go to the window's prompt center, as in the app
      }));
      client.on('prompt:requested', (prompt) => requested.push(prompt));
      client.on('prompt:settled', ({ id }) => settled.push(id));
      client.on('host:updated', ({ name, connection }) => {
        if (connection.phase === 'connecting') steps.push({ name, step: connection.step });
      });
      for (const [name, hostname, port] of [
        [HOST, '127.0.0.1', (slowLink.address() as AddressInfo).port],
        [SILENT, '127.0.0.1', (silent.address() as AddressInfo).port],
      ] as const) {
        const added = await client.request('hosts:add', {
          name,
          user: user.username,
          hostname,
          port,
          identityFile: user.privateKeyPath,
        });
        if (!added.ok) throw new Error(added.error.message);
      }
    });

    afterEach(async () => {
      await client.request('hosts:disconnect', { hostId: HOST });
      await client.request('hosts:disconnect', { hostId: SILENT });
    });

    afterAll(async () => {
      await services?.dispose();
      for (const socket of silentSockets) socket.destroy();
      silent?.close();
      slowLink?.close();
      await sshd?.stop();
      await user?.dispose();
      if (home) await rm(home, { recursive: true, force: true });
    });

    /** Resolves once `name` reports that it is connecting over TCP (before any question). */
    function dialing(name: string): Promise<void> {
      const seen = steps.length;
      return until(
        `${name} connecting`,
        async () =>
          steps.slice(seen).some((s) => s.name === name && s.step.startsWith('connecting to'))
            ? true
            : undefined,
        10_000,
      ).then(() => {});
    }

    async function connection(name: string) {
      const listed = await client.request('hosts:list', {});
      if (!listed.ok) throw new Error(listed.error.message);
      return listed.value.find((h) => h.name === name)?.connection;
    }

    it('asks only the new attempt after Disconnect and Connect during the key exchange', async () => {
      const asked = requested.length;
      const dialed = dialing(HOST);
      const first = client.request('hosts:connect', { hostId: HOST });
      await dialed;
      await client.request('hosts:disconnect', { hostId: HOST });
      const second = client.request('hosts:connect', { hostId: HOST });

      const question = await until('a question', async () => requested[asked], 20_000);
      await sleep(STRAY_QUESTION_WATCH_MS);
      const open = await client.request('prompts:list', {});
      expect(open.ok && open.value.map((p) => p.id)).toEqual([requested.at(-1)!.id]);
      for (const stray of requested.slice(asked, -1)) expect(settled).toContain(stray.id);
      expect(await first).toMatchObject({ ok: false, error: { code: 'ssh-disconnected' } });

      const answered = await client.request('prompts:answer', {
        id: requested.at(-1)!.id,
        answer: { kind: 'trust', trust: true },
      });
      expect(answered).toEqual({ ok: true, value: {} });
      expect(question.request.kind).toBe('host-key-unknown');
      expect(await second).toMatchObject({
        ok: true,
        value: { connection: { phase: 'connected' } },
      });
      expect(await client.request('prompts:list', {})).toEqual({ ok: true, value: [] });
    });

    it('ends a handshake the server never answers as soon as the user disconnects', async () => {
      const dialed = dialing(SILENT);
      const connecting = client.request('hosts:connect', { hostId: SILENT });
      await dialed;
      const socket = await until('the silent server to accept', async () => silentSockets[0]);
      const socketClosed = once(socket, 'close');

      const started = Date.now();
      const disconnected = await client.request('hosts:disconnect', { hostId: SILENT });
      expect(disconnected).toMatchObject({ ok: true, value: { connection: { phase: 'idle' } } });
      expect(await connecting).toMatchObject({ ok: false, error: { code: 'ssh-disconnected' } });
      await socketClosed; // LabDeck hung up: the attempt is over, not just forgotten
      expect(Date.now() - started).toBeLessThan(STOPPED_WITHIN_MS);
      expect(await connection(SILENT)).toEqual({ phase: 'idle' });
    });
  },
);
