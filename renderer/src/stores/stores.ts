import { useStore } from 'zustand';
import { api, onConnectionLost } from '../api/api';
import { createGpusStore, type GpusState } from '../features/gpus/gpus-store';
import { createHostsStore, type HostsState } from '../features/hosts/hosts-store';
import { createPromptsStore, type PromptsState } from '../features/prompts/prompts-store';
import { createAppStore, type AppState } from './app-store';
import { createUiStore, type UiState } from './ui-store';

/**
 * The window's store instances, wired to the real client. Components reach them through the
 * hooks below; tests build their own instances with a fake client instead of importing this.
 */

/** The `ui` store instance: page, toasts, notices. */
export const uiStore = createUiStore(api);

const { showError, addNotices } = uiStore.getState();

/** The `app` store instance: who is serving the window. */
export const appStore = createAppStore({ client: api, showError, addNotices });

/** The `hosts` store instance. */
export const hostsStore = createHostsStore({ client: api, showError });

/** The `prompts` store instance: questions connections ask the user. */
export const promptsStore = createPromptsStore({ client: api, showError });

/** The `gpus` store instance: each host's GPUs and their live telemetry. */
export const gpusStore = createGpusStore(api);

/** Selects from the `ui` store; pass `useShallow(…)` when picking several fields. */
export function useUi<T>(selector: (state: UiState) => T): T {
  return useStore(uiStore, selector);
}

/** Selects from the `app` store. */
export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(appStore, selector);
}

/** Selects from the `hosts` store. */
export function useHosts<T>(selector: (state: HostsState) => T): T {
  return useStore(hostsStore, selector);
}

/** Selects from the `prompts` store. */
export function usePrompts<T>(selector: (state: PromptsState) => T): T {
  return useStore(promptsStore, selector);
}

/** Selects from the `gpus` store. */
export function useGpus<T>(selector: (state: GpusState) => T): T {
  return useStore(gpusStore, selector);
}

let started = false;

/**
 * Starts what the window needs once, before the first render: event subscriptions first (so no
 * update is missed between loading and subscribing), then the first loads. Idempotent, so React's
 * development double-invocation cannot subscribe twice.
 */
export function startStores(): void {
  if (started) return;
  started = true;
  onConnectionLost(() => uiStore.getState().showConnectionLost());
  appStore.getState().watch();
  hostsStore.getState().watch();
  promptsStore.getState().watch();
  gpusStore.getState().listen();
  void appStore.getState().load();
  void hostsStore.getState().load();
  void promptsStore.getState().load();
}
