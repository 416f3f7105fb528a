import type { Duplex } from 'node:stream';
import type {
  EventName,
  EventPayload,
  ParsedInput,
  ParsedStreamInput,
  RequestName,
  RequestOutput,
  StreamName,
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

/** Publishes events to whoever subscribed. */
export interface EventSource {
  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void;
}
