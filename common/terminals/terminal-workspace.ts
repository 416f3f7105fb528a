import * as z from 'zod';
import { terminalIdSchema } from '../agent/terminal-agent';

/** Panes one tab splits into at most: beyond this, a new tab reads better. */
export const TERMINAL_PANES_PER_TAB_MAX = 4;
/** Tabs one workspace holds at most. */
export const TERMINAL_TABS_MAX = 32;
/** Workspaces saved at most. */
export const TERMINAL_WORKSPACES_MAX = 16;

/** One pane: the terminal it shows (by id, on a host) and its title. */
export const terminalPaneSchema = z
  .object({
    terminalId: terminalIdSchema,
    hostId: z.string().min(1).max(200),
    title: z.string().max(200),
  })
  .strict();
export type TerminalPane = z.infer<typeof terminalPaneSchema>;

/** One tab: its panes side by side (`row`) or stacked (`column`). */
export const terminalTabSchema = z
  .object({
    id: z.string().min(1).max(64),
    title: z.string().max(200),
    split: z.enum(['row', 'column']),
    panes: z.array(terminalPaneSchema).min(1).max(TERMINAL_PANES_PER_TAB_MAX),
    /** Index of the pane that has the keyboard. */
    activePane: z.number().int().nonnegative(),
  })
  .strict();
export type TerminalTab = z.infer<typeof terminalTabSchema>;

/** A named set of tabs, restored when the app starts again. */
export const terminalWorkspaceSchema = z
  .object({
    name: z.string().trim().min(1).max(64),
    tabs: z.array(terminalTabSchema).max(TERMINAL_TABS_MAX),
    activeTab: z.string().max(64).nullable(),
  })
  .strict();
export type TerminalWorkspace = z.infer<typeof terminalWorkspaceSchema>;

/** Every saved workspace and which one is open. */
export const terminalWorkspacesSchema = z
  .object({
    current: z.string().trim().min(1).max(64),
    workspaces: z.array(terminalWorkspaceSchema).min(1).max(TERMINAL_WORKSPACES_MAX),
  })
  .strict()
  .refine((value) => value.workspaces.some((w) => w.name === value.current), {
    message: 'the current workspace must be one of the workspaces',
    path: ['current'],
  })
  .refine(
    (value) => new Set(value.workspaces.map((w) => w.name)).size === value.workspaces.length,
    {
      message: 'workspace names must be unique',
      path: ['workspaces'],
    },
  );
export type TerminalWorkspaces = z.infer<typeof terminalWorkspacesSchema>;

/** What a new user starts with: one empty workspace called "Default". */
export function defaultTerminalWorkspaces(): TerminalWorkspaces {
  return { current: 'Default', workspaces: [{ name: 'Default', tabs: [], activeTab: null }] };
}
