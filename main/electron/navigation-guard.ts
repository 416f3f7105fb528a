import { shell, type Session, type WebContents } from 'electron';
import { withCspHeader } from './csp-header';
import { isExternallyOpenable, isSameOrigin } from './url-policy';

/**
 * Keeps a window on LabDeck's own pages: navigations and redirects to another origin are
 * cancelled, new windows are refused (an https link, or a session's forward, opens in the OS
 * browser instead), and
 * `<webview>` can never attach. A page that somehow loaded foreign content still cannot take
 * over the window that holds the preload.
 * See https://www.electronjs.org/docs/latest/tutorial/security#13-disable-or-limit-navigation
 * and https://www.electronjs.org/docs/latest/tutorial/security#14-disable-or-limit-creation-of-new-windows
 */
export function guardNavigation(
  contents: WebContents,
  appOrigin: string,
  isForwardPort: (port: number) => boolean,
  warn: (message: string) => void = console.warn,
): void {
  contents.on('will-navigate', (event) => {
    if (isSameOrigin(event.url, appOrigin)) return;
    event.preventDefault();
    warn(`navigation: blocked a navigation to ${JSON.stringify(event.url)}`);
  });

  contents.on('will-redirect', (event) => {
    if (isSameOrigin(event.url, appOrigin)) return;
    event.preventDefault();
    warn(`navigation: blocked a redirect to ${JSON.stringify(event.url)}`);
  });

  contents.setWindowOpenHandler(({ url }) => {
    if (isExternallyOpenable(url, isForwardPort)) {
      shell
        .openExternal(url)
        .catch((error: unknown) => warn(`navigation: could not open ${url}: ${String(error)}`));
    } else {
      warn(`navigation: refused to open ${JSON.stringify(url)}`);
    }
    return { action: 'deny' };
  });

  // #12: <webview> is disabled in webPreferences; refusing here too covers a changed default.
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * Locks down a session: every permission request and check is denied (LabDeck needs no camera,
 * notifications, geolocation, USB…), and every response carries `policy` as its CSP header, so
 * the policy holds for the dev server's pages too, not only for app:// responses.
 * See https://www.electronjs.org/docs/latest/tutorial/security#5-handle-session-permission-requests-from-remote-content
 */
export function hardenSession(session: Session, policy: string): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: withCspHeader(details.responseHeaders, policy) }),
  );
}
