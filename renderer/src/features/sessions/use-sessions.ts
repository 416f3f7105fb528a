import { useStore } from 'zustand';
import { api } from '../../api/api';
import { hostsStore, uiStore } from '../../stores/stores';
import { createSessionsStore, type SessionsState } from './sessions-store';

/**
 * The window's `sessions` store, wired to the real client; tests build their own instance with
 * createSessionsStore. Loaded by the Sessions page while it shows (it polls; nothing to watch).
 */
export const sessionsStore = createSessionsStore({
  client: api,
  showError: (error) => uiStore.getState().showError(error),
  hosts: () => hostsStore.getState().hosts,
});

/** Selects from the `sessions` store; pass `useShallow(…)` when picking several fields. */
export function useSessions<T>(selector: (state: SessionsState) => T): T {
  return useStore(sessionsStore, selector);
}
