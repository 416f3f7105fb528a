import { IPC_BRIDGE_CHANNEL } from '../../common/contract/channels';
import type { ServerMessage } from '../../common/contract/wire';
import { BridgeSession } from '../bridge/bridge-session';
import type { Services } from '../services';
import { isTrustedSender, type TrustedSenders } from './trusted-sender';

/** The frame that sent a message: Electron's `WebFrameMain` satisfies it. */
export interface SenderFrameLike {
  readonly url: string;
  readonly processId: number;
  readonly routingId: number;
}

/** The webContents that sent a message: Electron's `WebContents` satisfies it. */
export interface SenderContentsLike {
  readonly id: number;
  readonly mainFrame: SenderFrameLike;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
  on(event: 'did-navigate', listener: () => void): unknown;
  on(event: 'render-process-gone', listener: () => void): unknown;
}

/** An IPC event: Electron's `IpcMainEvent` satisfies it. */
export interface IpcEventLike {
  readonly sender: SenderContentsLike;
  readonly senderFrame: SenderFrameLike | null;
}

/** The part of Electron's `ipcMain` the bridge uses; tests pass an EventEmitter. */
export interface IpcMainLike {
  on(channel: string, listener: (event: IpcEventLike, message: unknown) => void): unknown;
  removeListener(
    channel: string,
    listener: (event: IpcEventLike, message: unknown) => void,
  ): unknown;
}

/** What {@link registerIpcBridge} connects. */
export interface IpcBridgeOptions {
  readonly ipcMain: IpcMainLike;
  readonly services: Pick<Services, 'dispatcher' | 'events'>;
  readonly trusted: TrustedSenders;
  /** Where dropped messages are reported; console.warn by default. */
  readonly warn?: (message: string) => void;
}

/**
 * True when `frame` is the current top-level frame of `contents`, not a subframe nor the frame of
 * a document it navigated away from. Compared by process and routing id, which Electron documents
 * as identifying a frame; `WebFrameMain` objects themselves are not guaranteed to be identical.
 */
function isCurrentMainFrame(contents: SenderContentsLike, frame: SenderFrameLike): boolean {
  const main = contents.mainFrame;
  return frame.processId === main.processId && frame.routingId === main.routingId;
}

/**
 * Connects Electron IPC to the services: one listener on {@link IPC_BRIDGE_CHANNEL}, one
 * {@link BridgeSession} per trusted webContents (created on its first message, closed when it is
 * destroyed, reloads or crashes), replies with `webContents.send`. A message whose sender fails
 * {@link isTrustedSender} is dropped before any parsing and never reaches the dispatcher.
 * See https://www.electronjs.org/docs/latest/tutorial/security#17-validate-the-sender-of-all-ipc-messages
 */
export function registerIpcBridge(options: IpcBridgeOptions): { dispose(): void } {
  const { ipcMain, services, trusted, warn = console.warn } = options;
  const sessions = new Map<number, BridgeSession>();

  const end = (id: number): void => {
    sessions.get(id)?.close();
    sessions.delete(id);
  };

  const watched = new Set<number>();
  const watch = (contents: SenderContentsLike): void => {
    const { id } = contents;
    if (watched.has(id)) return;
    watched.add(id);
    // A new document, or a crashed one, is a new client: the old page's subscriptions must go.
    contents.on('did-navigate', () => end(id));
    contents.on('render-process-gone', () => end(id));
    contents.once('destroyed', () => {
      end(id);
      watched.delete(id);
    });
  };

  const sessionFor = (contents: SenderContentsLike): BridgeSession => {
    const existing = sessions.get(contents.id);
    if (existing) return existing;
    watch(contents);
    const send = (message: ServerMessage): void => {
      if (!contents.isDestroyed()) contents.send(IPC_BRIDGE_CHANNEL, message);
    };
    const session = new BridgeSession(services.dispatcher, services.events, send, {
      peerId: `window-${contents.id}`,
    });
    sessions.set(contents.id, session);
    return session;
  };

  const listener = (event: IpcEventLike, message: unknown): void => {
    const contents = event.sender;
    const frame = event.senderFrame;
    const sender = {
      webContentsId: contents.id,
      isMainFrame: frame !== null && isCurrentMainFrame(contents, frame),
      frameUrl: frame?.url,
    };
    if (!isTrustedSender(sender, trusted)) {
      warn(
        `ipc: dropped a message from an untrusted sender (webContents ${sender.webContentsId}, ` +
          `main frame: ${sender.isMainFrame}, url: ${JSON.stringify(sender.frameUrl ?? null)})`,
      );
      return;
    }
    sessionFor(contents).receive(message);
  };

  ipcMain.on(IPC_BRIDGE_CHANNEL, listener);
  return {
    dispose() {
      ipcMain.removeListener(IPC_BRIDGE_CHANNEL, listener);
      for (const id of [...sessions.keys()]) end(id);
    },
  };
}
