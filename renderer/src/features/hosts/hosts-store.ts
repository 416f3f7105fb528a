import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Client } from '../../../../common/contract/client';
import type { RequestOutput } from '../../../../common/contract/contract';
import type { AppError, Result } from '../../../../common/contract/result';
import type { DoctorReport } from '../../../../common/hosts/doctor-report';
import type { SshHostInput } from '../../../../common/hosts/host-config';
import type { HostSummary } from '../../../../common/hosts/host-summary';

/** What the `hosts` store needs from the rest of the window. */
export interface HostsStoreDeps {
  readonly client: Client;
  /** Shows an error toast; `hostId` names the host it is about (its card stays uncovered). */
  readonly showError: (error: AppError, hostId?: string) => void;
}

/** What `hosts:import-ssh-config` reports: the hosts added and each host skipped, with why. */
export type ImportReport = RequestOutput<'hosts:import-ssh-config'>;

/** What `hosts:preview-import` lists: the hosts of ~/.ssh/config before any is added. */
export type ImportPreview = RequestOutput<'hosts:preview-import'>;

/** A request under way for one host; its buttons show it and do not send it twice. */
export type HostAction = 'connecting' | 'disconnecting' | 'removing';

/** The requests under way for one host. */
export type HostActions = Readonly<Partial<Record<HostAction, true>>>;

/** The hosts LabDeck knows, their connections and the state of their Docker engines. */
export interface HostsState {
  readonly hosts: readonly HostSummary[];
  /** `loading` only covers the first list; later updates arrive in place. */
  readonly status: 'idle' | 'loading' | 'loaded' | 'failed';
  /** Why the list could not be loaded; null unless `status` is `failed`. */
  readonly error: AppError | null;
  /** Ids of hosts being checked again. */
  readonly refreshing: Readonly<Record<string, true>>;
  /** Connect, disconnect or remove requests under way, by host id (Disconnect may stop a Connect). */
  readonly actions: Readonly<Record<string, HostActions>>;
  /** Loads the host list. */
  load(): Promise<void>;
  /** Checks one host's Docker engine again; a second call while one runs does nothing. */
  refresh(id: string): Promise<void>;
  /** Connects; the card follows the steps through `host:updated`, so only unseen errors toast. */
  connect(id: string): Promise<void>;
  /** Closes a host's connection and stops reconnecting. */
  disconnect(id: string): Promise<void>;
  /** Forgets a host; the confirming dialog shows a failure itself. */
  remove(id: string): Promise<Result<unknown>>;
  /** Adds an SSH host; the form shows a failure next to its field. */
  add(input: SshHostInput): Promise<Result<HostSummary>>;
  /** Changes an SSH host; the form shows a failure next to its field. */
  update(id: string, input: SshHostInput): Promise<Result<HostSummary>>;
  /** Lists what importing `~/.ssh/config` would add; the preview dialog lets the user choose. */
  previewImport(): Promise<Result<ImportPreview>>;
  /**
   * Adds the hosts of `~/.ssh/config` (those named, or every new one); the result dialog shows
   * what was added and skipped.
   */
  importSshConfig(names?: readonly string[]): Promise<Result<ImportReport>>;
  /**
   * Records the key a host presents now if it has exactly the fingerprint the user verified,
   * then connects again; the dialog shows a refusal itself.
   */
  replaceHostKey(id: string, fingerprint: string): Promise<Result<{ fingerprint: string }>>;
  /** Runs the Doctor's step-by-step check of a host (`hosts:check`); the panel shows the result. */
  check(id: string): Promise<Result<DoctorReport>>;
  /**
   * Applies `host:updated` and `host:removed` events, and the `hosts:changed` list (hosts added,
   * edited or removed by the CLI or another window), from now on; returns the unsubscribe.
   */
  watch(): () => void;
}

/** The `hosts` store's instance type. */
export type HostsStore = StoreApi<HostsState>;

/** Creates the `hosts` store. */
export function createHostsStore({ client, showError }: HostsStoreDeps): HostsStore {
  const upsert = (host: HostSummary): void =>
    store.setState((s) => ({ hosts: upsertHost(s.hosts, host) }));
  const drop = (id: string): void =>
    store.setState((s) => ({ hosts: s.hosts.filter((h) => h.id !== id) }));

  /** Runs one kind of action for a host unless that kind is already under way for it. */
  const act = async <T>(
    id: string,
    action: HostAction,
    run: () => Promise<Result<T>>,
  ): Promise<Result<T> | null> => {
    if (store.getState().actions[id]?.[action]) return null;
    store.setState((s) => ({
      actions: { ...s.actions, [id]: { ...s.actions[id], [action]: true } },
    }));
    try {
      return await run();
    } finally {
      store.setState((s) => {
        const { [action]: _done, ...rest } = s.actions[id] ?? {};
        const { [id]: _host, ...others } = s.actions;
        return { actions: Object.keys(rest).length === 0 ? others : { ...others, [id]: rest } };
      });
    }
  };

  const store = createStore<HostsState>()((set, get) => ({
    hosts: [],
    status: 'idle',
    error: null,
    refreshing: {},
    actions: {},

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
      const result = await client.request('hosts:refresh', { hostId: id });
      set((s) => {
        const { [id]: _done, ...refreshing } = s.refreshing;
        return { refreshing };
      });
      if (result.ok) upsert(result.value);
      else showError(result.error, id);
    },

    connect: async (id) => {
      const result = await act(id, 'connecting', () =>
        client.request('hosts:connect', { hostId: id }),
      );
      if (result === null) return;
      if (result.ok) upsert(result.value);
      else if (!cardShowsError(get().hosts, id, result.error)) showError(result.error, id);
    },

    disconnect: async (id) => {
      const result = await act(id, 'disconnecting', () =>
        client.request('hosts:disconnect', { hostId: id }),
      );
      if (result === null) return;
      if (result.ok) upsert(result.value);
      else showError(result.error, id);
    },

    remove: async (id) => {
      const result = await act(id, 'removing', () =>
        client.request('hosts:remove', { hostId: id }),
      );
      if (result === null) return { ok: true, value: {} };
      if (result.ok) drop(id);
      return result;
    },

    add: async (input) => {
      const result = await client.request('hosts:add', input);
      if (result.ok) upsert(result.value);
      return result;
    },

    update: async (id, host) => {
      const result = await client.request('hosts:update', { hostId: id, host });
      if (result.ok) upsert(result.value);
      return result;
    },

    previewImport: () => client.request('hosts:preview-import', {}),

    importSshConfig: async (names) => {
      const result = await client.request(
        'hosts:import-ssh-config',
        names ? { names: [...names] } : {},
      );
      if (result.ok) for (const host of result.value.added) upsert(host);
      return result;
    },

    replaceHostKey: async (id, fingerprint) => {
      const result = await client.request('hosts:replace-host-key', { hostId: id, fingerprint });
      if (result.ok) void get().connect(id);
      return result;
    },

    check: (id) => client.request('hosts:check', { hostId: id }),

    watch: () => {
      const offUpdated = client.on('host:updated', upsert);
      const offRemoved = client.on('host:removed', ({ id }) => drop(id));
      // Hosts added, edited or removed elsewhere (the CLI, another window) come as a new list.
      const offChanged = client.listen(
        'hosts:changed',
        {},
        { event: ({ hosts }) => set({ hosts, status: 'loaded', error: null }) },
      );
      return () => {
        offUpdated();
        offRemoved();
        offChanged();
      };
    },
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

/** True when the host's card already shows `error` as its failure or last reconnect error. */
function cardShowsError(hosts: readonly HostSummary[], id: string, error: AppError): boolean {
  const state = hosts.find((h) => h.id === id)?.connection;
  if (state?.phase === 'failed') return state.error.code === error.code;
  if (state?.phase === 'idle') return state.cancelled?.code === error.code;
  if (state?.phase === 'reconnecting') return state.lastError.code === error.code;
  return false;
}
