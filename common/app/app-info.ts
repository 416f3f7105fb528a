import * as z from 'zod';

/** Something the user should know that is not tied to one request, e.g. settings reset. */
export const noticeSchema = z.object({
  id: z.string(),
  level: z.enum(['info', 'warning', 'error']),
  message: z.string(),
  hint: z.string().optional(),
});
export type Notice = z.infer<typeof noticeSchema>;

/** Which of the three programs serves the services: the desktop app, browser mode or the CLI. */
export const runModeSchema = z.enum(['electron', 'browser', 'cli']);
export type RunMode = z.infer<typeof runModeSchema>;

/** What the UI needs to know about the process behind it. */
export const appInfoSchema = z.object({
  version: z.string(),
  mode: runModeSchema,
  platform: z.string(),
  /** Directory holding settings, known hosts and encrypted secrets. */
  home: z.string(),
  /** False when no OS keychain is available: secrets then live only as long as the process. */
  secretsPersistent: z.boolean(),
  notices: z.array(noticeSchema),
});
export type AppInfo = z.infer<typeof appInfoSchema>;
