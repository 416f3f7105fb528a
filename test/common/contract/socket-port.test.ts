import { describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { socketPort } from '../../../common/contract/socket-port';

describe('socketPort', () => {
  it('keeps messages sent while connecting and delivers them in order once open', async () => {
    const http = createServer();
    const server = new WebSocketServer({ server: http });
    const received: string[] = [];
    const allThree = new Promise<void>((resolve) =>
      server.on('connection', (peer) =>
        peer.on('message', (data) => {
          received.push(String(data));
          if (received.length === 3) resolve();
        }),
      ),
    );
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const socket = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`);
    const port = socketPort(socket as never);
    for (const id of [1, 2, 3]) port.send({ t: 'req', id, ch: 'app:ping', input: {} });
    await allThree;
    expect(received.map((m) => (JSON.parse(m) as { id: number }).id)).toEqual([1, 2, 3]);
    socket.close();
    server.close();
    http.close();
  });
});
