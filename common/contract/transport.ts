import type { AppError, Result } from './result';

/** Receives a stream's bytes and its end. */
export interface StreamSink {
  /** Called with each chunk in order. Grant credit with `ack` once the bytes are consumed. */
  data(bytes: Uint8Array): void;
  /** Called once: without an error when the stream finished, with one when it failed. */
  end(error?: AppError): void;
}

/** The client's handle on an open stream. */
export interface StreamControl {
  write(bytes: Uint8Array): void;
  /** Tells the server `bytes` more may be sent: the consumer's side of flow control. */
  ack(bytes: number): void;
  close(): void;
}

/**
 * The untyped surface every client speaks: exposed as `window.api` by the preload, and
 * implemented over the WebSocket bridge in browser mode and in-process for the CLI.
 * Typed access goes through `createClient`.
 */
export interface Transport {
  request(channel: string, input: unknown): Promise<Result<unknown>>;
  /** Subscribes to an event; returns the unsubscribe function. */
  on(event: string, listener: (payload: unknown) => void): () => void;
  openStream(channel: string, input: unknown, sink: StreamSink): StreamControl;
}
