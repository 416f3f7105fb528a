import * as z from 'zod';
import { appErrorSchema } from '../contract/result';

/**
 * Framing of an agent byte stream (terminal output, logs, copies): each stream has a connection
 * of its own (an SSH exec channel running `labdeck-agent attach ID`, or a local child), never the
 * newline-JSON RPC channel (see docs/agent-streams.md).
 *
 * Both directions start with {@link STREAM_MAGIC}, then carry frames `kind:u8 | length:u32be |
 * payload`: one JSON `header` first, raw `data` (bytes as they are, never base64), and one JSON
 * `end` trailer last. The magic lets a reader skip what a noisy shell rc file printed before the
 * agent ran, and lets the daemon tell a stream from an RPC client (whose first byte is `{`).
 */

/** Opens every stream in both directions; the digit is the framing's version. */
export const STREAM_MAGIC = new TextEncoder().encode('LDS1');
/** Largest JSON frame (header or end): bounds what a peer can make the other side buffer. */
export const STREAM_MAX_JSON_BYTES = 64 * 1024;
/** Largest data frame; writers split bigger chunks. Bounds one frame's buffer on the reader. */
export const STREAM_MAX_DATA_BYTES = 64 * 1024;
/** Bytes a reader discards while looking for {@link STREAM_MAGIC} (noise from rc files). */
export const STREAM_MAX_NOISE_BYTES = 64 * 1024;

const FRAME_PREFIX_BYTES = 5;
const KIND_HEADER = 0x48; // 'H'
const KIND_DATA = 0x44; // 'D'
const KIND_END = 0x45; // 'E'
const KIND_NOTICE = 0x4e; // 'N'

/** Terminal size; absent for streams that are not terminals. */
const sizeFields = {
  cols: z.number().int().min(1).max(10_000).optional(),
  rows: z.number().int().min(1).max(10_000).optional(),
};

/** Stream ids: `diag:echo`, later `term:<id>`, `logs:<container>`… */
export const streamIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9:._-]+$/);

/** The client's header: which stream to attach to, and its size. */
export const streamOpenSchema = z.object({
  t: z.literal('open'),
  stream: streamIdSchema,
  ...sizeFields,
  /**
   * A terminal's output offset this client has already shown (what it received before a drop):
   * the replay starts there, so nothing is shown twice. Absent: replay the whole buffer.
   */
  from: z.number().int().nonnegative().optional(),
});
export type StreamOpen = z.infer<typeof streamOpenSchema>;

/** The agent's header: attached (with how many bytes of replay come first), or refused. */
export const streamReplySchema = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('opened'),
    stream: streamIdSchema,
    /** Bytes of scrollback replayed before live output; 0 for a fresh stream. */
    replayBytes: z.number().int().nonnegative(),
    ...sizeFields,
    /** A terminal's output offset of the first byte that follows (replay included). */
    offset: z.number().int().nonnegative().optional(),
    /** Bytes between the client's `from` and `offset` that the buffer no longer holds. */
    droppedBytes: z.number().int().nonnegative().optional(),
  }),
  z.object({ t: z.literal('refused'), error: appErrorSchema }),
]);
export type StreamReply = z.infer<typeof streamReplySchema>;

/** Any header, either direction. */
export const streamHeaderSchema = z.union([streamOpenSchema, streamReplySchema]);
export type StreamHeader = z.infer<typeof streamHeaderSchema>;

/** The last frame: how the stream ended (a process's exit code, or an error). */
export const streamEndSchema = z.object({
  t: z.literal('end'),
  exitCode: z.number().int().nullable().optional(),
  error: appErrorSchema.optional(),
});
export type StreamEnd = z.infer<typeof streamEndSchema>;

/**
 * A notice between data frames, agent to client: `dropped` says that `bytes` of output were
 * skipped here because this client fell further behind than the terminal's buffer holds.
 */
export const streamNoticeSchema = z.object({
  t: z.literal('dropped'),
  bytes: z.number().int().positive(),
});
export type StreamNotice = z.infer<typeof streamNoticeSchema>;

/** One decoded frame. */
export type StreamFrame =
  | { readonly kind: 'header'; readonly header: StreamHeader }
  | { readonly kind: 'data'; readonly bytes: Uint8Array }
  | { readonly kind: 'notice'; readonly notice: StreamNotice }
  | { readonly kind: 'end'; readonly end: StreamEnd };

function frame(kind: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(FRAME_PREFIX_BYTES + payload.length);
  out[0] = kind;
  new DataView(out.buffer).setUint32(1, payload.length);
  out.set(payload, FRAME_PREFIX_BYTES);
  return out;
}

function jsonFrame(kind: number, value: unknown): Uint8Array {
  const payload = new TextEncoder().encode(JSON.stringify(value));
  if (payload.length > STREAM_MAX_JSON_BYTES) throw new Error('stream header too large');
  return frame(kind, payload);
}

/** The magic and one header: what opens a stream in either direction. */
export function encodeStreamHeader(header: StreamHeader): Uint8Array {
  const head = jsonFrame(KIND_HEADER, streamHeaderSchema.parse(header));
  const out = new Uint8Array(STREAM_MAGIC.length + head.length);
  out.set(STREAM_MAGIC);
  out.set(head, STREAM_MAGIC.length);
  return out;
}

/** Raw bytes as data frames of at most {@link STREAM_MAX_DATA_BYTES} each. */
export function encodeStreamData(bytes: Uint8Array): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += STREAM_MAX_DATA_BYTES) {
    frames.push(frame(KIND_DATA, bytes.subarray(at, at + STREAM_MAX_DATA_BYTES)));
  }
  return frames;
}

/** A notice frame (see {@link streamNoticeSchema}). */
export function encodeStreamNotice(notice: StreamNotice): Uint8Array {
  return jsonFrame(KIND_NOTICE, streamNoticeSchema.parse(notice));
}

/** The end trailer. */
export function encodeStreamEnd(end: StreamEnd): Uint8Array {
  return jsonFrame(KIND_END, streamEndSchema.parse(end));
}

/** Why a stream could not be decoded; the reader should close the connection. */
export class StreamDecodeError extends Error {}

/**
 * Incremental decoder for one direction of a stream: skips noise before the magic (up to
 * {@link STREAM_MAX_NOISE_BYTES}), then yields frames as their bytes arrive. Throws
 * {@link StreamDecodeError} on a malformed frame, an oversized one, or a header that is not first.
 */
export class StreamDecoder {
  private buffer: Uint8Array = new Uint8Array(0);
  private synced = false;
  private sawHeader = false;
  private noise = 0;

  /** Feeds a chunk; returns every frame it completed. */
  push(chunk: Uint8Array): StreamFrame[] {
    this.buffer = concat(this.buffer, chunk);
    if (!this.synced && !this.sync()) return [];
    const frames: StreamFrame[] = [];
    for (;;) {
      if (this.buffer.length < FRAME_PREFIX_BYTES) return frames;
      const kind = this.buffer[0];
      const length = new DataView(this.buffer.buffer, this.buffer.byteOffset).getUint32(1);
      const limit = kind === KIND_DATA ? STREAM_MAX_DATA_BYTES : STREAM_MAX_JSON_BYTES;
      if (length > limit)
        throw new StreamDecodeError(`stream frame of ${length} bytes is too large`);
      if (this.buffer.length < FRAME_PREFIX_BYTES + length) return frames;
      // A copy, as a plain Uint8Array: the caller may keep it after its chunk is reused.
      const payload = new Uint8Array(
        this.buffer.subarray(FRAME_PREFIX_BYTES, FRAME_PREFIX_BYTES + length),
      );
      this.buffer = this.buffer.subarray(FRAME_PREFIX_BYTES + length);
      frames.push(this.decodeFrame(kind, payload));
    }
  }

  private decodeFrame(kind: number | undefined, payload: Uint8Array): StreamFrame {
    if (!this.sawHeader && kind !== KIND_HEADER) {
      throw new StreamDecodeError('a stream must start with its header');
    }
    switch (kind) {
      case KIND_HEADER: {
        if (this.sawHeader) throw new StreamDecodeError('a stream has one header');
        this.sawHeader = true;
        return { kind: 'header', header: parseJson(streamHeaderSchema, payload) };
      }
      case KIND_DATA:
        return { kind: 'data', bytes: payload };
      case KIND_NOTICE:
        return { kind: 'notice', notice: parseJson(streamNoticeSchema, payload) };
      case KIND_END:
        return { kind: 'end', end: parseJson(streamEndSchema, payload) };
      default:
        throw new StreamDecodeError(`unknown stream frame kind ${String(kind)}`);
    }
  }

  /** Drops bytes up to the magic; false while it has not arrived yet. */
  private sync(): boolean {
    const at = indexOf(this.buffer, STREAM_MAGIC);
    if (at === -1) {
      // Keep a tail that may be the start of the magic.
      const keep = Math.min(this.buffer.length, STREAM_MAGIC.length - 1);
      this.noise += this.buffer.length - keep;
      this.buffer = this.buffer.slice(this.buffer.length - keep);
      if (this.noise > STREAM_MAX_NOISE_BYTES) {
        throw new StreamDecodeError('no stream header in the first bytes received');
      }
      return false;
    }
    this.noise += at;
    if (this.noise > STREAM_MAX_NOISE_BYTES) {
      throw new StreamDecodeError('no stream header in the first bytes received');
    }
    this.buffer = this.buffer.slice(at + STREAM_MAGIC.length);
    this.synced = true;
    return true;
  }
}

function parseJson<S extends z.ZodType>(schema: S, payload: Uint8Array): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    throw new StreamDecodeError('a stream header is not JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new StreamDecodeError(`bad stream header: ${parsed.error.message}`);
  return parsed.data;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
