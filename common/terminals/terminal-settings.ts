import * as z from 'zod';
import { terminalBufferBytesSchema } from '../agent/terminal-agent';

/** The colour themes terminals offer; `system` follows the OS's light or dark mode. */
export const TERMINAL_THEMES = ['system', 'dark', 'light'] as const;

/** Most lines a terminal keeps for scrolling back: xterm's memory grows with it. */
export const TERMINAL_SCROLLBACK_MAX_LINES = 100_000;

/** How terminals look and how much output the agent keeps for a reattach. */
export const terminalSettingsSchema = z
  .object({
    fontFamily: z.string().trim().min(1).max(200).default('monospace'),
    fontSize: z.number().int().min(6).max(48).default(13),
    theme: z.enum(TERMINAL_THEMES).default('system'),
    scrollback: z.number().int().min(0).max(TERMINAL_SCROLLBACK_MAX_LINES).default(5000),
    /** The agent's ring buffer per new terminal: what a reattach can replay. */
    bufferBytes: terminalBufferBytesSchema,
  })
  .strict();
export type TerminalSettings = z.infer<typeof terminalSettingsSchema>;

/** Settings of a new user. */
export function defaultTerminalSettings(): TerminalSettings {
  return terminalSettingsSchema.parse({});
}
