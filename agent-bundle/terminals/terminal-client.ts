import { Readable, Writable } from 'node:stream';
import type { StreamNotice } from '../../common/agent/stream-header';
import type { RingBuffer } from './ring-buffer';

/** Largest chunk one client is handed at a time: one stream data frame. */
export const TERMINAL_CLIENT_CHUNK_BYTES = 64 * 1024;
/** Chunks a client's stream holds before it stops asking for more (objects, not bytes). */
const CLIENT_BUFFERED_CHUNKS = 4;

/** What a client needs of its terminal. */
export interface TerminalSource {
  readonly ring: RingBuffer;
  /** True once the process has exited and its last output is in the ring. */
  readonly ended: boolean;
  /** Tells the terminal a client's appetite changed, so it can pause or resume the process. */
  flowChanged(): void;
  /** Tells the terminal a client read something: it is alive. */
  clientProgressed(): void;
  /** Keystrokes for the process. */
  readonly input: Writable;
}

/**
 * One attached client of a terminal: reads the ring from its own position, only as fast as its
 * connection takes it (a Readable whose `_read` is the client's demand), so clients never wait on
 * one another. A client that falls behind what the ring holds skips ahead with a `dropped`
 * notice in its place; it ends after the last byte once the process has exited.
 */
export class TerminalClient extends Readable {
  private wanting = false;
  /** Keystrokes from this client; ending it does not end the process's input for the others. */
  readonly keystrokes: Writable;

  constructor(
    private readonly source: TerminalSource,
    /** The output offset of the next byte this client gets. */
    public position: number,
  ) {
    super({ objectMode: true, highWaterMark: CLIENT_BUFFERED_CHUNKS });
    this.keystrokes = new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        if (source.input.write(chunk)) callback();
        else source.input.once('drain', () => callback());
      },
      final: (callback) => callback(),
    });
  }

  /** True while this client's connection is backed up: it asked for nothing more. */
  get blocked(): boolean {
    return !this.wanting;
  }

  override _read(): void {
    this.wanting = true;
    this.source.clientProgressed();
    this.feed();
  }

  /** Hands this client what the ring has for it, while it wants more. */
  feed(): void {
    const { ring } = this.source;
    while (this.wanting && !this.destroyed) {
      if (this.position < ring.start) {
        const notice: StreamNotice = { t: 'dropped', bytes: ring.start - this.position };
        this.position = ring.start;
        this.wanting = this.push(notice);
      } else if (this.position < ring.end) {
        const chunk = ring.read(this.position, TERMINAL_CLIENT_CHUNK_BYTES);
        this.position += chunk.length;
        this.wanting = this.push(chunk);
      } else if (this.source.ended) {
        this.wanting = false;
        this.push(null);
      } else {
        break;
      }
    }
    this.source.flowChanged();
  }
}
