import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Client } from '../../../../common/contract/client';
import type { AppError, Result } from '../../../../common/contract/result';
import type {
  DotfileContext,
  DotfileDocument,
  DotfilePreview,
  DotfileScopeRef,
  DotfileSummary,
} from '../../../../common/dotfiles/dotfile-store';
import type { HostSummary } from '../../../../common/hosts/host-summary';
import { folderHosts } from '../folders/folder-hosts';
import { isDirty, openedDraft, type DotfileCompare, type DotfileDraft } from './dotfile-draft';
import { levelKey, sameLevel } from './dotfile-form';

/** Where the Dotfiles page keeps the host it showed last, so a reload opens on it again. */
export const DOTFILES_HOST_KEY = 'labdeck.dotfiles.host';

/** Something asked of a host, as last answered. */
export type Loadable<T> =
  | { readonly phase: 'loading' }
  | { readonly phase: 'loaded'; readonly value: T }
  | { readonly phase: 'failed'; readonly error: AppError };

/** The part of the `hosts` store this one follows: which hosts are connected. */
export type DotfileHostsSource = Pick<
  StoreApi<{ readonly hosts: readonly HostSummary[] }>,
  'getState' | 'subscribe'
>;

/** What the `dotfiles` store needs from the rest of the window. */
export interface DotfilesStoreDeps {
  readonly client: Client;
  readonly hosts: DotfileHostsSource;
  /** Where the last chosen host is kept; localStorage in the window. */
  readonly memory?: Pick<Storage, 'getItem' | 'setItem'>;
}

/** The page's two views. */
export type DotfilesTab = 'files' | 'preview';

/**
 * Dotfiles in the window (issue 13): per host, who the user is there (`dotfiles:context`), each
 * level's files, the merged preview per group; the host, level and tab the page shows; and the
 * one file open in the editor with the user's unsaved text, its conflict if a save was refused,
 * and the question asked before that text would be thrown away.
 */
export interface DotfilesState {
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
  readonly draft: DotfileDraft | null;
  /** A file that could not be opened, and why. */
  readonly openFailure: { readonly path: string; readonly error: AppError } | null;
  /** What waits for "Discard changes?" to be answered. */
  readonly discardAsk: { readonly next: () => void } | null;
  /** How often the New file shortcut was pressed: the page opens a new file for each. */
  readonly newFileAsks: number;
  chooseHost(hostId: string): void;
  chooseLevel(level: DotfileScopeRef): void;
  chooseTab(tab: DotfilesTab): void;
  choosePreviewGroup(group: string): void;
  loadContext(hostId: string): Promise<Loadable<DotfileContext>>;
  loadList(hostId: string, level: DotfileScopeRef): Promise<void>;
  loadPreview(hostId: string, group: string | null): Promise<void>;
  /** Opens a file of the page's level in the editor. */
  open(path: string): Promise<void>;
  /** Opens an empty editor for a new file at the page's level. */
  startNew(): void;
  close(): void;
  edit(patch: Partial<Pick<DotfileDraft, 'path' | 'mode' | 'content'>>): void;
  setCompare(compare: DotfileCompare): void;
  /**
   * Saves the editor's text from the revision it opened (null for a new file). Answers the
   * outcome (a conflict or failure is also kept in the draft), or null when nothing was sent.
   */
  save(): Promise<Result<DotfileSummary> | null>;
  /** Removes the open file, refused if it changed since it was opened. */
  remove(): Promise<Result<DotfileSummary>>;
  /** After a conflict: reads their version and shows mine against it. */
  compareTheirs(): Promise<void>;
  /** After a conflict: saves mine over their version (refused again if it changes meanwhile). */
  overwrite(): Promise<Result<DotfileSummary> | null>;
  /** After a conflict: drops mine and opens theirs (closes the editor when they removed it). */
  discardMine(): Promise<void>;
  /** Runs `next` at once, or after "Discard changes?" when the editor has unsaved text. */
  whenClean(next: () => void): void;
  answerDiscard(discard: boolean): void;
  requestNewFile(): void;
  /**
   * Follows the hosts: a host's context and files are asked for when it connects and forgotten
   * when it goes; the chosen host falls back to the one remembered, or the first. Returns the stop.
   */
  watch(): () => void;
}

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

/** The scope fields of a request for `level`. */
function scopeOf(level: DotfileScopeRef): { scope: DotfileScopeRef['scope']; group?: string } {
  return level.scope === 'group' ? { scope: 'group', group: level.group } : { scope: level.scope };
}

function remembered(memory: DotfilesStoreDeps['memory']): string | null {
  try {
    return memory?.getItem(DOTFILES_HOST_KEY) ?? null;
  } catch {
    // Storage can be switched off: the page then just forgets.
    return null;
  }
}

function remember(memory: DotfilesStoreDeps['memory'], hostId: string): void {
  try {
    memory?.setItem(DOTFILES_HOST_KEY, hostId);
  } catch {
    // Remembering is a convenience, never a failure.
  }
}

/** Creates the `dotfiles` store. */
export function createDotfilesStore({ client, hosts, memory }: DotfilesStoreDeps): DotfilesStore {
  /** The connection each host's answers belong to, by host id. */
  const askedOn = new Map<string, string>();
  /** The newest ask per key: a slow answer from before a save must not undo it. */
  const asks = new Map<string, number>();
  let nextDraftId = 1;

  const ask = (key: string): (() => boolean) => {
    const mine = (asks.get(key) ?? 0) + 1;
    asks.set(key, mine);
    return () => asks.get(key) === mine;
  };

  /** Sets the draft only while it is still the editor `id` opened. */
  const patchDraft = (id: number, patch: (draft: DotfileDraft) => Partial<DotfileDraft>): void =>
    store.setState((s) => (s.draft?.id === id ? { draft: { ...s.draft, ...patch(s.draft) } } : {}));

  const fresh = (hostId: string, level: DotfileScopeRef, doc: DotfileDocument | null) =>
    openedDraft(nextDraftId++, hostId, level, doc);

  /** Their current version of the draft's file: the document, null when gone, or the failure. */
  const readTheirs = async (
    draft: DotfileDraft,
  ): Promise<{ ok: true; doc: DotfileDocument | null } | { ok: false; error: AppError }> => {
    const result = await client.request('dotfiles:read', {
      hostId: draft.hostId,
      ...scopeOf(draft.level),
      path: draft.path,
    });
    if (result.ok) return { ok: true, doc: result.value };
    if (result.error.code === 'dotfile-not-found') return { ok: true, doc: null };
    return { ok: false, error: result.error };
  };

  /** Sends the draft's text from `baseRevision`; a conflict is kept with the text. */
  const send = async (
    draft: DotfileDraft,
    baseRevision: number | null,
  ): Promise<Result<DotfileSummary>> => {
    const sent = { content: draft.content, mode: draft.mode };
    patchDraft(draft.id, () => ({ busy: 'saving' }));
    const result = await client.request('dotfiles:set', {
      hostId: draft.hostId,
      ...scopeOf(draft.level),
      path: draft.path,
      ...sent,
      baseRevision,
    });
    if (result.ok) {
      const saved: DotfileDocument = { ...result.value, content: sent.content };
      patchDraft(draft.id, (d) => ({
        saved,
        path: saved.path,
        busy: null,
        conflict: null,
        failure: null,
        compare: d.compare === 'theirs' ? 'none' : d.compare,
      }));
      forgetPreviews(draft.hostId);
      void store.getState().loadList(draft.hostId, draft.level);
      return result;
    }
    const { error } = result;
    patchDraft(draft.id, () =>
      error.code === 'dotfile-conflict'
        ? { busy: null, conflict: { error }, failure: null }
        : { busy: null, failure: error },
    );
    return result;
  };

  const forgetPreviews = (hostId: string): void =>
    store.setState((s) => ({
      previews: Object.fromEntries(
        Object.entries(s.previews).filter(([key]) => !key.startsWith(`${hostId}\u0000`)),
      ),
    }));

  const follow = (list: readonly HostSummary[]): void => {
    const connected = folderHosts(list);
    for (const hostId of [...askedOn.keys()])
      if (!connected.some((h) => h.id === hostId)) {
        askedOn.delete(hostId);
        store.setState((s) => {
          const { [hostId]: _gone, ...contexts } = s.contexts;
          return { contexts };
        });
      }
    for (const host of connected) {
      const since = host.connection.phase === 'connected' ? host.connection.since : host.kind;
      if (askedOn.get(host.id) === since) continue;
      askedOn.set(host.id, since);
      if (host.id === store.getState().hostId) void load(host.id);
    }
    const { hostId } = store.getState();
    if (hostId === null || !connected.some((h) => h.id === hostId)) {
      const last = remembered(memory);
      const next = connected.find((h) => h.id === last) ?? connected[0];
      store.setState({ hostId: next?.id ?? null });
      if (next) void load(next.id);
    }
  };

  /** Asks a host for its context, then the page level's files (its own, or the user's). */
  const load = async (hostId: string): Promise<void> => {
    const context = await store.getState().loadContext(hostId);
    const { level } = store.getState();
    if (store.getState().hostId !== hostId) return;
    const known = context.phase !== 'loaded' || level.scope !== 'group';
    const kept = known || context.value.groups.includes(level.group);
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
    draft: null,
    openFailure: null,
    discardAsk: null,
    newFileAsks: 0,

    chooseHost: (hostId) => {
      remember(memory, hostId);
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
      const result = await client.request('dotfiles:list', { hostId, ...scopeOf(level) });
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

    open: async (path) => {
      const { hostId, level } = get();
      if (hostId === null) return;
      const current = ask('open');
      set({ openFailure: null });
      const result = await client.request('dotfiles:read', { hostId, ...scopeOf(level), path });
      const now = get();
      if (!current() || now.hostId !== hostId || !sameLevel(now.level, level)) return;
      if (result.ok) set({ draft: fresh(hostId, level, result.value), openFailure: null });
      else set({ draft: null, openFailure: { path, error: result.error } });
    },

    startNew: () => {
      const { hostId, level } = get();
      if (hostId === null) return;
      ask('open');
      set({ draft: fresh(hostId, level, null), openFailure: null });
    },

    close: () => {
      ask('open');
      set({ draft: null, openFailure: null });
    },

    edit: (patch) =>
      set((s) => {
        if (s.draft === null) return {};
        // A new file's path is its own; an opened file keeps the path it has.
        const { path, ...rest } = patch;
        const named = s.draft.saved === null && path !== undefined ? { path } : {};
        return { draft: { ...s.draft, ...rest, ...named, failure: null } };
      }),

    setCompare: (compare) => set((s) => (s.draft ? { draft: { ...s.draft, compare } } : {})),

    save: async () => {
      const { draft } = get();
      if (draft === null || draft.busy !== null || draft.conflict !== null) return null;
      return send(draft, draft.saved?.revision ?? null);
    },

    remove: async () => {
      const { draft } = get();
      if (draft === null || draft.saved === null)
        return {
          ok: false,
          error: { code: 'dotfile-not-found', message: 'No saved file is open to remove.' },
        };
      const result = await client.request('dotfiles:remove', {
        hostId: draft.hostId,
        ...scopeOf(draft.level),
        path: draft.saved.path,
        baseRevision: draft.saved.revision,
      });
      if (result.ok) {
        set((s) => (s.draft?.id === draft.id ? { draft: null } : {}));
        forgetPreviews(draft.hostId);
        void get().loadList(draft.hostId, draft.level);
      }
      return result;
    },

    compareTheirs: async () => {
      const { draft } = get();
      if (draft?.conflict == null) return;
      patchDraft(draft.id, () => ({ busy: 'reading' }));
      const theirs = await readTheirs(draft);
      patchDraft(draft.id, (d) =>
        theirs.ok
          ? {
              busy: null,
              compare: 'theirs',
              conflict: d.conflict && { ...d.conflict, theirs: theirs.doc },
            }
          : { busy: null, failure: theirs.error },
      );
    },

    overwrite: async () => {
      const { draft } = get();
      if (draft?.conflict == null || draft.busy !== null) return null;
      let theirs = draft.conflict.theirs;
      if (theirs === undefined) {
        patchDraft(draft.id, () => ({ busy: 'reading' }));
        const read = await readTheirs(draft);
        if (!read.ok) {
          patchDraft(draft.id, () => ({ busy: null, failure: read.error }));
          return { ok: false, error: read.error };
        }
        theirs = read.doc;
      }
      const now = get().draft;
      if (now?.id !== draft.id) return null;
      return send(now, theirs?.revision ?? null);
    },

    discardMine: async () => {
      const { draft } = get();
      if (draft === null) return;
      patchDraft(draft.id, () => ({ busy: 'reading' }));
      const theirs =
        draft.conflict?.theirs !== undefined
          ? { ok: true as const, doc: draft.conflict.theirs }
          : await readTheirs(draft);
      if (get().draft?.id !== draft.id) return;
      if (!theirs.ok) return patchDraft(draft.id, () => ({ busy: null, failure: theirs.error }));
      set({ draft: theirs.doc === null ? null : fresh(draft.hostId, draft.level, theirs.doc) });
      void get().loadList(draft.hostId, draft.level);
    },

    whenClean: (next) => {
      if (isDirty(get().draft)) set({ discardAsk: { next } });
      else next();
    },

    answerDiscard: (discard) => {
      const asked = get().discardAsk;
      set({ discardAsk: null });
      if (discard && asked) {
        set({ draft: null });
        asked.next();
      }
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
