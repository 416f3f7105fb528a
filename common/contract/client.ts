import {
  type EventName,
  type EventPayload,
  type RequestInput,
  type RequestName,
  type RequestOutput,
  type StreamInput,
  type StreamName,
  type TopicEvent,
  type TopicName,
  type TopicParams,
} from './contract';
import type { AppError, Result } from './result';
import type { StreamControl, StreamSink, Transport } from './transport';

/** What a typed topic subscription calls: each event, and the end the services decided. */
export interface TopicListener<K extends TopicName> {
  readonly event: (payload: TopicEvent<K>) => void;
  /** The services ended the subscription; `error` says why when it failed or could not start. */
  readonly end?: (error?: AppError) => void;
}

/** The typed API used by the renderer, the CLI and the tests; one shape over every transport. */
export interface Client {
  request<K extends RequestName>(
    channel: K,
    input: RequestInput<K>,
  ): Promise<Result<RequestOutput<K>>>;
  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void;
  openStream<K extends StreamName>(
    channel: K,
    input: StreamInput<K>,
    sink: StreamSink,
  ): StreamControl;
  /** Subscribes to `topic` with `params`; returns the unsubscribe function. */
  listen<K extends TopicName>(
    topic: K,
    params: TopicParams<K>,
    listener: TopicListener<K>,
  ): () => void;
}

/**
 * Wraps a {@link Transport} with the contract's types. Results are trusted (they come from our
 * own services) and are not parsed again here; inputs are parsed on the service side.
 */
export function createClient(transport: Transport): Client {
  return {
    request: (channel, input) =>
      transport.request(channel, input) as Promise<Result<RequestOutput<typeof channel>>>,
    on: (event, listener) =>
      transport.on(event, (payload) => listener(payload as EventPayload<typeof event>)),
    openStream: (channel, input, sink) => transport.openStream(channel, input, sink),
    listen: (topic, params, listener) =>
      transport.listen(topic, params, {
        event: (payload) => listener.event(payload as TopicEvent<typeof topic>),
        end: (error) => listener.end?.(error),
      }),
  };
}
