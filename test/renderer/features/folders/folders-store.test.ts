import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FolderListing } from '../../../../renderer/src/features/folders/folder-view';
import { LAST_HOST_KEY } from '../../../../renderer/src/features/folders/folder-hosts';
import {
  cloneKey,
  createFoldersStore,
  INBOX_POLL_MS,
} from '../../../../renderer/src/features/folders/folders-store';
import { createHostsStore } from '../../../../renderer/src/features/hosts/hosts-store';
import { FakeClient } from '../../fake-client';
import { localHost, sshHost } from '../../host-fixtures';
import { folder, invitation } from './folder-fixtures';

const CONNECTED = { phase: 'connected', since: '2025-03-04T10:20:30Z' } as const;
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** A storage that keeps what it is given, as localStorage does. */
function memory(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    items,
  };
}

function listing(patch: Partial<FolderListing> = {}): FolderListing {
  return { folders: [], invitations: [], volumes: [], ...patch };
}

/** The stores' watches, stopped after each test (their inbox poll is a timer). */
const watching: (() => void)[] = [];
afterEach(() => {
  for (const stop of watching.splice(0)) stop();
});

async function setup(client: FakeClient, kept = memory()) {
  const hosts = createHostsStore({ client, showError: () => undefined });
  hosts.getState().watch();
  const store = createFoldersStore({ client, hosts, memory: kept });
  watching.push(store.getState().watch());
  await hosts.getState().load();
  await settle();
  return { hosts, store, kept };
}

const clonesFollowed = (client: FakeClient): unknown[] =>
  client.subscriptions().filter((s) => s.topic === 'folders:clone-progress');

const listRequests = (client: FakeClient): unknown[] =>
  client.requests.filter((r) => r.channel === 'folders:list').map((r) => r.input);

describe('folders store', () => {
  it('asks every connected host for its folders, and shows the host chosen last', async () => {
    const client = new FakeClient()
      .succeed('hosts:list', [localHost(), sshHost(CONNECTED)])
      .answer('folders:list', async ({ hostId }) => ({
        ok: true,
        value: listing({ folders: [folder({ host: hostId })] }),
      }));
    const { store } = await setup(client, memory({ [LAST_HOST_KEY]: 'h-gpu-7' }));
    expect(listRequests(client)).toEqual([{ hostId: 'local' }, { hostId: 'h-gpu-7' }]);
    expect(store.getState().hostId).toBe('h-gpu-7');
    expect(store.getState().byHost.local).toMatchObject({ phase: 'loaded' });
  });

  it('remembers the host chosen, and falls back to a connected one when it is gone', async () => {
    const client = new FakeClient()
      .succeed('hosts:list', [localHost(), sshHost(CONNECTED)])
      .succeed('folders:list', listing());
    const { store, kept } = await setup(client);
    expect(store.getState().hostId).toBe('local');
    store.getState().chooseHost('h-gpu-7');
    expect(kept.items.get(LAST_HOST_KEY)).toBe('h-gpu-7');
    client.emit('host:updated', sshHost({ phase: 'idle' }));
    await settle();
    expect(store.getState().hostId).toBe('local');
    expect(store.getState().byHost['h-gpu-7']).toBeUndefined();
  });

  it('keeps a failed listing with its error, for the page to show with its fix', async () => {
    const error = {
      code: 'folders-need-setup',
      message: 'No helper.',
      hint: 'labdeck host setup HOST',
    };
    const client = new FakeClient()
      .succeed('hosts:list', [localHost()])
      .fail('folders:list', error);
    const { store } = await setup(client);
    expect(store.getState().byHost.local).toEqual({ phase: 'failed', error });
  });

  it('asks again after a change, so an accepted invitation leaves the inbox', async () => {
    let invitations = [invitation()];
    const client = new FakeClient()
      .succeed('hosts:list', [localHost()])
      .answer('folders:list', async () => ({ ok: true, value: listing({ invitations }) }))
      .answer('folders:respond', async () => {
        invitations = [];
        return { ok: true, value: invitation({ state: 'accepted' }) };
      });
    const { store } = await setup(client);
    const result = await store
      .getState()
      .change('local', 'folders:respond', { invitation: 'inv-1', accept: true });
    expect(result.ok).toBe(true);
    expect(client.requests.find((r) => r.channel === 'folders:respond')?.input).toEqual({
      invitation: 'inv-1',
      accept: true,
      hostId: 'local',
    });
    const entry = store.getState().byHost.local;
    expect(entry?.phase === 'loaded' && entry.listing.invitations).toEqual([]);
  });

  it('asks every connected host again now and then, for the nav’s count of invitations', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const client = new FakeClient()
        .succeed('hosts:list', [localHost(), sshHost(CONNECTED)])
        .succeed('folders:list', listing());
      await setup(client);
      expect(listRequests(client)).toHaveLength(2);
      vi.advanceTimersByTime(INBOX_POLL_MS);
      expect(listRequests(client)).toHaveLength(4);
      for (const stop of watching.splice(0)) stop();
      vi.advanceTimersByTime(INBOX_POLL_MS);
      expect(listRequests(client)).toHaveLength(4);
    } finally {
      vi.useRealTimers();
    }
  });

  it('follows the progress of a clone it finds running, once, until it ends', async () => {
    let state: 'cloning' | 'ready' = 'cloning';
    const client = new FakeClient()
      .succeed('hosts:list', [localHost()])
      .answer('folders:list', async () => ({
        ok: true,
        value: listing({ folders: [folder({ name: 'copy', state })] }),
      }));
    const { store } = await setup(client);
    await store.getState().loadHost('local');
    const params = { hostId: 'local', name: 'copy' };
    expect(clonesFollowed(client)).toEqual([{ topic: 'folders:clone-progress', params }]);

    const running = { copiedBytes: 5, totalBytes: 10, state: 'running', message: null } as const;
    client.publish('folders:clone-progress', params, running);
    expect(store.getState().clones[cloneKey('local', 'copy')]).toEqual(running);
    state = 'ready';
    client.publish('folders:clone-progress', params, {
      ...running,
      copiedBytes: 10,
      state: 'done',
    });
    client.endTopic('folders:clone-progress', params);
    await settle();
    expect(store.getState().clones[cloneKey('local', 'copy')]?.state).toBe('done');
    expect(clonesFollowed(client)).toEqual([]);
  });
});
