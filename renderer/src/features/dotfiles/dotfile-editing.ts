import type { StoreApi } from 'zustand/vanilla';
import type { Client } from '../../../../common/contract/client';
import type { AppError, Result } from '../../../../common/contract/result';
import type {
  DotfileDocument,
  DotfileScopeRef,
  DotfileSummary,
} from '../../../../common/dotfiles/dotfile-store';
import { isDirty, openedDraft, type DotfileCompare, type DotfileDraft } from './dotfile-draft';
import { sameLevel, scopeFields } from './dotfile-form';
import type { DotfilesState } from './dotfiles-store';

/**
 * The `dotfiles` store's editor part (issue 13): the one file open with the user's unsaved
 * text, saves from the revision it was opened at, a refused save's conflict and the ways out
 * of it (compare, overwrite, discard), removal, and the question asked before unsaved text
 * would be thrown away. The host, level and lists it works on are the store's other part.
 */
export interface DotfileEditingState {
  readonly draft: DotfileDraft | null;
  /** A file that could not be opened, and why. */
  readonly openFailure: { readonly path: string; readonly error: AppError } | null;
  /** What waits for "Discard changes?" to be answered. */
  readonly discardAsk: { readonly next: () => void } | null;
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
}

/** What the editor part needs from the store it is part of. */
export interface DotfileEditingDeps {
  readonly client: Client;
  readonly set: StoreApi<DotfilesState>['setState'];
  readonly get: StoreApi<DotfilesState>['getState'];
  /** Marks a new ask of `key`; the answer is current while no later ask of it was made. */
  readonly ask: (key: string) => () => boolean;
  /** Forgets a host's previews: a saved or removed file changes what sessions get. */
  readonly forgetPreviews: (hostId: string) => void;
}

/** Their current version of a file: the document, null when gone, or why it cannot be read. */
type Theirs = { ok: true; doc: DotfileDocument | null } | { ok: false; error: AppError };

/** The editor part of the `dotfiles` store: its state and actions. */
export function createDotfileEditing({
  client,
  set,
  get,
  ask,
  forgetPreviews,
}: DotfileEditingDeps): DotfileEditingState {
  let nextDraftId = 1;

  /** Sets the draft only while it is still the editor `id` opened. */
  const patchDraft = (id: number, patch: (draft: DotfileDraft) => Partial<DotfileDraft>): void =>
    set((s) => (s.draft?.id === id ? { draft: { ...s.draft, ...patch(s.draft) } } : {}));

  const fresh = (hostId: string, level: DotfileScopeRef, doc: DotfileDocument | null) =>
    openedDraft(nextDraftId++, hostId, level, doc);

  const readTheirs = async (draft: DotfileDraft): Promise<Theirs> => {
    const result = await client.request('dotfiles:read', {
      hostId: draft.hostId,
      ...scopeFields(draft.level),
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
      ...scopeFields(draft.level),
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
      void get().loadList(draft.hostId, draft.level);
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

  return {
    draft: null,
    openFailure: null,
    discardAsk: null,

    open: async (path) => {
      const { hostId, level } = get();
      if (hostId === null) return;
      const current = ask('open');
      set({ openFailure: null });
      const result = await client.request('dotfiles:read', { hostId, ...scopeFields(level), path });
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
        ...scopeFields(draft.level),
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
      const theirs: Theirs =
        draft.conflict?.theirs !== undefined
          ? { ok: true, doc: draft.conflict.theirs }
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
  };
}
