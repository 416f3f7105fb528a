import * as z from 'zod';
import { noticeSchema } from '../../common/app/app-info';
import { sshHostConfigSchema } from '../../common/hosts/host-config';
import {
  defaultTerminalSettings,
  terminalSettingsSchema,
} from '../../common/terminals/terminal-settings';
import {
  defaultTerminalWorkspaces,
  terminalWorkspacesSchema,
} from '../../common/terminals/terminal-workspace';

/** The version written by this LabDeck; bump it together with a migration in `migrations.ts`. */
export const SETTINGS_VERSION = 2;

/** Default port of browser mode (`npm run serve`). */
export const DEFAULT_SERVE_PORT = 4780;

/** The settings file, as stored on disk (`settings.json` in LabDeck's home). */
export const settingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  serve: z
    .object({ port: z.number().int().min(1024).max(65535) })
    .default({ port: DEFAULT_SERVE_PORT }),
  /** SSH hosts the user added or imported, in the order they are listed. */
  hosts: z.array(sshHostConfigSchema).default([]),
  /** Notices not yet dismissed, kept so that one raised by the CLI is still seen in the window. */
  notices: z.array(noticeSchema).default([]),
  /**
   * How terminals look, and the agent's buffer per new terminal. A section that does not parse
   * falls back to the defaults alone, never taking the hosts with it.
   */
  terminals: terminalSettingsSchema.catch(defaultTerminalSettings),
  /** The Terminals page's tabs and splits, restored when the app starts again (same fallback). */
  terminalWorkspaces: terminalWorkspacesSchema.catch(defaultTerminalWorkspaces),
});
export type Settings = z.infer<typeof settingsSchema>;

/** What a new user starts with. */
export function defaultSettings(): Settings {
  return settingsSchema.parse({ version: SETTINGS_VERSION });
}
