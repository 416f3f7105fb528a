import { createPeerTransport } from '../../common/contract/peer-transport';
import type { Transport } from '../../common/contract/transport';
import type { ClientMessage, ServerMessage } from '../../common/contract/wire';
import type { Services } from '../services';
import { BridgeSession } from './bridge-session';

/**
 * A {@link Transport} that talks to the services in this process through the same bridge
 * protocol as IPC and WebSocket clients: the CLI and tests use it, so they exercise the same
 * checks. Messages are delivered asynchronously, as over a real channel.
 */
export function createInProcessTransport(
  services: Pick<Services, 'dispatcher' | 'events'>,
  peerId = 'in-process',
): {
  transport: Transport;
  close(): void;
} {
  let toClient: ((message: ServerMessage) => void) | undefined;
  let onClose: (() => void) | undefined;
  const session = new BridgeSession(
    services.dispatcher,
    services.events,
    (message) => queueMicrotask(() => toClient?.(message)),
    { peerId },
  );
  const transport = createPeerTransport({
    send: (message: ClientMessage) => queueMicrotask(() => session.receive(message)),
    onMessage: (listener) => (toClient = listener),
    onClose: (listener) => (onClose = listener),
  });
  return {
    transport,
    close() {
      session.close();
      onClose?.();
    },
  };
}
