import { describe, expect, it } from 'vitest';
import {
  encodeStreamData,
  encodeStreamEnd,
  encodeStreamHeader,
  StreamDecodeError,
  StreamDecoder,
  STREAM_MAX_DATA_BYTES,
  STREAM_MAX_NOISE_BYTES,
  type StreamFrame,
} from '../../../common/agent/stream-header';

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return Buffer.concat(parts.map((part) => Buffer.from(part)));
}

function decodeAll(bytes: Uint8Array, chunkSize = bytes.length): StreamFrame[] {
  const decoder = new StreamDecoder();
  const frames: StreamFrame[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) {
    frames.push(...decoder.push(bytes.subarray(at, at + chunkSize)));
  }
  return frames;
}

const binary = Uint8Array.from({ length: 300 }, (_, i) => i % 256);
const whole = concat([
  encodeStreamHeader({ t: 'opened', stream: 'diag:echo', replayBytes: 12, cols: 80, rows: 24 }),
  ...encodeStreamData(binary),
  encodeStreamEnd({ t: 'end', exitCode: 3 }),
]);

describe('stream header codec', () => {
  it('round-trips a header, raw bytes (every byte value, unencoded) and the end trailer', () => {
    const frames = decodeAll(whole);
    expect(frames).toEqual([
      {
        kind: 'header',
        header: { t: 'opened', stream: 'diag:echo', replayBytes: 12, cols: 80, rows: 24 },
      },
      { kind: 'data', bytes: binary },
      { kind: 'end', end: { t: 'end', exitCode: 3 } },
    ]);
    // Raw: the payload costs 5 bytes of framing, not base64's third more.
    expect(whole.length).toBeLessThan(binary.length + 200);
  });

  it('decodes the same frames when bytes arrive one at a time', () => {
    expect(decodeAll(whole, 1)).toEqual(decodeAll(whole));
  });

  it('skips what a noisy rc file printed before the magic', () => {
    const noisy = concat([new TextEncoder().encode('Welcome to lab1!\nLDS'), whole]);
    expect(decodeAll(noisy, 3)).toEqual(decodeAll(whole));
  });

  it('splits big chunks into bounded data frames', () => {
    const big = new Uint8Array(STREAM_MAX_DATA_BYTES * 2 + 1);
    expect(encodeStreamData(big).map((f) => f.length - 5)).toEqual([
      STREAM_MAX_DATA_BYTES,
      STREAM_MAX_DATA_BYTES,
      1,
    ]);
  });

  it('carries a typed refusal', () => {
    const refusal = encodeStreamHeader({
      t: 'refused',
      error: { code: 'unknown-agent-stream', message: 'no such stream' },
    });
    expect(decodeAll(refusal)).toEqual([
      {
        kind: 'header',
        header: {
          t: 'refused',
          error: { code: 'unknown-agent-stream', message: 'no such stream' },
        },
      },
    ]);
  });

  it('refuses data before the header, a second header, oversized frames and endless noise', () => {
    const header = encodeStreamHeader({ t: 'open', stream: 'diag:echo' });
    const magicOnly = header.subarray(0, 4);
    expect(() => decodeAll(concat([magicOnly, ...encodeStreamData(binary)]))).toThrow(
      StreamDecodeError,
    );
    expect(() => decodeAll(concat([header, header.subarray(4)]))).toThrow(/one header/);
    const huge = Uint8Array.from([0x44, 0xff, 0xff, 0xff, 0xff]);
    expect(() => decodeAll(concat([header, huge]))).toThrow(/too large/);
    expect(() => decodeAll(new Uint8Array(STREAM_MAX_NOISE_BYTES + 10))).toThrow(
      /no stream header/,
    );
  });

  it('refuses a header whose fields do not match the schema', () => {
    expect(() => encodeStreamHeader({ t: 'open', stream: 'bad id with spaces' })).toThrow();
    const forged = concat([
      new TextEncoder().encode('LDS1'),
      Uint8Array.from([0x48, 0, 0, 0, 2]),
      new TextEncoder().encode('{}'),
    ]);
    expect(() => decodeAll(forged)).toThrow(/bad stream header/);
  });
});
