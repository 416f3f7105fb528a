import type * as z from 'zod';

/** A request: its input and result schemas, and one line for the docs. */
export interface RequestSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly summary: string;
}

/** An event pushed to every subscriber; names are past tense. */
export interface EventSpec<P extends z.ZodType = z.ZodType> {
  readonly payload: P;
  readonly summary: string;
}

/**
 * A byte stream opened with a parsed input. Bytes flow both ways; server-to-client bytes are
 * flow-controlled by credits the client grants (see `STREAM_WINDOW_BYTES`).
 */
export interface StreamSpec<I extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly summary: string;
}

/**
 * A parameterised topic: a client listens with parsed `params` (e.g. a host id) and receives only
 * the events of that subscription, until it stops listening or goes away (a closed tab, a
 * reloaded window), when the services run the handler's cleanup — VS Code's
 * `listen(ctx, event, arg)`, scoped to the connection that asked.
 */
export interface TopicSpec<P extends z.ZodType = z.ZodType, E extends z.ZodType = z.ZodType> {
  readonly params: P;
  readonly event: E;
  readonly summary: string;
}
