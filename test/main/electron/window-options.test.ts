import { describe, expect, it } from 'vitest';
import { mainWindowOptions, secureWebPreferences } from '../../../main/electron/window-options';
import { MIN_WINDOW_HEIGHT_PX, MIN_WINDOW_WIDTH_PX } from '../../../main/electron/visible-bounds';

const PRELOAD = '/opt/LabDeck/resources/app/out/preload/index.cjs';

describe('secureWebPreferences', () => {
  it('spells out every security setting, each at its safe value', () => {
    expect(secureWebPreferences(PRELOAD)).toEqual({
      preload: PRELOAD,
      devTools: false,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    });
  });

  it('allows developer tools only when asked (an `npm run dev` build)', () => {
    expect(secureWebPreferences(PRELOAD, true).devTools).toBe(true);
    expect(
      mainWindowOptions({ preloadPath: PRELOAD, bounds: { width: 800, height: 600 } }),
    ).toMatchObject({ webPreferences: { devTools: false } });
  });

  it('uses the app icon when given one', () => {
    const bounds = { width: 800, height: 600 };
    expect(
      mainWindowOptions({ preloadPath: PRELOAD, bounds, iconPath: '/app/icon.png' }).icon,
    ).toBe('/app/icon.png');
    expect(mainWindowOptions({ preloadPath: PRELOAD, bounds })).not.toHaveProperty('icon');
  });

  it('enables no Blink feature and no extra arguments for the renderer', () => {
    const prefs = secureWebPreferences(PRELOAD);
    expect(prefs.enableBlinkFeatures).toBeUndefined();
    expect(prefs.additionalArguments).toBeUndefined();
    expect(prefs.partition).toBeUndefined();
  });
});

describe('mainWindowOptions', () => {
  it('stays hidden until ready-to-show and keeps a minimum size', () => {
    const options = mainWindowOptions({
      preloadPath: PRELOAD,
      bounds: { width: 1000, height: 700 },
    });
    expect(options.show).toBe(false);
    expect(options.minWidth).toBe(MIN_WINDOW_WIDTH_PX);
    expect(options.minHeight).toBe(MIN_WINDOW_HEIGHT_PX);
    expect(options.webPreferences).toEqual(secureWebPreferences(PRELOAD));
  });

  it('places the window only where the bounds say', () => {
    const centred = mainWindowOptions({
      preloadPath: PRELOAD,
      bounds: { width: 1000, height: 700 },
    });
    expect(centred).not.toHaveProperty('x');
    const placed = mainWindowOptions({
      preloadPath: PRELOAD,
      bounds: { x: 40, y: 60, width: 1000, height: 700 },
    });
    expect(placed).toMatchObject({ x: 40, y: 60, width: 1000, height: 700 });
  });
});
