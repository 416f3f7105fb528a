import { decodeFrame, encodeFrame } from '../../common/contract/frames';
import type { ClientMessage, ServerMessage } from '../../common/contract/wire';

/**
 * Framing of bridge messages on the local Unix socket: each frame is a 4-byte big-endian length,
 * then one kind byte (0: JSON text, 1: a binary frame of frames.ts) and the payload. The messages
 * are exactly the WebSocket's (frames.ts), so stream bytes never become JSON here either.
 */

/** Largest frame accepted, as the browser server's WebSocket limit. */
export const MAX_LOCAL_FRAME_BYTES = 16 * 1024 * 1024;
const LENGTH_BYTES = 4;
const KIND_TEXT = 0;
const KIND_BINARY = 1;

/** The first frame each side sends: which protocol and build it speaks. */
export interface LocalHello {
  readonly t: 'hello';
  /** Bumped when the framing or the hello changes. */
  readonly protocol: number;
  /** LabDeck's version: the contract may differ between builds, so both must match. */
  readonly version: string;
}

/** The local socket's framing version, carried in {@link LocalHello}. */
export const LOCAL_PROTOCOL = 1;

/** Encodes a bridge message (or the hello) as one length-prefixed frame. */
export function encodeLocalFrame(message: ClientMessage | ServerMessage | LocalHello): Buffer {
  const body = message.t === 'hello' ? JSON.stringify(message) : encodeFrame(message);
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  const frame = Buffer.allocUnsafe(LENGTH_BYTES + 1 + payload.byteLength);
  frame.writeUInt32BE(1 + payload.byteLength, 0);
  frame.writeUInt8(typeof body === 'string' ? KIND_TEXT : KIND_BINARY, LENGTH_BYTES);
  payload.copy(frame, LENGTH_BYTES + 1);
  return frame;
}

/**
 * Splits a byte stream into frames and decodes each into an untrusted message (the receiver
 * still validates it). Calls `onTooLarge` and stops for a frame over {@link MAX_LOCAL_FRAME_BYTES}.
 */
export class LocalFrameReader {
  private buffered: Buffer = Buffer.alloc(0);
  private stopped = false;

  constructor(
    private readonly onMessage: (message: unknown) => void,
    private readonly onTooLarge: () => void,
  ) {}

  /** Feeds bytes read from the socket. */
  push(chunk: Buffer): void {
    if (this.stopped) return;
    this.buffered = this.buffered.byteLength === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    while (this.buffered.byteLength >= LENGTH_BYTES) {
      const length = this.buffered.readUInt32BE(0);
      if (length < 1 || length > MAX_LOCAL_FRAME_BYTES) {
        this.stopped = true;
        this.onTooLarge();
        return;
      }
      if (this.buffered.byteLength < LENGTH_BYTES + length) return;
      const kind = this.buffered.readUInt8(LENGTH_BYTES);
      const payload = this.buffered.subarray(LENGTH_BYTES + 1, LENGTH_BYTES + length);
      this.buffered = this.buffered.subarray(LENGTH_BYTES + length);
      const message =
        kind === KIND_TEXT
          ? decodeFrame(payload.toString('utf8'))
          : kind === KIND_BINARY
            ? decodeFrame(new Uint8Array(payload))
            : undefined;
      if (message !== undefined) this.onMessage(message);
    }
  }
}

/** True when `message` is a hello of exactly this protocol and LabDeck version. */
export function helloMatches(message: unknown, version: string): boolean {
  const hello = message as Partial<LocalHello> | null;
  return (
    typeof hello === 'object' &&
    hello !== null &&
    hello.t === 'hello' &&
    hello.protocol === LOCAL_PROTOCOL &&
    hello.version === version
  );
}
