import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Notice } from '../../../common/app/app-info';
import type { Client } from '../../../common/contract/client';
import type { AppError } from '../../../common/contract/result';
import { DEFAULT_PAGE, type PageId } from '../navigation/pages';

/** How long a non-error toast stays up: long enough to read one sentence twice. */
export const TOAST_AUTO_DISMISS_MS = 5_000;

/** Code of the toast shown when the bridge to the services goes away. */
export const CONNECTION_LOST_CODE = 'bridge-disconnected';

/** A short message in the corner. Errors stay until dismissed; the rest fade on their own. */
export interface Toast {
  readonly id: number;
  readonly kind: 'error' | 'info' | 'success';
  readonly message: string;
  readonly code?: string;
  readonly hint?: string;
  /** The host the toast is about: the stack keeps clear of that host card's buttons. */
  readonly hostId?: string;
}

/** The window-wide overlays the keyboard opens: the command palette and the shortcuts list. */
export type Overlay = 'palette' | 'shortcuts';

/**
 * Something the command palette (or a shortcut) asks of the Hosts page, whose dialogs live
 * there: the page takes it once it shows, and clears it.
 */
export type HostsIntent =
  | { readonly kind: 'add' }
  | { readonly kind: 'import' }
  | { readonly kind: 'edit' | 'check'; readonly hostId: string };

/** Something the palette (or a shortcut) asks of the Sessions page, as {@link HostsIntent}. */
export type SessionsIntent = { readonly kind: 'new' };

/** Something the palette (or a shortcut) asks of the Folders page: the New folder form. */
export type FoldersIntent = { readonly kind: 'new' };

/** What the window shows around the pages: navigation, toasts and notices. */
export interface UiState {
  readonly page: PageId;
  readonly toasts: readonly Toast[];
  readonly notices: readonly Notice[];
  /** Ids of notices whose dismissal is on its way to the services. */
  readonly dismissingNotices: Readonly<Record<string, true>>;
  /** The overlay open now, if any. */
  readonly overlay: Overlay | null;
  /** What the Hosts page is asked to open next; null once it took it. */
  readonly hostsIntent: HostsIntent | null;
  /** What the Sessions page is asked to open next; null once it took it. */
  readonly sessionsIntent: SessionsIntent | null;
  /** What the Folders page is asked to open next; null once it took it. */
  readonly foldersIntent: FoldersIntent | null;
  showPage(page: PageId): void;
  openOverlay(overlay: Overlay): void;
  closeOverlay(): void;
  /** Shows the Hosts page and asks it to open `intent` (the add form, a host's Doctor…). */
  requestHosts(intent: HostsIntent): void;
  /** Takes the Hosts page's pending intent, leaving none. */
  takeHostsIntent(): HostsIntent | null;
  /** Shows the Sessions page and asks it to open `intent` (the New session form). */
  requestSessions(intent: SessionsIntent): void;
  /** Takes the Sessions page's pending intent, leaving none. */
  takeSessionsIntent(): SessionsIntent | null;
  /** Shows the Folders page and asks it to open `intent` (the New folder form). */
  requestFolders(intent: FoldersIntent): void;
  /** Takes the Folders page's pending intent, leaving none. */
  takeFoldersIntent(): FoldersIntent | null;
  /** Shows a toast; non-error toasts dismiss themselves after {@link TOAST_AUTO_DISMISS_MS}. */
  showToast(toast: Omit<Toast, 'id'>): void;
  /**
   * Shows a failed request's code, message and hint, once per code while it is visible;
   * `hostId` names the host it is about, whose card the toast then keeps clear of.
   */
  showError(error: AppError, hostId?: string): void;
  /** Replaces every disconnection error with one persistent "connection lost" toast. */
  showConnectionLost(): void;
  dismissToast(id: number): void;
  /** Dismisses the newest toast, as Escape does. */
  dismissLatestToast(): void;
  /** Adds notices not already shown (matched by id). */
  addNotices(notices: readonly Notice[]): void;
  /** Tells the services the notice was read, then hides it; on failure it stays, with a toast. */
  dismissNotice(id: string): Promise<void>;
}

/** The `ui` store's instance type. */
export type UiStore = StoreApi<UiState>;

/** Creates the `ui` store. `client` is needed only to dismiss notices. */
export function createUiStore(client: Client): UiStore {
  let nextToastId = 1;

  return createStore<UiState>()((set, get) => ({
    page: DEFAULT_PAGE,
    toasts: [],
    notices: [],
    dismissingNotices: {},
    overlay: null,
    hostsIntent: null,
    sessionsIntent: null,
    foldersIntent: null,

    showPage: (page) => set({ page }),

    openOverlay: (overlay) => set({ overlay }),

    closeOverlay: () => set({ overlay: null }),

    requestHosts: (intent) => set({ page: 'hosts', hostsIntent: intent }),

    takeHostsIntent: () => {
      const intent = get().hostsIntent;
      if (intent !== null) set({ hostsIntent: null });
      return intent;
    },

    requestSessions: (intent) => set({ page: 'sessions', sessionsIntent: intent }),

    takeSessionsIntent: () => {
      const intent = get().sessionsIntent;
      if (intent !== null) set({ sessionsIntent: null });
      return intent;
    },

    requestFolders: (intent) => set({ page: 'folders', foldersIntent: intent }),

    takeFoldersIntent: () => {
      const intent = get().foldersIntent;
      if (intent !== null) set({ foldersIntent: null });
      return intent;
    },

    showToast: (toast) => {
      const id = nextToastId++;
      set((s) => ({ toasts: [...s.toasts, { ...toast, id }] }));
      if (toast.kind !== 'error') setTimeout(() => get().dismissToast(id), TOAST_AUTO_DISMISS_MS);
    },

    showError: (error, hostId) => {
      if (get().toasts.some((t) => t.kind === 'error' && t.code === error.code)) return;
      get().showToast({ kind: 'error', ...error, ...(hostId === undefined ? {} : { hostId }) });
    },

    showConnectionLost: () => {
      set((s) => ({ toasts: s.toasts.filter((t) => t.code !== CONNECTION_LOST_CODE) }));
      get().showToast({
        kind: 'error',
        code: CONNECTION_LOST_CODE,
        message: 'Lost the connection to LabDeck.',
        hint: 'Reload the page. In browser mode, check that `npm run serve` is still running.',
      });
    },

    dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),

    dismissLatestToast: () => {
      const latest = get().toasts.at(-1);
      if (latest) get().dismissToast(latest.id);
    },

    addNotices: (notices) =>
      set((s) => {
        const fresh = notices.filter((n) => !s.notices.some((shown) => shown.id === n.id));
        return fresh.length === 0 ? s : { notices: [...s.notices, ...fresh] };
      }),

    dismissNotice: async (id) => {
      if (get().dismissingNotices[id]) return;
      set((s) => ({ dismissingNotices: { ...s.dismissingNotices, [id]: true } }));
      const result = await client.request('app:dismiss-notice', { id });
      set((s) => {
        const { [id]: _done, ...dismissing } = s.dismissingNotices;
        const notices = result.ok ? s.notices.filter((n) => n.id !== id) : s.notices;
        return { dismissingNotices: dismissing, notices };
      });
      if (!result.ok) get().showError(result.error);
    },
  }));
}
