import { Duplex, PassThrough } from 'node:stream';
import type Docker from 'dockerode';

/** Lines of output a log view starts with, so a long-running session does not flood it. */
export const LOG_TAIL_LINES = 2_000;

/**
 * A session's output as one byte stream for the bridge: stdout and stderr as the container wrote
 * them (Docker's 8-byte frame headers taken off), then, with `follow`, what it writes next. What
 * the client writes is ignored; closing the stream stops following.
 */
export async function sessionLogStream(
  docker: Docker,
  containerId: string,
  follow: boolean,
): Promise<Duplex> {
  const container = docker.getContainer(containerId);
  const { Config } = await container.inspect();
  const out = new PassThrough();
  const options = { stdout: true, stderr: true, tail: LOG_TAIL_LINES } as const;
  const source = follow
    ? await container.logs({ ...options, follow: true })
    : await container.logs({ ...options, follow: false });
  const duplex = Duplex.from({ readable: out, writable: new PassThrough().resume() });
  if (Buffer.isBuffer(source)) {
    out.end(Config.Tty ? source : demuxBuffer(source));
    return duplex;
  }
  if (Config.Tty) source.pipe(out);
  else {
    docker.modem.demuxStream(source, out, out);
    source.once('end', () => out.end());
  }
  source.once('error', (error: Error) => out.destroy(error));
  duplex.once('close', () =>
    (source as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.(),
  );
  return duplex;
}

/** Docker's multiplexed log bytes (8-byte header per frame) as the plain bytes they carry. */
export function demuxBuffer(buffer: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts);
}
