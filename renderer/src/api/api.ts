import { createClient, type Client } from '../../../common/contract/client';
import { createPeerTransport } from '../../../common/contract/peer-transport';
import { socketPort } from '../../../common/contract/socket-port';
import type { Transport } from '../../../common/contract/transport';
import { WEBSOCKET_PATH } from '../../../common/contract/channels';
import { fail, type AppError } from '../../../common/contract/result';
import { bridgeSubprotocols } from '../../../common/security/browser-token';
import { forgetBrowserToken, takeBrowserToken } from './browser-token';

/**
 * The renderer's one door to the outside world. In Electron the preload provides `window.api`;
 * in browser mode the same protocol runs over a same-origin WebSocket that presents the tab's
 * access token as a subprotocol (never a cookie, which every port of 127.0.0.1 would receive).
 */

const lostListeners = new Set<() => void>();
let lost = false;

function markLost(): void {
  if (lost) return;
  lost = true;
  for (const listener of lostListeners) listener();
}

function openSocketTransport(token: string): Transport {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${scheme}//${location.host}${WEBSOCKET_PATH}`;
  const socket = new WebSocket(url, bridgeSubprotocols(token));
  // Registered before the transport's own listeners, so the "connection lost" toast comes first.
  socket.addEventListener('error', markLost);
  socket.addEventListener('close', markLost);
  let opened = false;
  socket.addEventListener('open', () => (opened = true));
  // Never opened: the token was refused, or its run of the server is over.
  socket.addEventListener('close', () => {
    if (!opened) forgetBrowserToken();
  });
  return createPeerTransport(socketPort(socket));
}

/** Answers every call when there is no token to connect with; main.tsx shows why instead. */
const NO_TOKEN: AppError = {
  code: 'browser-token-missing',
  message: 'LabDeck was opened without its access token.',
  hint: 'Open the URL that `npm run serve` printed.',
};
const withoutToken: Transport = {
  request: () => Promise.resolve(fail(NO_TOKEN)),
  on: () => () => {},
  openStream: (_channel, _input, sink) => {
    sink.end(NO_TOKEN);
    return { write: () => {}, ack: () => {}, close: () => {} };
  },
  listen: (_topic, _params, sink) => {
    sink.end(NO_TOKEN);
    return () => {};
  },
};

const browserToken = window.api ? undefined : takeBrowserToken();

/** True in browser mode when this tab has no access token: the window shows how to get one. */
export const accessTokenMissing = !window.api && browserToken === undefined;

/** The typed client every store uses to reach LabDeck's services. */
export const api: Client = createClient(
  window.api ?? (browserToken === undefined ? withoutToken : openSocketTransport(browserToken)),
);

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
