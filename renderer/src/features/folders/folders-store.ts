import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Client } from '../../../../common/contract/client';
import type {
  RequestInput,
  RequestName,
  RequestOutput,
} from '../../../../common/contract/contract';
import type { AppError, Result } from '../../../../common/contract/result';
import type { CloneProgress } from '../../../../common/folders/folder-view';
import type { HostSummary } from '../../../../common/hosts/host-summary';
import type { FolderListing } from './folder-view';
import {
  fallbackHost,
  hostChanges,
  rememberedHost,
  rememberHost,
  type HostMemory,
  type HostsSource,
} from '../../stores/host-choice';
import { folderHosts, LAST_HOST_KEY } from './folder-hosts';

/** How often the chosen host's folders are asked for again while the page shows (usage, invitations). */
export const FOLDERS_POLL_MS = 5_000;

/** How often every connected host is asked again, whatever page shows: the nav counts invitations. */
export const INBOX_POLL_MS = 60_000;

/** One host's folders as last asked. */
export type HostFolders =
  | { readonly phase: 'loading' }
  | { readonly phase: 'loaded'; readonly listing: FolderListing }
  | { readonly phase: 'failed'; readonly error: AppError };

/** The part of the `hosts` store this one follows: which hosts are connected. */
export type FolderHostsSource = HostsSource;

/** What the `folders` store needs from the rest of the window. */
export interface FoldersStoreDeps {
  readonly client: Client;
  readonly hosts: FolderHostsSource;
  /** Where the last chosen host is kept; localStorage in the window. */
  readonly memory?: HostMemory;
}

/** The folders:* requests a dialog sends about one host (the store adds the host). */
export type FolderChange = Exclude<Extract<RequestName, `folders:${string}`>, 'folders:list'>;

/** A request without its host. */
export type OnHost<K extends RequestName> = Omit<RequestInput<K>, 'hostId'>;

/**
 * Folders in the window (issue 12): each connected host's folders, invitations and volumes, the
 * host the page shows (remembered across reloads), and the clones under way with their progress.
 * Every host is asked once it connects, so the nav can count invitations waiting anywhere.
 */
export interface FoldersState {
  /** The host the page shows; null until one is connected. */
  readonly hostId: string | null;
  readonly byHost: Readonly<Record<string, HostFolders>>;
  /** Clones followed, by `host NUL target name`. */
  readonly clones: Readonly<Record<string, CloneProgress>>;
  chooseHost(hostId: string): void;
  /** Asks one host for its folders; a listing already shown stays while it loads. */
  loadHost(hostId: string): Promise<void>;
  /** Sends a change to a host's folders, then asks for them again; the dialog shows a failure. */
  change<K extends FolderChange>(
    hostId: string,
    channel: K,
    input: OnHost<K>,
  ): Promise<Result<RequestOutput<K>>>;
  /** Starts a clone and follows its progress. */
  clone(
    hostId: string,
    input: OnHost<'folders:clone'>,
  ): Promise<Result<RequestOutput<'folders:clone'>>>;
  /** Follows a running clone's progress (once per clone). */
  followClone(hostId: string, name: string): void;
  /** Asks every connected host without a listing. */
  load(): Promise<void>;
  /**
   * Follows the hosts: asks a host when it connects (and every {@link INBOX_POLL_MS}), forgets
   * it when it goes. Returns the stop.
   */
  watch(): () => void;
  /** Asks the chosen host again every {@link FOLDERS_POLL_MS} while the document shows. */
  poll(): () => void;
}

/** The `folders` store's instance type. */
export type FoldersStore = StoreApi<FoldersState>;

/** The key of a clone in {@link FoldersState.clones}. */
export function cloneKey(hostId: string, name: string): string {
  return `${hostId}\u0000${name}`;
}

/** Creates the `folders` store. */
export function createFoldersStore({ client, hosts, memory }: FoldersStoreDeps): FoldersStore {
  /** The connection each listing belongs to, by host id. */
  const askedOn = new Map<string, string>();
  const following = new Map<string, () => void>();
  /** The newest load per host: a slow reply from before a change must not undo it. */
  const loads = new Map<string, number>();

  const follow = (list: readonly HostSummary[]): void => {
    const connected = folderHosts(list);
    const { gone, fresh } = hostChanges(connected, askedOn);
    for (const hostId of gone)
      store.setState((s) => {
        const { [hostId]: _gone, ...byHost } = s.byHost;
        return { byHost };
      });
    for (const host of fresh) void store.getState().loadHost(host.id);
    const next = fallbackHost(store.getState().hostId, connected, () =>
      rememberedHost(memory, LAST_HOST_KEY),
    );
    if (next !== undefined) store.setState({ hostId: next?.id ?? null });
  };

  const store = createStore<FoldersState>()((set, get) => ({
    hostId: null,
    byHost: {},
    clones: {},

    chooseHost: (hostId) => {
      rememberHost(memory, LAST_HOST_KEY, hostId);
      set({ hostId });
      void get().loadHost(hostId);
    },

    loadHost: async (hostId) => {
      const load = (loads.get(hostId) ?? 0) + 1;
      loads.set(hostId, load);
      set((s) => ({
        byHost: s.byHost[hostId] ? s.byHost : { ...s.byHost, [hostId]: { phase: 'loading' } },
      }));
      const result = await client.request('folders:list', { hostId });
      if (loads.get(hostId) !== load || !askedOn.has(hostId)) return;
      const entry: HostFolders = result.ok
        ? { phase: 'loaded', listing: result.value }
        : { phase: 'failed', error: result.error };
      set((s) => ({ byHost: { ...s.byHost, [hostId]: entry } }));
      // A clone started elsewhere (the CLI, before a reload) shows its progress here too.
      if (result.ok)
        for (const folder of result.value.folders)
          if (folder.state === 'cloning' && folder.permission === 'owner')
            get().followClone(hostId, folder.name);
    },

    change: async (hostId, channel, input) => {
      const result = await client.request(channel, { ...input, hostId } as RequestInput<
        typeof channel
      >);
      await get().loadHost(hostId);
      return result;
    },

    clone: async (hostId, input) => {
      const result = await client.request('folders:clone', { ...input, hostId });
      if (result.ok) get().followClone(hostId, result.value.name);
      await get().loadHost(hostId);
      return result;
    },

    followClone: (hostId, name) => {
      const key = cloneKey(hostId, name);
      if (following.has(key)) return;
      let ended = false;
      const stop = client.listen(
        'folders:clone-progress',
        { hostId, name },
        {
          event: (progress) => {
            set((s) => ({ clones: { ...s.clones, [key]: progress } }));
            if (progress.state !== 'running') void get().loadHost(hostId);
          },
          end: () => {
            ended = true;
            following.delete(key);
            void get().loadHost(hostId);
          },
        },
      );
      // A subscription the services refused at once has ended already: it may be asked again.
      if (!ended) following.set(key, stop);
    },

    load: async () => {
      follow(hosts.getState().hosts);
    },

    watch: () => {
      follow(hosts.getState().hosts);
      const unsubscribe = hosts.subscribe((state, previous) => {
        if (state.hosts !== previous.hosts) follow(state.hosts);
      });
      // Invitations arrive from other users with no event: the nav's count is asked for now and then.
      const inbox = setInterval(() => {
        if (typeof document !== 'undefined' && document.visibilityState !== 'visible') return;
        for (const hostId of askedOn.keys()) void get().loadHost(hostId);
      }, INBOX_POLL_MS);
      return () => {
        unsubscribe();
        clearInterval(inbox);
      };
    },

    poll: () => {
      const tick = (): void => {
        const { hostId } = get();
        if (hostId !== null && document.visibilityState === 'visible') void get().loadHost(hostId);
      };
      const timer = setInterval(tick, FOLDERS_POLL_MS);
      document.addEventListener('visibilitychange', tick);
      return () => {
        clearInterval(timer);
        document.removeEventListener('visibilitychange', tick);
      };
    },
  }));
  return store;
}
