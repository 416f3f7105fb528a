import type { ParamsOf, ParamsSchema } from '../../common/agent/agent-protocol';
import type { AppError } from '../../common/contract/result';

/** What a method handler learns about the call besides its params. */
export interface CallContext {
  /** The `client` name the caller gave in its hello, for logs. */
  readonly client: string;
  /** Aborted when the caller disconnects before the handler finishes. */
  readonly signal: AbortSignal;
}

/** Answers one request. Throw an `AppFailure` to send the user a specific error. */
export type MethodHandler<P> = (params: P, context: CallContext) => unknown;

/** Where a topic sends its events. */
export interface TopicSink<D = unknown> {
  /** Sends one event to the subscriber. */
  emit(data: D): void;
  /** Ends the subscription from the topic's side (e.g. its process died); idempotent. */
  end(error?: AppError): void;
}

/** Undoes what a topic started; called once, when the subscription ends for any reason. */
export type TopicCleanup = () => void;

/**
 * Starts one subscription. `signal` aborts when the subscriber leaves; the returned cleanup runs
 * then too. Throwing ends the subscription with that error.
 */
export type TopicStart<P, D = unknown> = (
  params: P,
  sink: TopicSink<D>,
  signal: AbortSignal,
) => TopicCleanup | void;

/** A registered method: its params schema and handler. */
export interface MethodEntry {
  readonly params: ParamsSchema;
  readonly handler: MethodHandler<unknown>;
}

/** A registered topic: its params schema and how to start it. */
export interface TopicEntry {
  readonly params: ParamsSchema;
  readonly start: TopicStart<unknown>;
}

/**
 * The agent's methods and topics by name. Each feature registers its own in its own file
 * (`registerGpuMethods(registry, …)`), so adding one touches nothing else. Params are parsed with
 * the given schema before the handler runs; handlers never see unvalidated input.
 */
export class AgentRegistry {
  private readonly methods = new Map<string, MethodEntry>();
  private readonly topics = new Map<string, TopicEntry>();

  /** Adds a method; a second registration of one name is a programming error. */
  registerMethod<S extends ParamsSchema>(
    name: string,
    params: S,
    handler: MethodHandler<ParamsOf<S>>,
  ): void {
    if (this.methods.has(name)) throw new Error(`Agent method ${name} is registered twice.`);
    this.methods.set(name, { params, handler: handler as MethodHandler<unknown> });
  }

  /** Adds a topic; wrap `start` in `sharedTopic` when subscribers should share one source. */
  registerTopic<S extends ParamsSchema>(
    name: string,
    params: S,
    start: TopicStart<ParamsOf<S>>,
  ): void {
    if (this.topics.has(name)) throw new Error(`Agent topic ${name} is registered twice.`);
    this.topics.set(name, { params, start: start as TopicStart<unknown> });
  }

  /** The method called `name`, if any. */
  method(name: string): MethodEntry | undefined {
    return this.methods.get(name);
  }

  /** The topic called `name`, if any. */
  topic(name: string): TopicEntry | undefined {
    return this.topics.get(name);
  }
}
