import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The product name; also the folder name Electron gives `app.getPath('userData')`. */
export const APP_DIR_NAME = 'LabDeck';

/**
 * LabDeck's settings directory, the same for the desktop app, browser mode and the CLI:
 * `LABDECK_HOME` when set (scripts and tests isolate themselves with it), otherwise the
 * platform's per-user config directory, matching Electron's `userData` for "LabDeck".
 */
export function labdeckHome(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.LABDECK_HOME) return resolve(env.LABDECK_HOME);
  const home = homedir();
  switch (platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', APP_DIR_NAME);
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
    default:
      return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_DIR_NAME);
  }
}
