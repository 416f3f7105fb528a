import type { Readable } from 'node:stream';
import {
  StreamDecoder,
  type StreamEnd,
  type StreamReply,
} from '../../../common/agent/stream-header';

/** What the agent side of a stream sent, decoded as it arrives: header, data and trailer. */
export class StreamReader {
  /** The agent's header: opened or refused. */
  readonly header: Promise<StreamReply>;
  /** The end trailer, or undefined if the connection closed without one. */
  readonly end: Promise<StreamEnd | undefined>;
  /** Data bytes received so far. */
  received = 0;
  private readonly chunks: Uint8Array[] = [];

  /** `keep`: hold data for {@link bytes}; `onData`: sees each data frame (e.g. to check it). */
  constructor(
    source: Readable,
    private readonly keep = true,
    private readonly onDataFrame?: (bytes: Uint8Array, offset: number) => void,
  ) {
    const decoder = new StreamDecoder();
    let resolveHeader!: (header: StreamReply) => void;
    let rejectHeader!: (error: Error) => void;
    let resolveEnd!: (end: StreamEnd | undefined) => void;
    this.header = new Promise((resolve, reject) => {
      resolveHeader = resolve;
      rejectHeader = reject;
    });
    this.header.catch(() => undefined);
    this.end = new Promise((resolve) => (resolveEnd = resolve));
    source.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        if (frame.kind === 'header' && frame.header.t !== 'open') resolveHeader(frame.header);
        else if (frame.kind === 'data') this.onData(frame.bytes);
        else if (frame.kind === 'end') resolveEnd(frame.end);
      }
    });
    source.once('close', () => {
      rejectHeader(new Error('the stream closed before its header'));
      resolveEnd(undefined);
    });
  }

  /** Everything received so far, when kept. */
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  private onData(bytes: Uint8Array): void {
    this.onDataFrame?.(bytes, this.received);
    this.received += bytes.length;
    if (this.keep) this.chunks.push(bytes);
  }
}
