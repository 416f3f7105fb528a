import type { StoreApi } from 'zustand/vanilla';
import type { HostSummary } from '../../../common/hosts/host-summary';

/** The part of the `hosts` store a page's store follows: which hosts are connected. */
export type HostsSource = Pick<
  StoreApi<{ readonly hosts: readonly HostSummary[] }>,
  'getState' | 'subscribe'
>;

/** Where a page keeps the host chosen last; localStorage in the window. */
export type HostMemory = Pick<Storage, 'getItem' | 'setItem'>;

/** The host kept under `key` as chosen last, or null when none was (or storage is not available). */
export function rememberedHost(memory: HostMemory | undefined, key: string): string | null {
  try {
    return memory?.getItem(key) ?? null;
  } catch {
    // Storage can be switched off (a browser's privacy setting): the page then just forgets.
    return null;
  }
}

/** Keeps `hostId` under `key` as the host chosen last; a storage that refuses is ignored. */
export function rememberHost(memory: HostMemory | undefined, key: string, hostId: string): void {
  try {
    memory?.setItem(key, hostId);
  } catch {
    // As above: remembering is a convenience, never a failure.
  }
}

/** How the hosts a page can ask changed since it last looked. */
export interface HostChanges {
  /** Hosts asked before and gone now: their answers are to be forgotten. */
  readonly gone: readonly string[];
  /** Hosts connected (again) since: their answers are to be asked for. */
  readonly fresh: readonly HostSummary[];
}

/**
 * Compares `connected` with `askedOn` (the connection each host's answers belong to, by host id)
 * and brings `askedOn` up to date.
 */
export function hostChanges(
  connected: readonly HostSummary[],
  askedOn: Map<string, string>,
): HostChanges {
  const gone = [...askedOn.keys()].filter((hostId) => !connected.some((h) => h.id === hostId));
  for (const hostId of gone) askedOn.delete(hostId);
  const fresh: HostSummary[] = [];
  for (const host of connected) {
    const since = host.connection.phase === 'connected' ? host.connection.since : host.kind;
    if (askedOn.get(host.id) === since) continue;
    askedOn.set(host.id, since);
    fresh.push(host);
  }
  return { gone, fresh };
}

/**
 * The host a page shows next when `shown` is none or no longer connected: the one remembered if
 * connected, or the first (null for none); undefined while `shown` is still connected. The memory
 * is read only when a fallback is needed.
 */
export function fallbackHost(
  shown: string | null,
  connected: readonly HostSummary[],
  remembered: () => string | null,
): HostSummary | null | undefined {
  if (shown !== null && connected.some((h) => h.id === shown)) return undefined;
  const last = remembered();
  return connected.find((h) => h.id === last) ?? connected[0] ?? null;
}
