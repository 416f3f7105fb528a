import { Duplex, PassThrough, pipeline, Transform, type TransformCallback } from 'node:stream';
import type Docker from 'dockerode';

/** Lines of output a log view starts with, so a long-running session does not flood it. */
export const LOG_TAIL_LINES = 2_000;
/** Docker's multiplexed frames: 1 byte stream, 3 padding, 4 bytes big-endian length. */
const FRAME_HEADER_BYTES = 8;

/**
 * Takes Docker's 8-byte frame headers off its multiplexed log bytes, as a stream: it writes only
 * as fast as it is read, so a session printing `yes` into a slow window or a paused `| less`
 * holds the engine's response back instead of growing main's memory.
 */
export class DockerFrameDemux extends Transform {
  private pending = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let buffer = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    while (buffer.length >= FRAME_HEADER_BYTES) {
      const size = buffer.readUInt32BE(4);
      if (buffer.length < FRAME_HEADER_BYTES + size) break;
      this.push(buffer.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + size));
      buffer = buffer.subarray(FRAME_HEADER_BYTES + size);
    }
    this.pending = Buffer.from(buffer);
    done();
  }
}

/**
 * A session's output as one byte stream for the bridge: stdout and stderr as the container wrote
 * them, then, with `follow`, what it writes next. What the client writes is ignored; closing the
 * stream stops following.
 */
export async function sessionLogStream(
  docker: Docker,
  containerId: string,
  follow: boolean,
): Promise<Duplex> {
  const container = docker.getContainer(containerId);
  const { Config } = await container.inspect();
  const options = { stdout: true, stderr: true, tail: LOG_TAIL_LINES } as const;
  const source = follow
    ? await container.logs({ ...options, follow: true })
    : await container.logs({ ...options, follow: false });
  const out = new PassThrough();
  const duplex = Duplex.from({ readable: out, writable: new PassThrough().resume() });
  if (Buffer.isBuffer(source)) {
    out.end(Config.Tty ? source : demuxBuffer(source));
    return duplex;
  }
  const stages: NodeJS.ReadWriteStream[] = Config.Tty ? [] : [new DockerFrameDemux()];
  pipeline([source, ...stages, out], () => undefined);
  duplex.once('close', () =>
    (source as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.(),
  );
  return duplex;
}

/** Docker's multiplexed log bytes (8-byte header per frame) as the plain bytes they carry. */
export function demuxBuffer(buffer: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + FRAME_HEADER_BYTES <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + FRAME_HEADER_BYTES, offset + FRAME_HEADER_BYTES + size));
    offset += FRAME_HEADER_BYTES + size;
  }
  return Buffer.concat(parts);
}
