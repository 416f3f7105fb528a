import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IPC_BRIDGE_CHANNEL } from '../../../common/contract/channels';
import type { ServerMessage } from '../../../common/contract/wire';
import { APP_ORIGIN } from '../../../common/security/csp';
import {
  registerIpcBridge,
  type IpcEventLike,
  type IpcMainLike,
  type SenderFrameLike,
} from '../../../main/electron/ipc-bridge';
import { BridgeSession } from '../../../main/bridge/bridge-session';
import { MemorySecretStore } from '../../../main/secrets/secret-store';
import { createServices, type Services } from '../../../main/services';
import { tempHome } from '../../support/temp-home';

const APP_PAGE = `${APP_ORIGIN}/index.html`;

/** A webContents as the bridge sees it: records what is sent to it, emits lifecycle events. */
class FakeContents extends EventEmitter {
  readonly sent: ServerMessage[] = [];
  readonly mainFrame: SenderFrameLike;
  private destroyed = false;

  constructor(
    readonly id: number,
    url = APP_PAGE,
  ) {
    super();
    this.mainFrame = { url, processId: 100 + id, routingId: 1 };
  }

  send(channel: string, message: ServerMessage): void {
    expect(channel).toBe(IPC_BRIDGE_CHANNEL);
    this.sent.push(message);
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

let disposers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const dispose of disposers.reverse()) await dispose();
  disposers = [];
});

async function setUp() {
  const services: Services = createServices({
    home: await tempHome(),
    mode: 'electron',
    secrets: new MemorySecretStore(),
    env: { PATH: '' },
  });
  const ipcMain = new EventEmitter();
  const ids = new Set<number>();
  const warn = vi.fn<(message: string) => void>();
  const request = vi.spyOn(services.dispatcher, 'request');
  const bridge = registerIpcBridge({
    ipcMain: ipcMain satisfies IpcMainLike,
    services,
    trusted: { ids, origin: APP_ORIGIN },
    warn,
  });
  disposers.push(
    () => bridge.dispose(),
    () => services.dispose(),
  );

  /** A window our factory created: its id is trusted. */
  const window = (id: number, url?: string): FakeContents => {
    ids.add(id);
    return new FakeContents(id, url);
  };
  /** Delivers a message as Electron's ipcMain would, from `frame` (the main frame by default). */
  const deliver = (
    contents: FakeContents,
    message: unknown,
    frame: SenderFrameLike | null = contents.mainFrame,
  ): void => {
    const event: IpcEventLike = { sender: contents, senderFrame: frame };
    ipcMain.emit(IPC_BRIDGE_CHANNEL, event, message);
  };
  const ping = (id: number) => ({ t: 'req', id, ch: 'app:ping', input: {} });
  return { services, ipcMain, ids, warn, request, bridge, window, deliver, ping };
}

/** Waits until `contents` has received `count` messages. */
async function received(contents: FakeContents, count: number): Promise<ServerMessage[]> {
  await vi.waitFor(() => expect(contents.sent).toHaveLength(count), { timeout: 2_000 });
  return contents.sent;
}

describe('registerIpcBridge', () => {
  it('answers a request from the main frame of a window we created', async () => {
    const { window, deliver, ping, warn } = await setUp();
    const contents = window(1);
    deliver(contents, ping(1));
    expect(await received(contents, 1)).toEqual([
      { t: 'res', id: 1, result: { ok: true, value: {} } },
    ]);
    expect(warn).not.toHaveBeenCalled();
  });

  it.each([
    [
      'an unknown webContents',
      (c: FakeContents) => ({ contents: new FakeContents(99), frame: c.mainFrame }),
    ],
    [
      'a subframe on our origin',
      (c: FakeContents) => ({ contents: c, frame: { ...c.mainFrame, routingId: 2 } }),
    ],
    [
      'the frame of a document the window navigated away from',
      (c: FakeContents) => ({ contents: c, frame: { ...c.mainFrame, processId: 999 } }),
    ],
    [
      'a foreign origin',
      (c: FakeContents) => ({
        contents: c,
        frame: { ...c.mainFrame, url: 'https://evil.example/' },
      }),
    ],
    ['a frame that is gone', (c: FakeContents) => ({ contents: c, frame: null })],
  ])('drops a message from %s before it reaches the services', async (_name, from) => {
    const { window, deliver, ping, warn, request } = await setUp();
    const trusted = window(1);
    const { contents, frame } = from(trusted);
    deliver(contents, ping(1), frame);
    // A trusted round trip afterwards proves the bridge had time to answer the first one.
    deliver(trusted, ping(2));
    await received(trusted, 1);
    expect(trusted.sent).toEqual([{ t: 'res', id: 2, result: { ok: true, value: {} } }]);
    if (contents !== trusted) expect(contents.sent).toEqual([]);
    expect(request).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/untrusted sender/);
  });

  it('drops everything from a window whose page navigated to another origin', async () => {
    const { window, deliver, ping, request } = await setUp();
    const contents = window(1, 'https://evil.example/phish');
    deliver(contents, ping(1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(contents.sent).toEqual([]);
    expect(request).not.toHaveBeenCalled();
  });

  it('keeps one session per window and ends it when the window is destroyed', async () => {
    const { services, window, deliver } = await setUp();
    const first = window(1);
    const second = window(2);
    deliver(first, { t: 'sub', ev: 'app:notice-raised' });
    deliver(second, { t: 'sub', ev: 'app:notice-raised' });
    const notice = { id: 'n1', level: 'info', message: 'hello' } as const;
    services.events.emit('app:notice-raised', notice);
    expect(first.sent).toEqual([{ t: 'ev', ev: 'app:notice-raised', payload: notice }]);
    expect(second.sent).toHaveLength(1);
    const close = vi.spyOn(BridgeSession.prototype, 'close');
    first.destroy();
    expect(close).toHaveBeenCalledTimes(1);
    services.events.emit('app:notice-raised', notice);
    expect(first.sent).toHaveLength(1);
    expect(second.sent).toHaveLength(2);
  });

  it('starts a fresh session when the page reloads', async () => {
    const { services, window, deliver, ping } = await setUp();
    const contents = window(1);
    deliver(contents, { t: 'sub', ev: 'app:notice-raised' });
    contents.emit('did-navigate');
    services.events.emit('app:notice-raised', { id: 'n1', level: 'info', message: 'old page' });
    expect(contents.sent).toEqual([]);
    deliver(contents, ping(1));
    expect(await received(contents, 1)).toEqual([
      { t: 'res', id: 1, result: { ok: true, value: {} } },
    ]);
  });

  it('ignores a malformed message from a trusted window', async () => {
    const { window, deliver, ping, request } = await setUp();
    const contents = window(1);
    deliver(contents, { t: 'req', id: -1, ch: 'app:ping' });
    deliver(contents, 'not an object');
    deliver(contents, ping(3));
    expect(await received(contents, 1)).toEqual([
      { t: 'res', id: 3, result: { ok: true, value: {} } },
    ]);
    expect(request).toHaveBeenCalledTimes(1);
  });

  it('stops listening when disposed', async () => {
    const { ipcMain, bridge } = await setUp();
    expect(ipcMain.listenerCount(IPC_BRIDGE_CHANNEL)).toBe(1);
    bridge.dispose();
    expect(ipcMain.listenerCount(IPC_BRIDGE_CHANNEL)).toBe(0);
  });
});
