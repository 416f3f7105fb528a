import { useEffect, useRef } from 'react';
import { uiStore, useUi } from '../../stores/stores';
import type { SessionsIntent } from '../../stores/ui-store';

/**
 * Hands the Sessions page what the command palette or a shortcut asked of it
 * (`requestSessions`): once when it is asked while the page shows, or when the page opens with
 * one waiting. Taken from the store, so it runs once however often the page renders.
 */
export function useSessionsIntent(run: (intent: SessionsIntent) => void): void {
  const pending = useUi((s) => s.sessionsIntent);
  const latest = useRef(run);
  useEffect(() => {
    latest.current = run;
  });
  useEffect(() => {
    if (pending === null) return;
    const intent = uiStore.getState().takeSessionsIntent();
    if (intent !== null) latest.current(intent);
  }, [pending]);
}
