import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import {
  encodeStreamData,
  encodeStreamEnd,
  encodeStreamHeader,
  encodeStreamNotice,
  StreamDecoder,
  type StreamNotice,
  type StreamFrame,
  type StreamOpen,
} from '../../common/agent/stream-header';
import { toAppError, type AppError } from '../../common/contract/result';
import type { AgentLog } from './agent-log';
import type { ReleaseHold } from './idle-exit';

/** A client that opens a stream connection but sends no header this long is dropped. */
export const STREAM_OPEN_TIMEOUT_MS = 10_000;

/** One live stream, made by a {@link StreamOpener} for one attach. */
export interface AgentStream {
  /** Bytes of scrollback `output` starts with (0 when none). */
  readonly replayBytes: number;
  /** A terminal's output offset of the first byte `output` yields (see `StreamOpen.from`). */
  readonly offset?: number;
  /** Bytes the client asked for (`from`) that the buffer no longer holds. */
  readonly droppedBytes?: number;
  /**
   * Bytes to the client — or, between them, a {@link StreamNotice} object (a terminal's client
   * that fell behind its buffer); its end ends the stream. Read with backpressure (pipe).
   */
  readonly output: Readable;
  /** Bytes from the client; ended when the client ends its side. */
  readonly input?: Writable;
  /** Exit code for the end trailer, read once `output` has ended (a terminal's process). */
  exitCode?(): number | null;
  /** The client went away before `output` ended: stop producing (detach, not kill, for terms). */
  close(): void;
}

/** Makes the stream for `open`; `arg` is what follows `<name>:` in its id (empty for exact). */
export type StreamOpener = (open: StreamOpen, arg: string) => AgentStream;

/**
 * The byte streams one daemon serves, by name: `diag:echo` exactly, or `diag:generate` for ids
 * `diag:generate:<arg>`. A feature registers its own (`terminals` later), like RPC methods.
 */
export class StreamTable {
  private readonly openers = new Map<string, StreamOpener>();

  /** Adds the opener for ids `name` and `name:<arg>`. */
  register(name: string, opener: StreamOpener): void {
    if (this.openers.has(name)) throw new Error(`Agent stream ${name} is registered twice.`);
    this.openers.set(name, opener);
  }

  /** The opener and its argument for `id`, if any. */
  find(id: string): { readonly opener: StreamOpener; readonly arg: string } | undefined {
    const exact = this.openers.get(id);
    if (exact !== undefined) return { opener: exact, arg: '' };
    const colon = id.lastIndexOf(':');
    const opener = colon > 0 ? this.openers.get(id.slice(0, colon)) : undefined;
    return opener === undefined ? undefined : { opener, arg: id.slice(colon + 1) };
  }
}

/** What {@link serveStream} needs from the daemon. */
export interface StreamHost {
  readonly streams: StreamTable;
  readonly log: AgentLog;
  holdAlive(reason: string): ReleaseHold;
}

function unknownStream(id: string): AppError {
  return {
    code: 'unknown-agent-stream',
    message: `The agent has no stream "${id}".`,
    hint: 'It may have ended, or LabDeck and the agent on this host are from different versions.',
  };
}

/**
 * Serves one stream connection on the daemon socket (its first bytes were {@link STREAM_MAGIC}):
 * reads the open header, answers `opened` (or `refused`, then closes), then copies the stream's
 * output as data frames with the socket's own backpressure — a slow reader pauses only this
 * stream, never the daemon's RPC — and ends with the trailer. Holds the daemon alive meanwhile.
 */
export function serveStream(socket: Socket, host: StreamHost): void {
  const decoder = new StreamDecoder();
  const release = host.holdAlive('stream opening');
  let stream: AgentStream | undefined;
  let releaseStream: ReleaseHold | undefined;
  let outputEnded = false;
  const timer = setTimeout(() => socket.destroy(), STREAM_OPEN_TIMEOUT_MS);

  const onFrame = (frame: StreamFrame): void => {
    if (frame.kind === 'header') {
      if (frame.header.t !== 'open') return void socket.destroy();
      clearTimeout(timer);
      stream = start(frame.header);
    } else if (frame.kind === 'data') {
      if (stream?.input?.write(frame.bytes) === false) {
        socket.pause();
        stream.input.once('drain', () => socket.resume());
      }
    } else if (frame.kind === 'end') {
      stream?.input?.end();
    }
  };

  const start = (open: StreamOpen): AgentStream | undefined => {
    const found = host.streams.find(open.stream);
    if (found === undefined) {
      host.log.warn(`refused unknown stream ${open.stream}`);
      socket.end(encodeStreamHeader({ t: 'refused', error: unknownStream(open.stream) }));
      return undefined;
    }
    let opened: AgentStream;
    try {
      opened = found.opener(open, found.arg);
    } catch (thrown) {
      socket.end(encodeStreamHeader({ t: 'refused', error: toAppError(thrown) }));
      return undefined;
    }
    releaseStream = host.holdAlive(`stream ${open.stream}`);
    socket.write(
      encodeStreamHeader({
        t: 'opened',
        stream: open.stream,
        replayBytes: opened.replayBytes,
        ...(open.cols === undefined ? {} : { cols: open.cols }),
        ...(open.rows === undefined ? {} : { rows: open.rows }),
        ...(opened.offset === undefined ? {} : { offset: opened.offset }),
        ...(opened.droppedBytes === undefined ? {} : { droppedBytes: opened.droppedBytes }),
      }),
    );
    pipeOutput(opened, socket, () => (outputEnded = true));
    return opened;
  };

  socket.on('data', (chunk: Buffer) => {
    try {
      for (const frame of decoder.push(chunk)) onFrame(frame);
    } catch (error) {
      host.log.warn(`dropped a stream client: ${String(error)}`);
      socket.destroy();
    }
  });
  socket.on('end', () => stream?.input?.end());
  socket.on('error', () => socket.destroy());
  socket.once('close', () => {
    clearTimeout(timer);
    if (stream !== undefined && !outputEnded) stream.close();
    releaseStream?.();
    release();
  });
}

/** Copies `stream.output` to `socket` as data frames, honouring `write`'s backpressure. */
function pipeOutput(stream: AgentStream, socket: Socket, ended: () => void): void {
  const { output } = stream;
  output.on('data', (chunk: Buffer | string | StreamNotice) => {
    let flowing = true;
    if (typeof chunk === 'object' && !Buffer.isBuffer(chunk)) {
      flowing = socket.write(encodeStreamNotice(chunk));
    } else {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      for (const frame of encodeStreamData(bytes)) flowing = socket.write(frame) && flowing;
    }
    if (!flowing) {
      output.pause();
      socket.once('drain', () => output.resume());
    }
  });
  output.once('end', () => {
    ended();
    socket.end(encodeStreamEnd({ t: 'end', exitCode: stream.exitCode?.() ?? null }));
  });
  output.once('error', (error) => {
    ended();
    socket.end(
      encodeStreamEnd({ t: 'end', error: { code: 'agent-stream-failed', message: error.message } }),
    );
  });
}
