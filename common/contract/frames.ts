import type { ClientMessage, ServerMessage } from './wire';

/**
 * Encoding of bridge messages onto WebSocket frames: stream bytes go in binary frames with a
 * 5-byte header (kind, stream id), everything else as JSON text. Byte streams never become JSON.
 */

const HEADER_BYTES = 5;
const KIND_DATA = 1;
const KIND_WRITE = 2;

/** Encodes a message as a text frame (string) or a binary frame (Uint8Array). */
export function encodeFrame(message: ClientMessage | ServerMessage): string | Uint8Array {
  if (message.t === 'data' || message.t === 'write') {
    const frame = new Uint8Array(HEADER_BYTES + message.bytes.byteLength);
    const view = new DataView(frame.buffer);
    view.setUint8(0, message.t === 'data' ? KIND_DATA : KIND_WRITE);
    view.setUint32(1, message.id);
    frame.set(message.bytes, HEADER_BYTES);
    return frame;
  }
  return JSON.stringify(message);
}

/**
 * Decodes a frame into an untrusted message object; the receiver still validates it.
 * Returns undefined for frames that cannot be a message at all.
 */
export function decodeFrame(frame: string | Uint8Array): unknown {
  if (typeof frame === 'string') {
    try {
      return JSON.parse(frame) as unknown;
    } catch {
      return undefined;
    }
  }
  if (frame.byteLength < HEADER_BYTES) return undefined;
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const kind = view.getUint8(0);
  const id = view.getUint32(1);
  const bytes = frame.subarray(HEADER_BYTES);
  if (kind === KIND_DATA) return { t: 'data', id, bytes };
  if (kind === KIND_WRITE) return { t: 'write', id, bytes };
  return undefined;
}
