import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, ipcMain, Menu, protocol, safeStorage, session, type BrowserWindow } from 'electron';
import { APP_ORIGIN, APP_SCHEME, CONTENT_SECURITY_POLICY } from '../common/security/csp';
import { appMenuTemplate } from './electron/app-menu';
import { APP_SCHEME_PRIVILEGES, handleAppRequest } from './electron/app-protocol';
import { registerIpcBridge } from './electron/ipc-bridge';
import { hardenSession } from './electron/navigation-guard';
import { trustedDevServerUrl } from './electron/dev-server';
import { createSecretStore } from './electron/safe-storage-secrets';
import { originOf } from './electron/url-policy';
import { createMainWindow } from './electron/window';
import { WindowStateKeeper } from './electron/window-state';
import { keepServingOnUnexpectedErrors } from './diag/unexpected-errors';
import { startLocalSocketServer, type LocalSocketServer } from './local-socket/local-socket-server';
import { createServices, type Services } from './services';
import { labdeckHome } from './settings/home-dir';

/**
 * The Electron entry point: app lifecycle only. Everything it wires lives in main/electron/
 * (the shell) and main/services.ts (the services, shared with browser mode and the CLI).
 */

/** Longest a quit waits for the services to close connections before leaving anyway. */
const SERVICES_DISPOSE_TIMEOUT_MS = 5_000;

const here = dirname(fileURLToPath(import.meta.url));
const PRELOAD_PATH = join(here, '../preload/index.cjs');
const RENDERER_DIR = join(here, '../renderer');
/** out/main → the repository's (or the packaged app's) resources/. */
const ICON_PATH = join(here, '../../resources/icon.png');

/** Only `npm run dev` builds have developer tools, reload and a dev server (issue 6, #12). */
const devBuild = __LABDECK_DEV_BUILD__;
const devServerUrl = trustedDevServerUrl({
  devBuild,
  isPackaged: app.isPackaged,
  rendererUrl: process.env.ELECTRON_RENDERER_URL,
});
const appOrigin = (devServerUrl && originOf(devServerUrl)) || APP_ORIGIN;
const startUrl = devServerUrl ?? `${APP_ORIGIN}/index.html`;
const home = labdeckHome();

app.setPath('userData', home);
app.enableSandbox();
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  run();
}

function run(): void {
  keepServingOnUnexpectedErrors();
  const trustedIds = new Set<number>();
  let window: BrowserWindow | undefined;
  let windowState: WindowStateKeeper | undefined;
  let services: Services | undefined;
  let bridge: { dispose(): void } | undefined;
  let localSocket: Promise<LocalSocketServer | undefined> | undefined;
  let quitting = false;

  /** Shows the one window, creating it if there is none (macOS keeps the app without one). */
  const showWindow = (): void => {
    if (!windowState) return; // not ready yet; `ready` opens it
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
      return;
    }
    window = createMainWindow({
      preloadPath: PRELOAD_PATH,
      devTools: devBuild,
      iconPath: ICON_PATH,
      startUrl,
      appOrigin,
      trustedIds,
      windowState,
      isForwardPort: (port) => services?.sessions.forwards.holdsPort(port) ?? false,
    });
    window.on('closed', () => (window = undefined));
  };

  app.on('second-instance', showWindow);
  app.on('activate', showWindow);

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('will-quit', (event) => {
    if (!services || quitting) return;
    event.preventDefault();
    quitting = true;
    bridge?.dispose();
    void localSocket?.then((server) => server?.close());
    const timeout = new Promise<void>((resolve) =>
      setTimeout(resolve, SERVICES_DISPOSE_TIMEOUT_MS),
    );
    Promise.race([services.dispose(), timeout])
      .catch((error: unknown) =>
        console.error(`quit: services did not close cleanly: ${String(error)}`),
      )
      .finally(() => {
        services = undefined;
        app.quit();
      });
  });

  app
    .whenReady()
    .then(() => {
      protocol.handle(APP_SCHEME, (request) => handleAppRequest(RENDERER_DIR, request));
      hardenSession(session.defaultSession, CONTENT_SECURITY_POLICY);
      const menu = appMenuTemplate({
        platform: process.platform,
        developerTools: devBuild,
        appName: app.name,
      });
      Menu.setApplicationMenu(Menu.buildFromTemplate(menu));
      services = createServices({
        home,
        mode: 'electron',
        secrets: createSecretStore(home, safeStorage),
      });
      bridge = registerIpcBridge({
        ipcMain,
        services,
        trusted: { ids: trustedIds, origin: appOrigin },
      });
      // The `labdeck` CLI of this user reuses these services and their SSH connections (issue 7).
      localSocket = startLocalSocketServer({ services, home });
      windowState = new WindowStateKeeper(home);
      showWindow();
    })
    .catch((error: unknown) => {
      console.error(`startup failed: ${String(error)}`);
      app.exit(1);
    });
}
