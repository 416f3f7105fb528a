import { TOKEN_FRAGMENT_KEY } from '../../../common/security/browser-token';

/** Where the tab keeps its token: sessionStorage is per origin (port included) and per tab. */
const STORAGE_KEY = 'labdeck.browser-token';

function stored(): string | undefined {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined; // storage disabled: the token lasts until the next reload
  }
}

/**
 * The browser-mode access token of this tab, or undefined when it was opened without one. A
 * token in the address bar (`#token=…`, as `npm run serve` prints it) is moved into
 * sessionStorage and removed from the URL with history.replaceState, so it is not bookmarked,
 * shared in a screenshot or kept in history; a reload then finds it in storage. It is never a
 * cookie, which every other server on 127.0.0.1 would receive (common/security/browser-token.ts).
 */
export function takeBrowserToken(): string | undefined {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const fromUrl = fragment.get(TOKEN_FRAGMENT_KEY);
  if (!fromUrl) return stored();
  try {
    sessionStorage.setItem(STORAGE_KEY, fromUrl);
  } catch {
    // Kept in memory below; a reload will then show the "open the printed URL" screen.
  }
  fragment.delete(TOKEN_FRAGMENT_KEY);
  const rest = fragment.toString();
  history.replaceState(
    history.state,
    '',
    location.pathname + location.search + (rest ? `#${rest}` : ''),
  );
  return fromUrl;
}

/**
 * Forgets the tab's token once the server refused it or was gone: tokens live for one run of
 * `npm run serve`, so a reload then shows the "open the printed URL" screen instead of a window
 * that can never connect.
 */
export function forgetBrowserToken(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing was stored.
  }
}
