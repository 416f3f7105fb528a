import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Client } from '../../../../common/contract/client';
import type { RequestInput } from '../../../../common/contract/contract';
import type { AppError, Result } from '../../../../common/contract/result';
import type { HostSetupReport, SetupMode } from '../../../../common/host-setup/setup-report';
import type { SetupStatus } from '../../../../common/host-setup/setup-status';
import type { HostSummary } from '../../../../common/hosts/host-summary';

/** How far one host is set up, as last asked (`hosts:setup-status`). */
export type SetupStatusEntry =
  | { readonly phase: 'loading' }
  | { readonly phase: 'loaded'; readonly status: SetupStatus }
  | { readonly phase: 'failed'; readonly error: AppError };

/** The last run of host setup on one host, as the dialog shows it. */
export type SetupRun =
  | { readonly phase: 'running'; readonly mode: SetupMode }
  | { readonly phase: 'done'; readonly report: HostSetupReport }
  | { readonly phase: 'failed'; readonly mode: SetupMode; readonly error: AppError };

/** What the dialog asks for: the contract's request without the host (and never a root). */
export type SetupRequest = Omit<RequestInput<'hosts:setup'>, 'hostId' | 'root'>;

/** The part of the `hosts` store this one follows: which hosts are connected. */
export type HostsSource = Pick<
  StoreApi<{ readonly hosts: readonly HostSummary[] }>,
  'getState' | 'subscribe'
>;

/** What the `host-setup` store needs from the rest of the window. */
export interface HostSetupStoreDeps {
  readonly client: Client;
  readonly hosts: HostsSource;
}

/**
 * Host setup in the window (issue 11): each connected host's setup status, which decides whether
 * its card offers "Set up this host…", and each host's last setup run. A run lives here rather
 * than in the dialog, so closing the dialog mid-run (setup may take minutes) loses nothing, and
 * the Undo confirmation, a dialog of its own, shows its outcome in the setup dialog.
 */
export interface HostSetupState {
  readonly statuses: Readonly<Record<string, SetupStatusEntry>>;
  readonly runs: Readonly<Record<string, SetupRun>>;
  /** Asks a host how far it is set up; the card shows the answer. */
  loadStatus(hostId: string): Promise<void>;
  /**
   * Runs setup, its dry run or its undo on a host; refuses (null) while a run is under way there.
   * A run that changed something asks for the host's status again.
   */
  run(hostId: string, request: SetupRequest): Promise<Result<HostSetupReport> | null>;
  /** Forgets a host's last run (the dialog opens empty); a run under way is kept. */
  clearRun(hostId: string): void;
  /** Asks every connected host without a status yet. */
  load(): Promise<void>;
  /**
   * Follows the hosts: asks a host each time it connects (a reconnect may be to an upgraded
   * host) and forgets a host once it is no longer connected. Returns the unsubscribe.
   */
  watch(): () => void;
}

/** The `host-setup` store's instance type. */
export type HostSetupStore = StoreApi<HostSetupState>;

/** The connection a status was asked on: a host's `since` while it is connected. */
function connectedSince(host: HostSummary): string | null {
  return host.connection.phase === 'connected' ? host.connection.since : null;
}

/** Creates the `host-setup` store. */
export function createHostSetupStore({ client, hosts }: HostSetupStoreDeps): HostSetupStore {
  /** The connection each status belongs to, by host id. */
  const askedOn = new Map<string, string>();

  const forget = (hostId: string): void => {
    askedOn.delete(hostId);
    store.setState((s) => {
      const { [hostId]: _status, ...statuses } = s.statuses;
      return { statuses };
    });
  };

  const follow = (list: readonly HostSummary[]): void => {
    const connected = new Map<string, string>();
    for (const host of list) {
      const since = connectedSince(host);
      if (since !== null) connected.set(host.id, since);
    }
    for (const hostId of [...askedOn.keys()]) if (!connected.has(hostId)) forget(hostId);
    for (const [hostId, since] of connected) {
      if (askedOn.get(hostId) === since) continue;
      askedOn.set(hostId, since);
      void store.getState().loadStatus(hostId);
    }
  };

  const store = createStore<HostSetupState>()((set, get) => ({
    statuses: {},
    runs: {},

    loadStatus: async (hostId) => {
      set((s) => ({
        // A status already shown stays while the new one loads: the card does not flicker.
        statuses: s.statuses[hostId]
          ? s.statuses
          : { ...s.statuses, [hostId]: { phase: 'loading' } },
      }));
      const result = await client.request('hosts:setup-status', { hostId });
      // The host went away (or disconnected) while it answered: it shows nothing.
      if (!askedOn.has(hostId)) return;
      const entry: SetupStatusEntry = result.ok
        ? { phase: 'loaded', status: result.value }
        : { phase: 'failed', error: result.error };
      set((s) => ({ statuses: { ...s.statuses, [hostId]: entry } }));
    },

    run: async (hostId, request) => {
      if (get().runs[hostId]?.phase === 'running') return null;
      const mode = request.mode ?? 'setup';
      set((s) => ({ runs: { ...s.runs, [hostId]: { phase: 'running', mode } } }));
      const result = await client.request('hosts:setup', { ...request, hostId });
      const run: SetupRun = result.ok
        ? { phase: 'done', report: result.value }
        : { phase: 'failed', mode, error: result.error };
      set((s) => ({ runs: { ...s.runs, [hostId]: run } }));
      if (result.ok && result.value.changed && askedOn.has(hostId)) await get().loadStatus(hostId);
      return result;
    },

    clearRun: (hostId) => {
      if (get().runs[hostId]?.phase === 'running') return;
      set((s) => {
        const { [hostId]: _run, ...runs } = s.runs;
        return { runs };
      });
    },

    load: async () => {
      follow(hosts.getState().hosts);
    },

    watch: () => {
      follow(hosts.getState().hosts);
      return hosts.subscribe((state, previous) => {
        if (state.hosts !== previous.hosts) follow(state.hosts);
      });
    },
  }));
  return store;
}
