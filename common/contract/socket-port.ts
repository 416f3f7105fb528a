import { decodeFrame, encodeFrame } from './frames';
import type { ClientMessage, MessagePortLike, ServerMessage } from './wire';

/** The slice of the WebSocket API we use; met by the browser's WebSocket and by the `ws` package. */
export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: string | Uint8Array): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close' | 'error', listener: () => void): void;
}

const OPEN = 1;

/**
 * Adapts a client WebSocket to a bridge message port: text frames carry JSON, binary frames carry
 * stream bytes (see frames.ts). Messages sent after the socket closed are dropped; the transport
 * has already failed everything pending by then.
 */
export function socketPort(socket: SocketLike): MessagePortLike<ServerMessage, ClientMessage> {
  socket.binaryType = 'arraybuffer';
  return {
    send(message) {
      if (socket.readyState === OPEN) socket.send(encodeFrame(message));
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
