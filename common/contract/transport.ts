import type { AppError, Result } from './result';

/** Receives a stream's bytes and its end. */
export interface StreamSink {
  /** Called with each chunk in order. Grant credit with `ack` once the bytes are consumed. */
  data(bytes: Uint8Array): void;
  /** Called once: without an error when the stream finished, with one when it failed. */
  end(error?: AppError): void;
}

/** Receives a topic subscription's events and its end. */
export interface TopicSink {
  /** Called with each event of this subscription, in order. */
  event(payload: unknown): void;
  /**
   * Called at most once, when the services end the subscription: with an error when it could not
   * start or its source failed. Not called after the client's own unsubscribe.
   */
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
  /**
   * Subscribes to a parameterised topic; returns the unsubscribe function. The subscription
   * belongs to this client: the services end it when the client goes away.
   */
  listen(topic: string, params: unknown, sink: TopicSink): () => void;
}
