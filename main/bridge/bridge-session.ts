import type { Duplex } from 'node:stream';
import { isEventName } from '../../common/contract/contract';
import { toAppError } from '../../common/contract/result';
import {
  clientMessageSchema,
  STREAM_CHUNK_BYTES,
  STREAM_WINDOW_BYTES,
  type ClientMessage,
  type ServerMessage,
} from '../../common/contract/wire';
import type { Dispatcher } from './dispatcher';
import type { CallContext, EventSource } from './handlers';

/** One topic subscription of this client; `cleanup` is set once its handler has started. */
interface Listening {
  cleanup?: () => void;
  ended: boolean;
}

interface OpenStream {
  readonly duplex: Duplex;
  /** Bytes the client has allowed us to send and we have not sent yet. */
  credit: number;
}

/**
 * The server half of the bridge protocol for one connected client (one window, one browser tab,
 * one CLI). Transport-agnostic: IPC and WebSocket adapters feed it messages and carry what it
 * sends. Streams are paused whenever the client's credit runs out, so a slow consumer bounds
 * memory at {@link STREAM_WINDOW_BYTES} per stream. Topic subscriptions belong to this client:
 * their cleanups run when it unsubscribes or goes away.
 */
export class BridgeSession {
  private readonly subscriptions = new Map<string, () => void>();
  private readonly streams = new Map<number, OpenStream>();
  /** Writes that arrived while their stream was still opening, in order; replayed once it is open. */
  private readonly opening = new Map<number, Uint8Array[]>();
  /** Topic subscriptions by the client's id; each one ends with this client at the latest. */
  private readonly listening = new Map<number, Listening>();
  private closed = false;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly events: EventSource,
    private readonly send: (message: ServerMessage) => void,
    private readonly context: CallContext,
  ) {}

  /** Handles one untrusted message from the client. Malformed messages are dropped and logged. */
  receive(raw: unknown): void {
    if (this.closed) return;
    const parsed = clientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      console.warn(`bridge ${this.context.peerId}: dropped a malformed message`);
      return;
    }
    this.handle(parsed.data);
  }

  /**
   * Releases subscriptions, runs every topic subscription's cleanup and destroys open streams;
   * call when the client goes away (a closed tab, a reloaded or destroyed window, the CLI's end).
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const unsubscribe of this.subscriptions.values()) unsubscribe();
    this.subscriptions.clear();
    for (const id of [...this.listening.keys()]) this.unlisten(id);
    for (const { duplex } of this.streams.values()) duplex.destroy();
    this.streams.clear();
  }

  private handle(message: ClientMessage): void {
    switch (message.t) {
      case 'req':
        void this.dispatcher.request(message.ch, message.input, this.context).then((result) => {
          if (!this.closed) this.send({ t: 'res', id: message.id, result });
        });
        return;
      case 'sub':
        if (!isEventName(message.ev) || this.subscriptions.has(message.ev)) return;
        this.subscriptions.set(
          message.ev,
          this.events.on(message.ev, (payload) => {
            if (!this.closed) this.send({ t: 'ev', ev: message.ev, payload });
          }),
        );
        return;
      case 'unsub':
        this.subscriptions.get(message.ev)?.();
        this.subscriptions.delete(message.ev);
        return;
      case 'open':
        void this.open(message.id, message.ch, message.input);
        return;
      case 'write':
        this.opening.get(message.id)?.push(message.bytes);
        this.streams.get(message.id)?.duplex.write(message.bytes);
        return;
      case 'credit':
        this.grant(message.id, message.bytes);
        return;
      case 'close':
        this.opening.delete(message.id);
        this.streams.get(message.id)?.duplex.destroy();
        this.streams.delete(message.id);
        return;
      case 'listen':
        void this.listen(message.id, message.topic, message.params);
        return;
      case 'unlisten':
        this.unlisten(message.id);
        return;
    }
  }

  private async listen(id: number, topic: string, params: unknown): Promise<void> {
    if (this.listening.has(id)) return;
    const entry: Listening = { ended: false };
    this.listening.set(id, entry);
    const result = await this.dispatcher.listen(
      topic,
      params,
      {
        emit: (payload) => {
          if (!entry.ended && !this.closed) this.send({ t: 'topic', id, payload });
        },
        end: (error) => {
          if (entry.ended) return;
          this.unlisten(id);
          if (this.closed) return;
          this.send(error === undefined ? { t: 'unlistened', id } : { t: 'unlistened', id, error });
        },
      },
      this.context,
    );
    if (!result.ok) {
      if (entry.ended) return;
      this.listening.delete(id);
      entry.ended = true;
      if (!this.closed) this.send({ t: 'unlistened', id, error: result.error });
      return;
    }
    // Unsubscribed (or the client went) while the handler was starting: stop it now.
    if (entry.ended) result.cleanup();
    else entry.cleanup = result.cleanup;
  }

  /** Ends one topic subscription; its cleanup runs now, or as soon as its handler has started. */
  private unlisten(id: number): void {
    const entry = this.listening.get(id);
    if (!entry) return;
    this.listening.delete(id);
    entry.ended = true;
    entry.cleanup?.();
  }

  private async open(id: number, channel: string, input: unknown): Promise<void> {
    if (this.streams.has(id) || this.opening.has(id)) return;
    this.opening.set(id, []);
    const opened = await this.dispatcher.openStream(channel, input, this.context);
    const early = this.opening.get(id);
    this.opening.delete(id);
    if (this.closed || early === undefined) {
      if (opened.ok) opened.stream.destroy();
      return;
    }
    if (!opened.ok) {
      this.send({ t: 'end', id, error: opened.error });
      return;
    }
    const stream: OpenStream = { duplex: opened.stream, credit: STREAM_WINDOW_BYTES };
    this.streams.set(id, stream);
    const { duplex } = stream;
    for (const bytes of early) duplex.write(bytes);
    duplex.on('data', (chunk: Buffer) => this.forward(id, stream, chunk));
    duplex.once('end', () => this.finish(id));
    duplex.once('error', (error) => this.finish(id, error));
    duplex.once('close', () => this.finish(id));
  }

  private forward(id: number, stream: OpenStream, chunk: Buffer): void {
    for (let offset = 0; offset < chunk.byteLength; offset += STREAM_CHUNK_BYTES) {
      const part = chunk.subarray(offset, offset + STREAM_CHUNK_BYTES);
      this.send({
        t: 'data',
        id,
        bytes: new Uint8Array(part.buffer, part.byteOffset, part.byteLength),
      });
    }
    stream.credit -= chunk.byteLength;
    if (stream.credit <= 0) stream.duplex.pause();
  }

  private grant(id: number, bytes: number): void {
    const stream = this.streams.get(id);
    if (!stream) return;
    stream.credit = Math.min(stream.credit + bytes, STREAM_WINDOW_BYTES);
    if (stream.credit > 0 && stream.duplex.isPaused()) stream.duplex.resume();
  }

  private finish(id: number, error?: unknown): void {
    const stream = this.streams.get(id);
    if (!stream) return;
    this.streams.delete(id);
    stream.duplex.destroy();
    if (!this.closed) {
      this.send(
        error === undefined ? { t: 'end', id } : { t: 'end', id, error: toAppError(error) },
      );
    }
  }
}
