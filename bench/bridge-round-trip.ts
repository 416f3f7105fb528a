import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import WebSocket, { WebSocketServer } from 'ws';
import { createClient } from '../common/contract/client';
import { createPeerTransport } from '../common/contract/peer-transport';
import { socketPort } from '../common/contract/socket-port';
import { bridgeSubprotocols } from '../common/security/browser-token';
import { MemorySecretStore } from '../main/secrets/secret-store';
import { startBrowserServer } from '../main/server/browser-server';
import { createServices } from '../main/services';
import type { Contender } from './bench-harness';

function opened(ws: WebSocket): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/**
 * An empty request (`app:ping`) through the browser-mode bridge — token check, JSON framing,
 * schema parse, dispatch — against the same `ws` library echoing one small text message.
 */
export async function bridgeRoundTrip(): Promise<{
  subject: Contender;
  baseline: Contender;
  close(): Promise<void>;
}> {
  const home = await mkdtemp(join(tmpdir(), 'labdeck-bench-'));
  const services = createServices({ home, mode: 'browser', secrets: new MemorySecretStore() });
  const server = await startBrowserServer({
    services,
    rendererDir: home,
    host: '127.0.0.1',
    port: 0,
  });
  const ws = await opened(
    new WebSocket(`ws://127.0.0.1:${server.port}/api`, bridgeSubprotocols(server.token)),
  );
  const client = createClient(createPeerTransport(socketPort(ws as never)));

  const echo = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => echo.once('listening', () => resolve()));
  echo.on('connection', (peer) =>
    peer.on('message', (data, isBinary) => peer.send(data, { binary: isBinary })),
  );
  const { port } = echo.address() as AddressInfo;
  const raw = await opened(new WebSocket(`ws://127.0.0.1:${port}`));
  let answer: (() => void) | undefined;
  raw.on('message', () => answer?.());

  return {
    subject: {
      name: 'app:ping through the WebSocket bridge',
      async run() {
        const result = await client.request('app:ping', {});
        if (!result.ok) throw new Error(result.error.message);
      },
    },
    baseline: {
      name: 'raw WebSocket echo of one small message',
      run: () =>
        new Promise<void>((resolve) => {
          answer = resolve;
          raw.send(JSON.stringify({ t: 'req', id: 1, ch: 'app:ping', input: {} }));
        }),
    },
    async close() {
      ws.close();
      raw.close();
      echo.close();
      await server.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}
