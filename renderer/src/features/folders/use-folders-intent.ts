import { useEffect, useRef } from 'react';
import { uiStore, useUi } from '../../stores/stores';
import type { FoldersIntent } from '../../stores/ui-store';

/**
 * Hands the Folders page what the command palette or a shortcut asked of it
 * (`requestFolders`): once when it is asked while the page shows, or when the page opens with
 * one waiting. Taken from the store, so it runs once however often the page renders.
 */
export function useFoldersIntent(run: (intent: FoldersIntent) => void): void {
  const pending = useUi((s) => s.foldersIntent);
  const latest = useRef(run);
  useEffect(() => {
    latest.current = run;
  });
  useEffect(() => {
    if (pending === null) return;
    const intent = uiStore.getState().takeFoldersIntent();
    if (intent !== null) latest.current(intent);
  }, [pending]);
}
