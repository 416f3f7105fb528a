import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Client } from '../../../../common/contract/client';
import type { AppError } from '../../../../common/contract/result';
import type {
  DotfileContext,
  DotfilePreview,
  DotfileScopeRef,
  DotfileSummary,
} from '../../../../common/dotfiles/dotfile-store';
import type { HostSummary } from '../../../../common/hosts/host-summary';
import {
  fallbackHost,
  hostChanges,
  rememberedHost,
  rememberHost,
  type HostMemory,
  type HostsSource,
} from '../../stores/host-choice';
import { folderHosts } from '../folders/folder-hosts';
import { createDotfileEditing, type DotfileEditingState } from './dotfile-editing';
import { levelGroups, levelKey, scopeFields } from './dotfile-form';

/** Where the Dotfiles page keeps the host it showed last, so a reload opens on it again. */
export const DOTFILES_HOST_KEY = 'labdeck.dotfiles.host';

/** Something asked of a host, as last answered. */
export type Loadable<T> =
  | { readonly phase: 'loading' }
  | { readonly phase: 'loaded'; readonly value: T }
  | { readonly phase: 'failed'; readonly error: AppError };

/** The part of the `hosts` store this one follows: which hosts are connected. */
export type DotfileHostsSource = HostsSource;

/** What the `dotfiles` store needs from the rest of the window. */
export interface DotfilesStoreDeps {
  readonly client: Client;
  readonly hosts: DotfileHostsSource;
  /** Where the last chosen host is kept; localStorage in the window. */
  readonly memory?: HostMemory;
}

/** The page's two views. */
export type DotfilesTab = 'files' | 'preview';

/**
 * Dotfiles in the window (issue 13), the store's listing part: per host, who the user is there
 * (`dotfiles:context`), each level's files, the merged preview per group; the host, level and
 * tab the page shows. The open file and its unsaved text are the editor part
 * ({@link DotfileEditingState}, dotfile-editing.ts).
 */
export interface DotfileListingState {
  readonly hostId: string | null;
  readonly level: DotfileScopeRef;
  readonly tab: DotfilesTab;
  readonly contexts: Readonly<Record<string, Loadable<DotfileContext>>>;
  /** Files by `host NUL level`. */
  readonly lists: Readonly<Record<string, Loadable<readonly DotfileSummary[]>>>;
  /** Previews by `host NUL group`. */
  readonly previews: Readonly<Record<string, Loadable<DotfilePreview>>>;
  /** The group the preview tab shows; null for the user's primary group. */
  readonly previewGroup: string | null;
  /** How often the New file shortcut was pressed: the page opens a new file for each. */
  readonly newFileAsks: number;
  chooseHost(hostId: string): void;
  chooseLevel(level: DotfileScopeRef): void;
  chooseTab(tab: DotfilesTab): void;
  choosePreviewGroup(group: string): void;
  loadContext(hostId: string): Promise<Loadable<DotfileContext>>;
  loadList(hostId: string, level: DotfileScopeRef): Promise<void>;
  loadPreview(hostId: string, group: string | null): Promise<void>;
  requestNewFile(): void;
  /**
   * Follows the hosts: a host's context and files are asked for when it connects and forgotten
   * when it goes; the chosen host falls back to the one remembered, or the first. Returns the stop.
   */
  watch(): () => void;
}

/** The whole `dotfiles` store: what the page lists, and the file open in its editor. */
export type DotfilesState = DotfileListingState & DotfileEditingState;

/** The `dotfiles` store's instance type. */
export type DotfilesStore = StoreApi<DotfilesState>;

/** The key of a level's files in {@link DotfilesState.lists}. */
export function listKey(hostId: string, level: DotfileScopeRef): string {
  return `${hostId}\u0000${levelKey(level)}`;
}

/** The key of a group's preview in {@link DotfilesState.previews}. */
export function previewKey(hostId: string, group: string | null): string {
  return `${hostId}\u0000${group ?? ''}`;
}

/** Creates the `dotfiles` store. */
export function createDotfilesStore({ client, hosts, memory }: DotfilesStoreDeps): DotfilesStore {
  /** The connection each host's answers belong to, by host id. */
  const askedOn = new Map<string, string>();
  /** The newest ask per key: a slow answer from before a save must not undo it. */
  const asks = new Map<string, number>();

  const ask = (key: string): (() => boolean) => {
    const mine = (asks.get(key) ?? 0) + 1;
    asks.set(key, mine);
    return () => asks.get(key) === mine;
  };

  const forgetPreviews = (hostId: string): void =>
    store.setState((s) => ({
      previews: Object.fromEntries(
        Object.entries(s.previews).filter(([key]) => !key.startsWith(`${hostId}\u0000`)),
      ),
    }));

  const follow = (list: readonly HostSummary[]): void => {
    const connected = folderHosts(list);
    const { gone, fresh } = hostChanges(connected, askedOn);
    for (const hostId of gone)
      store.setState((s) => {
        const { [hostId]: _gone, ...contexts } = s.contexts;
        return { contexts };
      });
    for (const host of fresh) if (host.id === store.getState().hostId) void load(host.id);
    const next = fallbackHost(store.getState().hostId, connected, () =>
      rememberedHost(memory, DOTFILES_HOST_KEY),
    );
    if (next !== undefined) {
      store.setState({ hostId: next?.id ?? null });
      if (next) void load(next.id);
    }
  };

  /** Asks a host for its context, then the page level's files (its own if the host offers it, or the user's). */
  const load = async (hostId: string): Promise<void> => {
    const context = await store.getState().loadContext(hostId);
    const { level } = store.getState();
    if (store.getState().hostId !== hostId) return;
    const kept =
      context.phase !== 'loaded' ||
      level.scope !== 'group' ||
      levelGroups(context.value).some((g) => g.name === level.group);
    const shown: DotfileScopeRef = kept ? level : { scope: 'user' };
    if (!kept) store.setState({ level: shown });
    await store.getState().loadList(hostId, shown);
  };

  const store = createStore<DotfilesState>()((set, get) => ({
    hostId: null,
    level: { scope: 'user' },
    tab: 'files',
    contexts: {},
    lists: {},
    previews: {},
    previewGroup: null,
    newFileAsks: 0,
    ...createDotfileEditing({ client, set, get, ask, forgetPreviews }),

    chooseHost: (hostId) => {
      rememberHost(memory, DOTFILES_HOST_KEY, hostId);
      set({ hostId, draft: null, openFailure: null, previewGroup: null });
      void load(hostId);
    },

    chooseLevel: (level) => {
      const { hostId } = get();
      set({ level, draft: null, openFailure: null });
      if (hostId !== null) void get().loadList(hostId, level);
    },

    chooseTab: (tab) => set({ tab }),

    choosePreviewGroup: (group) => set({ previewGroup: group }),

    loadContext: async (hostId) => {
      const current = ask(`context\u0000${hostId}`);
      set((s) => ({
        contexts: s.contexts[hostId]
          ? s.contexts
          : { ...s.contexts, [hostId]: { phase: 'loading' } },
      }));
      const result = await client.request('dotfiles:context', { hostId });
      const entry: Loadable<DotfileContext> = result.ok
        ? { phase: 'loaded', value: result.value }
        : { phase: 'failed', error: result.error };
      if (current()) set((s) => ({ contexts: { ...s.contexts, [hostId]: entry } }));
      return entry;
    },

    loadList: async (hostId, level) => {
      const key = listKey(hostId, level);
      const current = ask(`list\u0000${key}`);
      set((s) => ({ lists: s.lists[key] ? s.lists : { ...s.lists, [key]: { phase: 'loading' } } }));
      const result = await client.request('dotfiles:list', { hostId, ...scopeFields(level) });
      if (!current()) return;
      const entry: Loadable<readonly DotfileSummary[]> = result.ok
        ? {
            phase: 'loaded',
            value: [...result.value.files].sort((a, b) => a.path.localeCompare(b.path)),
          }
        : { phase: 'failed', error: result.error };
      set((s) => ({ lists: { ...s.lists, [key]: entry } }));
    },

    loadPreview: async (hostId, group) => {
      const key = previewKey(hostId, group);
      const current = ask(`preview\u0000${key}`);
      set((s) => ({ previews: { ...s.previews, [key]: { phase: 'loading' } } }));
      const result = await client.request('dotfiles:preview', {
        hostId,
        ...(group === null ? {} : { group }),
      });
      if (!current()) return;
      const entry: Loadable<DotfilePreview> = result.ok
        ? { phase: 'loaded', value: result.value }
        : { phase: 'failed', error: result.error };
      set((s) => ({ previews: { ...s.previews, [key]: entry } }));
    },

    requestNewFile: () => set((s) => ({ newFileAsks: s.newFileAsks + 1 })),

    watch: () => {
      follow(hosts.getState().hosts);
      return hosts.subscribe((state, previous) => {
        if (state.hosts !== previous.hosts) follow(state.hosts);
      });
    },
  }));
  return store;
}
