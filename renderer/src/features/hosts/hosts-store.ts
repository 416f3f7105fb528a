import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Client } from '../../../../common/contract/client';
import type { AppError } from '../../../../common/contract/result';
import type { HostSummary } from '../../../../common/hosts/host-summary';

/** What the `hosts` store needs from the rest of the window. */
export interface HostsStoreDeps {
  readonly client: Client;
  readonly showError: (error: AppError) => void;
}

/** The hosts LabDeck knows and the state of their Docker engines. */
export interface HostsState {
  readonly hosts: readonly HostSummary[];
  /** `loading` only covers the first list; later updates arrive in place. */
  readonly status: 'idle' | 'loading' | 'loaded' | 'failed';
  /** Why the list could not be loaded; null unless `status` is `failed`. */
  readonly error: AppError | null;
  /** Ids of hosts being checked again. */
  readonly refreshing: Readonly<Record<string, true>>;
  /** Loads the host list. */
  load(): Promise<void>;
  /** Checks one host's Docker engine again; a second call while one runs does nothing. */
  refresh(id: string): Promise<void>;
  /** Applies `host:updated` events from now on; returns the unsubscribe. */
  watch(): () => void;
}

/** The `hosts` store's instance type. */
export type HostsStore = StoreApi<HostsState>;

/** Creates the `hosts` store. */
export function createHostsStore({ client, showError }: HostsStoreDeps): HostsStore {
  const upsert = (host: HostSummary): void =>
    store.setState((s) => ({ hosts: upsertHost(s.hosts, host) }));

  const store = createStore<HostsState>()((set, get) => ({
    hosts: [],
    status: 'idle',
    error: null,
    refreshing: {},

    load: async () => {
      set({ status: 'loading', error: null });
      const result = await client.request('hosts:list', {});
      if (result.ok) {
        set({ hosts: result.value, status: 'loaded' });
      } else {
        set({ status: 'failed', error: result.error });
        showError(result.error);
      }
    },

    refresh: async (id) => {
      if (get().refreshing[id]) return;
      set((s) => ({ refreshing: { ...s.refreshing, [id]: true } }));
      const result = await client.request('hosts:refresh', { id });
      set((s) => {
        const { [id]: _done, ...refreshing } = s.refreshing;
        return { refreshing };
      });
      if (result.ok) upsert(result.value);
      else showError(result.error);
    },

    watch: () => client.on('host:updated', upsert),
  }));
  return store;
}

/** Replaces the host with the same id, or appends it when it is new. */
export function upsertHost(
  hosts: readonly HostSummary[],
  host: HostSummary,
): readonly HostSummary[] {
  const index = hosts.findIndex((h) => h.id === host.id);
  return index === -1 ? [...hosts, host] : hosts.with(index, host);
}
