/**
 * Opening a forwarded service in a browser tab, the one way the Sessions page does it.
 *
 * The tab is opened at once, on the click, as `about:blank` with its `opener` cut (so the service
 * page cannot navigate LabDeck's window), and sent to the service once it answers: a tab opened
 * only after the wait would have lost the click's user activation and be blocked as a popup.
 * Only `http://127.0.0.1:PORT/` addresses — the forwards LabDeck itself opened — are ever loaded.
 * In the desktop app the window-open handler decides what may leave the app (main/electron).
 */

/** A tab opened for a service that is still starting; `go` sends it there, `cancel` closes it. */
export interface PendingTab {
  go(url: string): void;
  cancel(): void;
}

/** True for the loopback http address of a forward (`http://127.0.0.1:PORT/…`), nothing else. */
export function isForwardUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' && parsed.hostname === '127.0.0.1' && parsed.port !== '';
  } catch {
    return false;
  }
}

/** Opens a blank tab now, inside the click that asked for it (see the module's comment). */
export function openPendingTab(): PendingTab {
  const tab = window.open('about:blank', '_blank');
  if (tab) tab.opener = null;
  return {
    go: (url) => {
      if (!isForwardUrl(url)) {
        tab?.close();
        return;
      }
      if (tab && !tab.closed) tab.location.replace(url);
      else window.open(url, '_blank', 'noopener,noreferrer');
    },
    cancel: () => tab?.close(),
  };
}
