import * as z from 'zod';

/**
 * What the agent offers terminals (docs/terminals.md): it owns each terminal's process — a login
 * shell on the host, or a shell in a session's container through Docker's exec API — keeps its
 * recent output in a ring buffer and serves it as byte stream `term:<id>` to any number of
 * clients, which replay from the offset they had reached.
 */

/** Ring buffer of a terminal's recent output, unless the client asks for another size. */
export const TERMINAL_BUFFER_DEFAULT_BYTES = 1024 * 1024;
/** Smallest ring buffer: a few screens of a busy terminal. */
export const TERMINAL_BUFFER_MIN_BYTES = 64 * 1024;
/** Largest ring buffer: bounds the agent's memory per terminal. */
export const TERMINAL_BUFFER_MAX_BYTES = 64 * 1024 * 1024;
/** Live and ended terminals one agent keeps at most: bounds its memory (64 MiB × 64 at worst). */
export const TERMINAL_MAX_COUNT = 64;

/** A terminal's id: 12 hex digits, random, unique among a host's terminals of this user. */
export const terminalIdSchema = z
  .string()
  .regex(/^[0-9a-f]{12}$/, 'a terminal id is 12 hex digits');

/** A terminal's size in character cells. */
export const terminalSizeFields = {
  cols: z.number().int().min(2).max(1000),
  rows: z.number().int().min(1).max(500),
};

/** What the process of a terminal is, as the agent runs it. */
export const terminalAgentTargetSchema = z.discriminatedUnion('kind', [
  /** The user's login shell on the host, in a pseudo-terminal. */
  z.object({ kind: z.literal('host') }).strict(),
  /** A shell in a container (`docker exec` with a tty), as its user, in its working directory. */
  z
    .object({
      kind: z.literal('session'),
      container: z.string().regex(/^[0-9a-f]{12,64}$/, 'a container id is hex'),
      /** The Docker socket on the host; default DOCKER_HOST's or /var/run/docker.sock. */
      dockerSocket: z.string().startsWith('/').max(200).optional(),
    })
    .strict(),
]);
export type TerminalAgentTarget = z.infer<typeof terminalAgentTargetSchema>;

/** A terminal's ring buffer size, 64 KiB to 64 MiB, 1 MiB when not given. */
export const terminalBufferBytesSchema = z
  .number()
  .int()
  .min(TERMINAL_BUFFER_MIN_BYTES)
  .max(TERMINAL_BUFFER_MAX_BYTES)
  .default(TERMINAL_BUFFER_DEFAULT_BYTES);

/** Params of `terminal.open`. */
export const terminalOpenParamsSchema = z
  .object({
    target: terminalAgentTargetSchema,
    /** What lists show, e.g. the session's name. */
    title: z.string().min(1).max(200),
    ...terminalSizeFields,
    bufferBytes: terminalBufferBytesSchema,
  })
  .strict();

/** A terminal as the agent reports it. */
export const terminalRecordSchema = z.object({
  id: terminalIdSchema,
  target: terminalAgentTargetSchema,
  title: z.string(),
  /** `exited` terminals are kept a while, so a client that was away still learns the code. */
  state: z.enum(['running', 'exited']),
  /** The process's exit code once exited; null while running or when it was killed. */
  exitCode: z.number().int().nullable(),
  /** ISO 8601. */
  createdAt: z.string(),
  /** Clients attached to its stream now. */
  attached: z.number().int().nonnegative(),
  ...terminalSizeFields,
  /** Bytes the process has written since it started: the offset after its newest byte. */
  outputBytes: z.number().int().nonnegative(),
});
export type TerminalRecord = z.infer<typeof terminalRecordSchema>;

/** Params naming one terminal. */
export const terminalRefParamsSchema = z.object({ id: terminalIdSchema }).strict();
/** Params of `terminal.resize`. */
export const terminalResizeParamsSchema = z
  .object({ id: terminalIdSchema, ...terminalSizeFields })
  .strict();

/** Name of the agent's terminal streams: `term:<id>`. */
export const TERMINAL_STREAM_NAME = 'term';

/** The stream id of terminal `id`. */
export function terminalStreamId(id: string): string {
  return `${TERMINAL_STREAM_NAME}:${id}`;
}
