import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { appMenuTemplate } from '../../../main/electron/app-menu';

/** Every role in the menu tree, depth first. */
function roles(items: readonly MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [
    ...(item.role ? [item.role] : []),
    ...(Array.isArray(item.submenu) ? roles(item.submenu) : []),
  ]);
}

const params = { platform: 'linux', developerTools: false, appName: 'LabDeck' } as const;

describe('appMenuTemplate', () => {
  it('has the usual edit roles, so copy and paste work in forms and terminals', () => {
    expect(roles(appMenuTemplate(params))).toEqual(
      expect.arrayContaining(['quit', 'undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']),
    );
  });

  it('has no reload or developer tools in a packaged build', () => {
    const packaged = roles(appMenuTemplate(params));
    expect(packaged).not.toContain('toggleDevTools');
    expect(packaged).not.toContain('reload');
    expect(packaged).toEqual(
      expect.arrayContaining(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']),
    );
    const dev = roles(appMenuTemplate({ ...params, developerTools: true }));
    expect(dev).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });

  it('starts with the app menu on macOS only', () => {
    expect(appMenuTemplate({ ...params, platform: 'darwin' })[0]?.role).toBe('appMenu');
    expect(appMenuTemplate(params)[0]?.label).toBe('File');
  });
});
