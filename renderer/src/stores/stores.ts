import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { api, onConnectionLost } from '../api/api';
import { windowMemory } from '../features/folders/folder-hosts';
import { createFoldersStore } from '../features/folders/folders-store';
import { createGpusStore } from '../features/gpus/gpus-store';
import { createHostSetupStore } from '../features/host-setup/host-setup-store';
import { createHostsStore } from '../features/hosts/hosts-store';
import { createPromptsStore } from '../features/prompts/prompts-store';
import { createSessionsStore } from '../features/sessions/sessions-store';
import { createAppStore } from './app-store';
import { createUiStore } from './ui-store';

/**
 * The window's store instances, wired to the real client: one line per store, giving the instance
 * and its selector hook. Tests build their own instances with a fake client instead.
 */

/** Selects from a store; pass `useShallow(…)` when picking several fields. */
type SelectorHook<S> = <T>(selector: (state: S) => T) => T;

/** A store that subscribes to its events and loads its first state when the window opens. */
interface OpensWithWindow {
  watch(): unknown;
  load(): Promise<void>;
}

const opening: StoreApi<OpensWithWindow>[] = [];

function windowStore<S extends OpensWithWindow>(
  store: StoreApi<S>,
  start: 'on-open',
): readonly [StoreApi<S>, SelectorHook<S>];
function windowStore<S>(store: StoreApi<S>): readonly [StoreApi<S>, SelectorHook<S>];
function windowStore<S>(store: StoreApi<S>, start?: 'on-open') {
  if (start) opening.push(store as unknown as StoreApi<OpensWithWindow>);
  const useSelected: SelectorHook<S> = (selector) => useStore(store, selector);
  return [store, useSelected] as const;
}

/** The `ui` store: page, toasts, notices. */
export const [uiStore, useUi] = windowStore(createUiStore(api));

const { showError, addNotices } = uiStore.getState();
const deps = { client: api, showError, addNotices };

/** The `app` store: who is serving the window. */
export const [appStore, useApp] = windowStore(createAppStore(deps), 'on-open');

/** The `hosts` store. */
export const [hostsStore, useHosts] = windowStore(createHostsStore(deps), 'on-open');

/** The `host-setup` store: each connected host's setup status and its last setup run. */
export const [hostSetupStore, useHostSetup] = windowStore(
  createHostSetupStore({ client: api, hosts: hostsStore }),
  'on-open',
);

/** The `prompts` store: questions connections ask the user. */
export const [promptsStore, usePrompts] = windowStore(createPromptsStore(deps), 'on-open');

/**
 * The `sessions` store: every connected host's sessions. Loaded by the Sessions page while it
 * shows (it polls; Docker has nothing to watch) and by the command palette when it opens.
 */
export const [sessionsStore, useSessions] = windowStore(
  createSessionsStore({ ...deps, hosts: () => hostsStore.getState().hosts }),
);

/** The `folders` store: each connected host's folders and invitations (the nav counts these). */
export const [foldersStore, useFolders] = windowStore(
  createFoldersStore({ client: api, hosts: hostsStore, memory: windowMemory() }),
  'on-open',
);

/** The `gpus` store: each host's GPUs and their live telemetry (subscribed per host by views). */
export const [gpusStore, useGpus] = windowStore(createGpusStore(api));

let started = false;

/**
 * Starts what the window needs once, before the first render: every store's event subscriptions
 * first (so no update is missed between loading and subscribing), then their first loads.
 * Idempotent, so React's development double-invocation cannot subscribe twice.
 */
export function startStores(): void {
  if (started) return;
  started = true;
  onConnectionLost(() => uiStore.getState().showConnectionLost());
  for (const store of opening) store.getState().watch();
  for (const store of opening) void store.getState().load();
}
