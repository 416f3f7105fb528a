import type { MenuItemConstructorOptions } from 'electron';

/** What the menu depends on; passed in so the template is built (and tested) without Electron. */
export interface AppMenuParams {
  readonly platform: NodeJS.Platform;
  /** Reload and developer tools: only in `npm run dev` builds, never in `npm start` or packages. */
  readonly developerTools: boolean;
  readonly appName: string;
}

function viewMenu(developerTools: boolean): MenuItemConstructorOptions {
  const developer: MenuItemConstructorOptions[] = developerTools
    ? [
        { role: 'reload' },
        { role: 'forceReload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
      ]
    : [];
  return {
    label: 'View',
    submenu: [
      ...developer,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
}

/**
 * The application menu template: the platform's usual menus built from Electron roles, which
 * bring the standard shortcuts (Cmd/Ctrl+C, +Q, +0…) and, on macOS, the app menu. Reload and the
 * developer tools exist only in `npm run dev` builds: a reload drops live terminals, and devtools
 * would let anyone at the keyboard script the page.
 */
export function appMenuTemplate({
  platform,
  developerTools,
  appName,
}: AppMenuParams): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  const appMenu: MenuItemConstructorOptions[] = isMac ? [{ label: appName, role: 'appMenu' }] : [];
  return [
    ...appMenu,
    { label: 'File', submenu: [isMac ? { role: 'close' } : { role: 'quit' }] },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    viewMenu(developerTools),
    { role: 'windowMenu' },
  ];
}
