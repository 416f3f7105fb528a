import { useEffect } from 'react';
import { focusHomeOf, focusInHome, focusIsLost } from '../components/focus-home';

/**
 * Keeps focus from falling to the page body when the focused control is removed: when a render
 * takes away the element that had focus (Connect, replaced by Disconnect once connecting starts),
 * focus goes to the region it was in (see focus-home.ts). Watches the DOM rather than React, so
 * every card and page is covered by one observer; it acts only when focus was really lost.
 */
export function useFocusGuard(): void {
  useEffect(() => {
    let last: Element | null = null;
    let home: HTMLElement | null = null;
    const onFocusIn = (event: FocusEvent): void => {
      last = event.target instanceof Element ? event.target : null;
      home = focusHomeOf(last);
    };
    const observer = new MutationObserver(() => {
      if (last === null || last.isConnected || !focusIsLost()) return;
      const region = home;
      last = null;
      home = null;
      if (region?.isConnected) focusInHome(region);
    });
    document.addEventListener('focusin', onFocusIn);
    observer.observe(document.body, { childList: true, subtree: true });
    return () => {
      document.removeEventListener('focusin', onFocusIn);
      observer.disconnect();
    };
  }, []);
}
