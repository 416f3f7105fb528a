import { PassThrough, Readable } from 'node:stream';
import { AppFailure } from '../../common/contract/result';
import type { StreamTable } from './stream-server';

/** Largest `diag:generate:<bytes>`: enough to fill any SSH window many times over. */
export const DIAG_GENERATE_MAX_BYTES = 1024 * 1024 * 1024;
/** Chunk size of `diag:generate`. */
const GENERATE_CHUNK_BYTES = 64 * 1024;
/** `diag:generate` writes byte `i % GENERATE_PERIOD`, so a reader can check order and loss. */
export const DIAG_GENERATE_PERIOD = 251;

/** `count` bytes of the generate pattern, produced only as fast as they are read. */
function generate(count: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= count) return void this.push(null);
      const size = Math.min(GENERATE_CHUNK_BYTES, count - sent);
      const chunk = Buffer.allocUnsafe(size);
      for (let i = 0; i < size; i++) chunk[i] = (sent + i) % DIAG_GENERATE_PERIOD;
      sent += size;
      this.push(chunk);
    },
  });
}

/**
 * Built-in diagnostic streams, to test the stream path end to end before terminals exist:
 * `diag:echo` sends back what it receives until the client ends its side; `diag:generate:<N>`
 * sends N pattern bytes (exit code 0), only as fast as the reader takes them.
 */
export function registerDiagStreams(streams: StreamTable): void {
  streams.register('diag:echo', () => {
    const echo = new PassThrough();
    return {
      replayBytes: 0,
      output: echo,
      input: echo,
      exitCode: () => 0,
      close: () => echo.destroy(),
    };
  });
  streams.register('diag:generate', (_open, arg) => {
    const count = Number(arg);
    if (!/^\d+$/.test(arg) || count > DIAG_GENERATE_MAX_BYTES) {
      throw new AppFailure({
        code: 'invalid-input',
        message: `diag:generate takes a byte count up to ${DIAG_GENERATE_MAX_BYTES}, not "${arg}".`,
      });
    }
    const output = generate(count);
    return { replayBytes: 0, output, exitCode: () => 0, close: () => output.destroy() };
  });
}
