import { randomBytes } from 'node:crypto';
import { Duplex } from 'node:stream';
import type { ClientChannel } from 'ssh2';

/** Bytes of output allowed before the marker: a login banner, not a flood. */
const MAX_NOISE_BYTES = 64 * 1024;

/** A fresh marker for one exec, printed by the remote side right before the real output. */
export function newMarker(): string {
  return `LABDECK-STREAM-${randomBytes(9).toString('hex')}\n`;
}

/**
 * Wraps an exec channel whose command prints `marker` and then becomes a byte stream: whatever
 * a chatty login (`.bashrc`) printed before the marker is dropped, then bytes pass through both
 * ways untouched. Too much output without a marker fails the stream instead of buffering it all.
 */
export function afterMarker(channel: ClientChannel, marker: string): Duplex {
  const needle = Buffer.from(marker);
  let pending: Buffer | null = Buffer.alloc(0);
  const stream = new Duplex({
    write(chunk: Buffer, _encoding, callback) {
      channel.write(chunk, callback);
    },
    final(callback) {
      channel.end();
      callback();
    },
    read() {
      channel.resume();
    },
    destroy(error, callback) {
      channel.destroy();
      callback(error);
    },
  });
  channel.on('data', (chunk: Buffer) => {
    if (pending !== null) {
      pending = Buffer.concat([pending, chunk]);
      const at = pending.indexOf(needle);
      if (at < 0) {
        if (pending.byteLength > MAX_NOISE_BYTES)
          stream.destroy(new Error('the remote command printed no start marker'));
        return;
      }
      chunk = pending.subarray(at + needle.byteLength);
      pending = null;
      if (chunk.byteLength === 0) return;
    }
    if (!stream.push(chunk)) channel.pause();
  });
  channel.once('end', () => stream.push(null));
  channel.once('close', () => stream.destroy());
  return stream;
}
