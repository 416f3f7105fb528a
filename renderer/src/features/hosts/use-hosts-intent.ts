import { useEffect, useRef } from 'react';
import { uiStore, useUi } from '../../stores/stores';
import type { HostsIntent } from '../../stores/ui-store';

/**
 * Hands the Hosts page what the command palette or a shortcut asked of it (`requestHosts`):
 * once when it is asked while the page shows, or when the page opens with one waiting. The
 * intent is taken from the store, so it runs once however often the page renders.
 */
export function useHostsIntent(run: (intent: HostsIntent) => void): void {
  const pending = useUi((s) => s.hostsIntent);
  const latest = useRef(run);
  useEffect(() => {
    latest.current = run;
  });
  useEffect(() => {
    if (pending === null) return;
    const intent = uiStore.getState().takeHostsIntent();
    if (intent !== null) latest.current(intent);
  }, [pending]);
}
