import * as z from 'zod';
import { terminalIdSchema, terminalSizeFields } from '../agent/terminal-agent';
import { terminalSettingsSchema } from '../terminals/terminal-settings';
import { terminalWorkspacesSchema } from '../terminals/terminal-workspace';
import { appErrorSchema } from './result';
import type { RequestSpec, StreamSpec, TopicSpec } from './specs';

/** Where a new terminal runs: a login shell on a host ("This computer" too), or in a session. */
export const terminalTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('host'), hostId: z.string().min(1) }).strict(),
  z
    .object({
      kind: z.literal('session'),
      /** The session's name or id, as `labdeck session` takes it. */
      session: z.string().min(1).max(128),
      hostId: z.string().min(1).optional(),
    })
    .strict(),
]);
export type TerminalTarget = z.infer<typeof terminalTargetSchema>;

/**
 * A terminal as lists and `labdeck terminal ls --json` show it. Every key is always present
 * (null where unknown); keys are only ever added.
 */
export const terminalSchema = z.object({
  /** 12 hex digits; `labdeck terminal attach ID` takes it. */
  id: z.string(),
  hostId: z.string(),
  /** The host's name, as lists show it. */
  host: z.string(),
  /** `host:NAME` or `session:NAME@HOST`: what the terminal runs in. */
  target: z.string(),
  /** The session's name for a session terminal; null for a host's. */
  session: z.string().nullable(),
  title: z.string(),
  /** `running` until its process exits; `exited` ones are kept a while for their exit code. */
  state: z.enum(['running', 'exited']),
  exitCode: z.number().int().nullable(),
  /** ISO 8601. */
  createdAt: z.string(),
  /** Clients attached to it now, from any laptop, window or CLI. */
  attached: z.number().int().nonnegative(),
  ...terminalSizeFields,
});
export type Terminal = z.infer<typeof terminalSchema>;

/**
 * How this LabDeck's link to a terminal stands, as its tabs show it: `attached`; `reattaching`
 * after a drop (the host reconnects by itself, then the output missed is replayed); `ended`,
 * with the exit code, when its process exited or it was closed.
 */
export const terminalLinkSchema = z.object({
  link: z.enum(['attached', 'reattaching', 'ended']),
  exitCode: z.number().int().nullable(),
  /** Output lost beyond the agent's buffer while this LabDeck was away, in total. */
  droppedBytes: z.number().int().nonnegative(),
  /** Why it is reattaching or why it ended, when known. */
  error: appErrorSchema.optional(),
});
export type TerminalLink = z.infer<typeof terminalLinkSchema>;

/**
 * The host a terminal runs on, when the caller knows it (a restored workspace pane): that host is
 * connected if it is not yet. Without it, connected hosts are searched for the id.
 */
const hostId = z.string().min(1).optional();
const id = z.object({ id: terminalIdSchema, hostId }).strict();
const empty = z.object({}).strict();

/** Requests of the terminals domain. */
export const terminalsRequests = {
  'terminals:open': {
    input: z.object({ target: terminalTargetSchema, ...terminalSizeFields }).strict(),
    output: terminalSchema,
    summary: 'Starts a durable terminal on a host or in a session; attach to it with its id.',
  },
  'terminals:list': {
    input: z.object({ hostId: z.string().min(1).optional() }).strict(),
    output: z.object({
      terminals: z.array(terminalSchema),
      /** Connected hosts whose agent did not answer. */
      unreachable: z.array(z.object({ hostId: z.string(), host: z.string(), message: z.string() })),
    }),
    summary: "The live (and recently ended) terminals of every connected host's agent.",
  },
  'terminals:close': {
    input: id,
    output: z.object({ closed: z.boolean() }),
    summary: 'Ends a terminal: its process is stopped (hung up) and its buffer dropped.',
  },
  'terminals:resize': {
    input: z.object({ id: terminalIdSchema, hostId, ...terminalSizeFields }).strict(),
    output: empty,
    summary: "Sets a terminal's size; the process sees SIGWINCH, `stty size` agrees.",
  },
  'terminals:get-workspaces': {
    input: empty,
    output: terminalWorkspacesSchema,
    summary: 'The saved terminal workspaces (tabs, splits, what each pane is attached to).',
  },
  'terminals:save-workspaces': {
    input: terminalWorkspacesSchema,
    output: empty,
    summary: 'Saves the terminal workspaces, restored when the app starts again.',
  },
  'terminals:get-settings': {
    input: empty,
    output: terminalSettingsSchema,
    summary: "Terminals' font, size, theme, scrollback and the agent's buffer size.",
  },
  'terminals:save-settings': {
    input: terminalSettingsSchema,
    output: terminalSettingsSchema,
    summary: "Saves terminals' settings.",
  },
} as const satisfies Record<string, RequestSpec>;

/** Byte streams of the terminals domain. */
export const terminalsStreams = {
  'terminals:attach': {
    input: z
      .object({
        id: terminalIdSchema,
        hostId,
        cols: terminalSizeFields.cols.optional(),
        rows: terminalSizeFields.rows.optional(),
      })
      .strict(),
    summary:
      "A terminal's output (its buffer replayed first), and keystrokes to it; survives drops.",
  },
} as const satisfies Record<string, StreamSpec>;

/** Topics of the terminals domain. */
export const terminalsTopics = {
  'terminals:link': {
    params: z.object({ id: terminalIdSchema }).strict(),
    event: terminalLinkSchema,
    summary: "How this LabDeck's link to a terminal stands: attached, reattaching or ended.",
  },
} as const satisfies Record<string, TopicSpec>;
