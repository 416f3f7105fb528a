import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import { MIN_WINDOW_HEIGHT_PX, MIN_WINDOW_WIDTH_PX, type WindowBounds } from './visible-bounds';

/** Painted before the first frame, so a dark UI does not flash white while it loads. */
export const WINDOW_BACKGROUND_COLOR = '#1e1e1e';

/**
 * The web preferences of every LabDeck window, each security setting written out even where it
 * is Electron's default, so a changed default or a careless edit shows up in review and tests.
 * The renderer is a sandboxed web page with no Node; it reaches main only through the preload's
 * `window.api`. See https://www.electronjs.org/docs/latest/tutorial/security
 */
export function secureWebPreferences(preloadPath: string, devTools = false): WebPreferences {
  return {
    preload: preloadPath,
    // Developer tools can script the page and so every request: only in `npm run dev` builds.
    devTools,
    // #3 context isolation: the page cannot touch the preload's globals or Electron's internals.
    contextIsolation: true,
    // #4 process sandbox: a compromised renderer is confined by the OS sandbox.
    sandbox: true,
    // #2 no Node.js in the page, its workers or its frames.
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    // #6 keep the same-origin policy; #8 never load http content into an https page.
    webSecurity: true,
    allowRunningInsecureContent: false,
    // #9 no experimental Chromium features; #12 no <webview>.
    experimentalFeatures: false,
    webviewTag: false,
    // #13 a file dropped on the window must not navigate it away from the app.
    navigateOnDragDrop: false,
    // The spellchecker downloads dictionaries from Google's CDN; LabDeck has no prose to check.
    spellcheck: false,
  };
}

/** What the window factory decides per window. */
export interface MainWindowParams {
  /** Absolute path of the built preload (out/preload/index.cjs). */
  readonly preloadPath: string;
  /** Size, and position when restored, from {@link visibleBounds}. */
  readonly bounds: WindowBounds;
  /** Whether the developer tools can be opened; false unless this is an `npm run dev` build. */
  readonly devTools?: boolean;
  /** The window's icon on Linux and Windows (resources/icon.png); macOS takes the app bundle's. */
  readonly iconPath?: string;
}

/**
 * Options for LabDeck's main window: hidden until `ready-to-show` so it never shows a blank
 * frame, a minimum size the layout fits in, and {@link secureWebPreferences}.
 */
export function mainWindowOptions({
  preloadPath,
  bounds,
  devTools = false,
  iconPath,
}: MainWindowParams): BrowserWindowConstructorOptions {
  return {
    ...bounds,
    ...(iconPath === undefined ? {} : { icon: iconPath }),
    minWidth: MIN_WINDOW_WIDTH_PX,
    minHeight: MIN_WINDOW_HEIGHT_PX,
    title: 'LabDeck',
    show: false,
    backgroundColor: WINDOW_BACKGROUND_COLOR,
    webPreferences: secureWebPreferences(preloadPath, devTools),
  };
}
