import { useStore } from 'zustand';
import { api } from '../../api/api';
import { hostsStore } from '../../stores/stores';
import { windowMemory } from '../folders/folder-hosts';
import { createDotfilesStore, type DotfilesState } from './dotfiles-store';

/**
 * The window's `dotfiles` store, wired to the real client and the hosts store. Started by the
 * Dotfiles page while it shows (`watch`); the New session form asks it for a host's groups and
 * preview. Its editor text outlives the page, so switching pages loses nothing typed.
 */
export const dotfilesStore = createDotfilesStore({
  client: api,
  hosts: hostsStore,
  memory: windowMemory(),
});

/** Selects from the `dotfiles` store; pass `useShallow(…)` when picking several fields. */
export function useDotfiles<T>(selector: (state: DotfilesState) => T): T {
  return useStore(dotfilesStore, selector);
}
