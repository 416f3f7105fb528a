import { useStore } from 'zustand';
import { api } from '../../api/api';
import { uiStore } from '../../stores/stores';
import { createTerminalsStore, type TerminalsState } from './terminals-store';
import { terminalIdsOf } from './workspace-edits';
import { createXtermRegistry } from './xterm-registry';

/**
 * The window's `terminals` store and xterm registry, wired to the real client and to each
 * other: the registry reports links to the store; the store's workspace decides which
 * terminals the registry keeps, and its settings apply to them live.
 */

/** The `terminals` store: tabs, panes, links and settings (metadata only). */
export const terminalsStore = createTerminalsStore({
  client: api,
  showError: (error) => uiStore.getState().showError(error),
});

/** Selects from the `terminals` store; pass `useShallow(…)` when picking several fields. */
export function useTerminals<T>(selector: (state: TerminalsState) => T): T {
  return useStore(terminalsStore, selector);
}

/** The window's xterm instances and their streams, outside React and zustand. */
export const terminalRegistry = createXtermRegistry({
  client: api,
  onLink: (id, link) => terminalsStore.getState().setLink(id, link),
  settings: () => terminalsStore.getState().settings,
});

terminalsStore.subscribe((state, previous) => {
  if (state.workspace !== previous.workspace) {
    terminalRegistry.retain(terminalIdsOf(state.workspace));
  }
  if (state.settings !== previous.settings) terminalRegistry.applySettings(state.settings);
});
