import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserWindow, Display } from 'electron';
import Store, { type Schema } from 'electron-store';
import { visibleBounds, type WindowBounds } from './visible-bounds';

/** What is remembered of the main window between runs. */
interface WindowState {
  readonly bounds?: { x: number; y: number; width: number; height: number };
  readonly maximized: boolean;
}

/** Store file name (without `.json`), next to settings.json in LabDeck's home. */
const STORE_NAME = 'window-state';

/** Owner-only: window geometry says little, but nothing in LabDeck's home is world-readable. */
const STORE_FILE_MODE = 0o600;

const integer = { type: 'integer' } as const;

const schema: Schema<WindowState> = {
  bounds: {
    type: 'object',
    properties: { x: integer, y: integer, width: integer, height: integer },
    required: ['x', 'y', 'width', 'height'],
  },
  maximized: { type: 'boolean', default: false },
};

function openStore(home: string, warn: (message: string) => void): Store<WindowState> {
  const options = {
    name: STORE_NAME,
    cwd: home,
    schema,
    configFileMode: STORE_FILE_MODE,
    clearInvalidConfig: true,
  };
  try {
    return new Store<WindowState>(options);
  } catch (error) {
    // clearInvalidConfig covers unparsable JSON only; a schema violation throws. Start afresh.
    warn(`window state: discarding an invalid ${STORE_NAME}.json (${String(error)})`);
    rmSync(join(home, `${STORE_NAME}.json`), { force: true });
    return new Store<WindowState>(options);
  }
}

/**
 * Remembers the main window's size, position and maximised state in `window-state.json`
 * (electron-store, schema-checked), and restores them only where they are visible on the
 * displays connected now ({@link visibleBounds}).
 */
export class WindowStateKeeper {
  private readonly store: Store<WindowState>;

  constructor(home: string, warn: (message: string) => void = console.warn) {
    this.store = openStore(home, warn);
  }

  /** The bounds to create the window with, given the current displays. */
  initialBounds(displays: readonly Display[]): WindowBounds {
    return visibleBounds(this.store.get('bounds'), displays);
  }

  /** Whether the window was maximised when it was last closed. */
  get maximized(): boolean {
    return this.store.get('maximized');
  }

  /** Saves the window's normal (unmaximised) bounds and maximised state whenever it closes. */
  track(window: BrowserWindow): void {
    window.on('close', () => {
      const { x, y, width, height } = window.getNormalBounds();
      this.store.set({
        bounds: {
          x: Math.round(x),
          y: Math.round(y),
          width: Math.round(width),
          height: Math.round(height),
        },
        maximized: window.isMaximized(),
      });
    });
  }
}
