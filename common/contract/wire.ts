import * as z from 'zod';
import { type appErrorSchema, type Result } from './result';

/**
 * The bridge protocol spoken between a client (renderer, CLI, tests) and the services, the same
 * over Electron IPC and over the browser-mode WebSocket. Control messages are plain objects;
 * stream bytes travel as `Uint8Array` (binary WebSocket frames, or structured clone over IPC).
 */

/** Bytes the server may send on a stream before the client grants more: bounds memory per stream. */
export const STREAM_WINDOW_BYTES = 256 * 1024;

/** Largest single data message: keeps frames small enough to interleave streams fairly. */
export const STREAM_CHUNK_BYTES = 64 * 1024;

const id = z.number().int().nonnegative();
const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected bytes');

/** Messages a client sends. Parsed with this schema at the server's boundary. */
export const clientMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('req'), id, ch: z.string(), input: z.unknown() }),
  z.object({ t: z.literal('sub'), ev: z.string() }),
  z.object({ t: z.literal('unsub'), ev: z.string() }),
  z.object({ t: z.literal('open'), id, ch: z.string(), input: z.unknown() }),
  z.object({ t: z.literal('write'), id, bytes }),
  z.object({ t: z.literal('credit'), id, bytes: z.number().int().positive() }),
  z.object({ t: z.literal('close'), id }),
  z.object({ t: z.literal('listen'), id, topic: z.string(), params: z.unknown() }),
  z.object({ t: z.literal('unlisten'), id }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

/** Messages the server sends. The client trusts the server, so these are typed, not parsed. */
export type ServerMessage =
  | { readonly t: 'res'; readonly id: number; readonly result: Result<unknown> }
  | { readonly t: 'ev'; readonly ev: string; readonly payload: unknown }
  | { readonly t: 'data'; readonly id: number; readonly bytes: Uint8Array }
  | { readonly t: 'end'; readonly id: number; readonly error?: z.infer<typeof appErrorSchema> }
  /** One event of the client's topic subscription `id`. */
  | { readonly t: 'topic'; readonly id: number; readonly payload: unknown }
  /** Subscription `id` ended from the services' side: it could not start, or its source ended. */
  | {
      readonly t: 'unlistened';
      readonly id: number;
      readonly error?: z.infer<typeof appErrorSchema>;
    };

/** A duplex message port: one per connected client, whatever carries it. */
export interface MessagePortLike<In, Out> {
  send(message: Out): void;
  onMessage(listener: (message: In) => void): void;
  onClose(listener: () => void): void;
}
