import {
  type EventName,
  type EventPayload,
  type RequestInput,
  type RequestName,
  type RequestOutput,
  type StreamInput,
  type StreamName,
} from './contract';
import type { Result } from './result';
import type { StreamControl, StreamSink, Transport } from './transport';

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
  };
}
