import type { Duplex } from 'node:stream';
import type { AppError } from '../../common/contract/result';
import type {
  EventName,
  EventPayload,
  ParsedInput,
  ParsedStreamInput,
  RequestName,
  RequestOutput,
  StreamName,
  ParsedTopicParams,
  TopicEvent,
  TopicName,
} from '../../common/contract/contract';

/** Who is calling: lets handlers tailor answers (e.g. the run mode) without trusting the input. */
export interface CallContext {
  /** A stable id of the connected client, for logs and per-client state. */
  readonly peerId: string;
}

/** One handler per request in the contract; the compiler refuses a missing or extra one. */
export type RequestHandlers = {
  readonly [K in RequestName]: (
    input: ParsedInput<K>,
    context: CallContext,
  ) => Promise<RequestOutput<K>> | RequestOutput<K>;
};

/**
 * One handler per stream in the contract. It returns a Node duplex: what it reads is sent to the
 * client (paused while the client has no credit), what the client writes is written into it.
 */
export type StreamHandlers = {
  readonly [K in StreamName]: (
    input: ParsedStreamInput<K>,
    context: CallContext,
  ) => Promise<Duplex>;
};

/** Where a topic handler sends its subscriber's events. */
export interface TopicSink<E> {
  emit(event: E): void;
  /** Ends the subscription from the services' side (e.g. the host disconnected); idempotent. */
  end(error?: AppError): void;
}

/** Stops what a topic handler started for one subscriber. */
export type TopicCleanup = () => void;

/**
 * One handler per topic in the contract. It starts feeding `sink` for one subscriber and returns
 * the cleanup the bridge session runs when that subscriber unsubscribes or its client goes away.
 * Throwing (or rejecting) refuses the subscription with that error.
 */
export type TopicHandlers = {
  readonly [K in TopicName]: (
    params: ParsedTopicParams<K>,
    sink: TopicSink<TopicEvent<K>>,
    context: CallContext,
  ) => Promise<TopicCleanup> | TopicCleanup;
};

/** Every handler of the contract, by kind: what {@link Dispatcher} routes to. */
export interface Handlers {
  readonly requests: RequestHandlers;
  readonly streams: StreamHandlers;
  readonly topics: TopicHandlers;
}

/**
 * The handlers one domain contributes (`main/<domain>/<domain>-handlers.ts`): its slice of each
 * table, present only for the kinds it has. `main/services.ts` spreads the slices into
 * {@link Handlers}, whose type refuses a missing handler.
 */
export type HandlerSlice<
  R extends RequestName = never,
  S extends StreamName = never,
  T extends TopicName = never,
> = ([R] extends [never] ? unknown : { readonly requests: Pick<RequestHandlers, R> }) &
  ([S] extends [never] ? unknown : { readonly streams: Pick<StreamHandlers, S> }) &
  ([T] extends [never] ? unknown : { readonly topics: Pick<TopicHandlers, T> });

/** Publishes events to whoever subscribed. */
export interface EventSource {
  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void;
}
