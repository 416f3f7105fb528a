import { createClient, type Client } from '../../../common/contract/client';
import { createPeerTransport } from '../../../common/contract/peer-transport';
import { socketPort } from '../../../common/contract/socket-port';
import type { Transport } from '../../../common/contract/transport';
import { WEBSOCKET_PATH } from '../../../common/contract/channels';

/**
 * The renderer's one door to the outside world. In Electron the preload provides `window.api`;
 * in browser mode the same protocol runs over a same-origin WebSocket, which the server
 * authenticates with the HttpOnly cookie it set when the tokened URL was opened — so no token
 * is ever visible to scripts here.
 */

const lostListeners = new Set<() => void>();
let lost = false;

function markLost(): void {
  if (lost) return;
  lost = true;
  for (const listener of lostListeners) listener();
}

function openSocketTransport(): Transport {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(`${scheme}//${location.host}${WEBSOCKET_PATH}`);
  // Registered before the transport's own listeners, so the "connection lost" toast comes first.
  socket.addEventListener('error', markLost);
  socket.addEventListener('close', markLost);
  return createPeerTransport(socketPort(socket));
}

/** The typed client every store uses to reach LabDeck's services. */
export const api: Client = createClient(window.api ?? openSocketTransport());

/**
 * Calls `listener` once when the browser-mode connection is lost (at once if it already is).
 * Electron's IPC bridge lives as long as the window, so there it never fires.
 */
export function onConnectionLost(listener: () => void): () => void {
  if (lost) {
    listener();
    return () => {};
  }
  lostListeners.add(listener);
  return () => lostListeners.delete(listener);
}
