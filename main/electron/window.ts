import { BrowserWindow, screen } from 'electron';
import { guardNavigation } from './navigation-guard';
import { mainWindowOptions } from './window-options';
import type { WindowStateKeeper } from './window-state';

/** What the one window factory needs from the app. */
export interface MainWindowDeps {
  /** Absolute path of out/preload/index.cjs. */
  readonly preloadPath: string;
  /** Developer tools allowed (an `npm run dev` build only). */
  readonly devTools: boolean;
  /** resources/icon.png. */
  readonly iconPath: string;
  /** The page to load: app://labdeck/index.html, or the dev server in development. */
  readonly startUrl: string;
  /** The origin pages must stay on, and that IPC is accepted from. */
  readonly appOrigin: string;
  /** The trusted-sender set the IPC bridge checks; the factory adds and removes its windows. */
  readonly trustedIds: Set<number>;
  readonly windowState: WindowStateKeeper;
  /** Whether a local port is a session forward the services hold (its page may be opened). */
  readonly isForwardPort: (port: number) => boolean;
}

/**
 * Creates LabDeck's main window, the only place a BrowserWindow is made: secure options, the
 * navigation guard, its webContents registered as a trusted IPC sender for exactly its lifetime,
 * restored bounds, shown once the first frame is ready.
 */
export function createMainWindow(deps: MainWindowDeps): BrowserWindow {
  const bounds = deps.windowState.initialBounds(screen.getAllDisplays());
  const options = mainWindowOptions({
    preloadPath: deps.preloadPath,
    bounds,
    devTools: deps.devTools,
    iconPath: deps.iconPath,
  });
  // The three switches that matter most are repeated here, where the window is made, so that a
  // reader and the security scanner see them at the construction site.
  const window = new BrowserWindow({
    ...options,
    webPreferences: {
      ...options.webPreferences,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  const { webContents } = window;
  const { id } = webContents;

  guardNavigation(webContents, deps.appOrigin, deps.isForwardPort);
  deps.trustedIds.add(id);
  webContents.once('destroyed', () => deps.trustedIds.delete(id));

  deps.windowState.track(window);
  if (deps.windowState.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());

  window.loadURL(deps.startUrl).catch((error: unknown) => {
    console.error(`window: could not load ${deps.startUrl}: ${String(error)}`);
  });
  return window;
}
