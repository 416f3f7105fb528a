import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Client } from '../../../../common/contract/client';
import type { AppError } from '../../../../common/contract/result';
import type { GpuInventory } from '../../../../common/gpu/gpu';
import type { GpuTick } from '../../../../common/gpu/gpu-sample';
import { TelemetryRing } from './telemetry-ring';

/** One host's GPU list as last asked for. */
export interface GpuInventoryEntry {
  readonly status: 'loading' | 'loaded' | 'failed';
  /** The last list that arrived; kept while a newer one loads. */
  readonly inventory: GpuInventory | null;
  /** Why the last request failed; null unless `status` is `failed`. */
  readonly error: AppError | null;
}

/**
 * Every host's GPUs and their live telemetry. Telemetry ticks go into a ring buffer per GPU held
 * outside the state; the state only carries a version per host, bumped on each tick, for the
 * charts to select — one small update per tick, and no arrays copied.
 */
export interface GpusState {
  readonly inventories: Readonly<Record<string, GpuInventoryEntry>>;
  /** Bumped for a host on each of its telemetry ticks. */
  readonly versions: Readonly<Record<string, number>>;
  /** Why watching a host's telemetry failed, by host id. */
  readonly watchErrors: Readonly<Record<string, AppError>>;
  /** Asks the host for its GPUs (`gpus:list`). */
  load(hostId: string): Promise<void>;
  /**
   * Starts the host's live telemetry (`gpus:telemetry`), or joins it: counted, so two views share
   * one subscription. Returns the release; the last release unsubscribes. A window that goes
   * away (reload, closed tab) is unsubscribed by the services themselves.
   */
  watch(hostId: string): () => void;
  /** The telemetry history of one GPU, or undefined before its first tick. */
  history(hostId: string, gpuUuid: string): TelemetryRing | undefined;
  /**
   * When the host's GPUs were last read (ms since the epoch): its newest telemetry tick, or its
   * list's capture time; null when nothing was ever read. What "last seen 12:04" shows.
   */
  lastSeen(hostId: string): number | null;
}

/** The `gpus` store's instance type. */
export type GpusStore = StoreApi<GpusState>;

interface Feed {
  count: number;
  unlisten: () => void;
}

/** Creates the `gpus` store. */
export function createGpusStore(client: Client): GpusStore {
  const rings = new Map<string, TelemetryRing>();
  const feeds = new Map<string, Feed>();
  const ringKey = (hostId: string, uuid: string): string => `${hostId}\u0000${uuid}`;

  const clearError = (hostId: string): void => {
    if (store.getState().watchErrors[hostId] === undefined) return;
    store.setState((s) => {
      const { [hostId]: _cleared, ...watchErrors } = s.watchErrors;
      return { watchErrors };
    });
  };

  /** Ticks are keyed by the host id the view asked with, which is the id the services send. */
  const record = (hostId: string, tick: GpuTick): void => {
    clearError(hostId);
    let changed = false;
    for (const sample of tick.gpus) {
      const key = ringKey(hostId, sample.uuid);
      let ring = rings.get(key);
      if (!ring) rings.set(key, (ring = new TelemetryRing()));
      changed = ring.push(tick.at, sample) || changed;
    }
    if (!changed) return;
    store.setState((s) => ({
      versions: { ...s.versions, [hostId]: (s.versions[hostId] ?? 0) + 1 },
    }));
  };

  const start = (hostId: string): Feed => {
    const feed: Feed = { count: 0, unlisten: () => {} };
    feed.unlisten = client.listen(
      'gpus:telemetry',
      { hostId },
      {
        event: (tick) => record(hostId, tick),
        end: (error) => {
          // Forget the feed: the next watch (a retry) starts a new one.
          if (feeds.get(hostId) === feed) feeds.delete(hostId);
          if (error) {
            store.setState((s) => ({ watchErrors: { ...s.watchErrors, [hostId]: error } }));
          }
        },
      },
    );
    return feed;
  };

  const store = createStore<GpusState>()((set, get) => ({
    inventories: {},
    versions: {},
    watchErrors: {},

    load: async (hostId) => {
      set((s) => ({
        inventories: {
          ...s.inventories,
          [hostId]: {
            status: 'loading',
            inventory: s.inventories[hostId]?.inventory ?? null,
            error: null,
          },
        },
      }));
      const result = await client.request('gpus:list', { hostId });
      set((s) => ({
        inventories: {
          ...s.inventories,
          [hostId]: result.ok
            ? { status: 'loaded', inventory: result.value, error: null }
            : {
                status: 'failed',
                inventory: s.inventories[hostId]?.inventory ?? null,
                error: result.error,
              },
        },
      }));
    },

    watch: (hostId) => {
      let feed = feeds.get(hostId);
      if (!feed) feeds.set(hostId, (feed = start(hostId)));
      feed.count += 1;
      const joined = feed;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        joined.count -= 1;
        if (joined.count > 0) return;
        if (feeds.get(hostId) === joined) feeds.delete(hostId);
        joined.unlisten();
      };
    },

    history: (hostId, uuid) => rings.get(ringKey(hostId, uuid)),

    lastSeen: (hostId) => {
      const inventory = get().inventories[hostId]?.inventory;
      let newest: number | null = inventory ? Date.parse(inventory.capturedAt) : null;
      for (const gpu of inventory?.gpus ?? []) {
        const at = rings.get(ringKey(hostId, gpu.uuid))?.latestAt ?? null;
        if (at !== null && (newest === null || at > newest)) newest = at;
      }
      return newest;
    },
  }));
  return store;
}
