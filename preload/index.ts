import { contextBridge, ipcRenderer } from 'electron';
import { createPeerTransport } from '../common/contract/peer-transport';
import type { Transport } from '../common/contract/transport';
import { IPC_BRIDGE_CHANNEL } from '../common/contract/channels';
import type { ClientMessage, ServerMessage } from '../common/contract/wire';

/**
 * The preload: exposes exactly one `window.api` (the bridge's client half over IPC) and nothing
 * of Electron. The IPC event is stripped before a message reaches the page, and only the four
 * transport functions are exposed, never `ipcRenderer` itself.
 * See https://www.electronjs.org/docs/latest/tutorial/security#20-do-not-expose-electron-apis-to-untrusted-web-content
 */
const transport = createPeerTransport({
  send: (message: ClientMessage) => ipcRenderer.send(IPC_BRIDGE_CHANNEL, message),
  onMessage: (listener) => {
    ipcRenderer.on(IPC_BRIDGE_CHANNEL, (_event, message: ServerMessage) => listener(message));
  },
  // IPC lives exactly as long as this page; there is no disconnect to report.
  onClose: () => {},
});

const api: Transport = {
  request: (channel, input) => transport.request(channel, input),
  on: (event, listener) => transport.on(event, listener),
  openStream: (channel, input, sink) => transport.openStream(channel, input, sink),
  listen: (topic, params, sink) => transport.listen(topic, params, sink),
};

contextBridge.exposeInMainWorld('api', api);
