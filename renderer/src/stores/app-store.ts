import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppInfo, Notice } from '../../../common/app/app-info';
import type { Client } from '../../../common/contract/client';
import type { AppError } from '../../../common/contract/result';
import { assertNever } from '../util/assert-never';

/** What the `app` store needs from the rest of the window. */
export interface AppStoreDeps {
  readonly client: Client;
  readonly showError: (error: AppError) => void;
  /** Receives the notices of `app:get-info` and of every `app:notice-raised` event. */
  readonly addNotices: (notices: readonly Notice[]) => void;
}

/** The process behind the window: version, run mode, whether secrets survive a restart. */
export interface AppState {
  /** Null until `app:get-info` answered, and when it failed. */
  readonly info: AppInfo | null;
  readonly status: 'idle' | 'loading' | 'loaded' | 'failed';
  /** Asks the services who they are; forwards their open notices. */
  load(): Promise<void>;
  /** Listens for notices raised while the window is open; returns the unsubscribe. */
  watch(): () => void;
}

/** The `app` store's instance type. */
export type AppStore = StoreApi<AppState>;

/** Creates the `app` store. */
export function createAppStore({ client, showError, addNotices }: AppStoreDeps): AppStore {
  return createStore<AppState>()((set) => ({
    info: null,
    status: 'idle',

    load: async () => {
      set({ status: 'loading' });
      const result = await client.request('app:get-info', {});
      if (!result.ok) {
        set({ status: 'failed' });
        showError(result.error);
        return;
      }
      set({ info: result.value, status: 'loaded' });
      addNotices(result.value.notices);
    },

    watch: () => client.on('app:notice-raised', (notice) => addNotices([notice])),
  }));
}

/** The note shown when secrets cannot outlive the server, or null when they can (or unknown). */
export function secretsNote(info: AppInfo | null): string | null {
  if (info === null || info.secretsPersistent) return null;
  return info.mode === 'browser'
    ? 'Secrets are kept only while this server runs — no OS keychain in browser mode.'
    : 'Secrets are kept only while LabDeck runs — no OS keychain was found.';
}

/** A short label for the run mode, or null where it goes without saying (the desktop app). */
export function runModeLabel(info: AppInfo | null): string | null {
  if (info === null) return null;
  switch (info.mode) {
    case 'browser':
      return 'Browser mode';
    case 'cli':
      return 'Command line';
    case 'electron':
      return null;
    default:
      return assertNever(info.mode);
  }
}
