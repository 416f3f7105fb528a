import { decodeFrame, encodeFrame } from './frames';
import type { ClientMessage, MessagePortLike, ServerMessage } from './wire';

/** The slice of the WebSocket API we use; met by the browser's WebSocket and by the `ws` package. */
export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: string | Uint8Array): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
}

const CONNECTING = 0;
const OPEN = 1;

/**
 * Adapts a client WebSocket to a bridge message port: text frames carry JSON, binary frames carry
 * stream bytes (see frames.ts). Messages sent while the socket is still connecting wait, in
 * order, until it opens — a window sends its first requests at once. Messages sent after it
 * closed are dropped; the transport has already failed everything pending by then.
 */
export function socketPort(socket: SocketLike): MessagePortLike<ServerMessage, ClientMessage> {
  socket.binaryType = 'arraybuffer';
  const queued: (string | Uint8Array)[] = [];
  socket.addEventListener('open', () => {
    for (const frame of queued.splice(0)) socket.send(frame);
  });
  return {
    send(message) {
      if (socket.readyState === OPEN) socket.send(encodeFrame(message));
      else if (socket.readyState === CONNECTING) queued.push(encodeFrame(message));
    },
    onMessage(listener) {
      socket.addEventListener('message', ({ data }) => {
        const frame = data instanceof ArrayBuffer ? new Uint8Array(data) : data;
        if (typeof frame !== 'string' && !(frame instanceof Uint8Array)) return;
        const message = decodeFrame(frame);
        if (message !== undefined) listener(message as ServerMessage);
      });
    },
    onClose(listener) {
      let fired = false;
      const once = (): void => {
        if (!fired) listener();
        fired = true;
      };
      socket.addEventListener('close', once);
      socket.addEventListener('error', once);
    },
  };
}
