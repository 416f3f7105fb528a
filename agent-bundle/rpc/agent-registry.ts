import {
  agentContract,
  methodSpec,
  topicSpec,
  type AgentContract,
  type MethodName,
  type MethodParams,
  type MethodResultInput,
  type MethodSpec,
  type TopicEventInput,
  type TopicName,
  type TopicParams,
  type TopicSpec,
  type UserAgentContract,
} from '../../common/agent/agent-contract';
import type { AppError } from '../../common/contract/result';

/** What a method handler learns about the call besides its params. */
export interface CallContext {
  /** The `client` name the caller gave in its hello, for logs. */
  readonly client: string;
  /** Aborted when the caller disconnects before the handler finishes. */
  readonly signal: AbortSignal;
}

/** Answers one request with `R` (or a promise of it). Throw an `AppFailure` for a specific error. */
export type MethodHandler<P, R = unknown> = (params: P, context: CallContext) => R | Promise<R>;

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

/** A registered method: its contract entry and handler. */
export interface MethodEntry {
  readonly spec: MethodSpec;
  readonly handler: MethodHandler<unknown>;
}

/** A registered topic: its contract entry and how to start it. */
export interface TopicEntry {
  readonly spec: TopicSpec;
  readonly start: TopicStart<unknown>;
}

/** What serving a session needs of a registry, whatever contract it was built for. */
export interface RegistryLookup {
  /** The method called `name`, if any. */
  method(name: string): MethodEntry | undefined;
  /** The topic called `name`, if any. */
  topic(name: string): TopicEntry | undefined;
}

/**
 * The agent's methods and topics by name, each checked against a contract
 * (common/agent/agent-contract.ts; the user agent's by default). Each feature registers its own in
 * its own file (`registerGpuMethods(registry, …)`), so adding one touches nothing else. The
 * compiler holds a handler to its contract entry — params as parsed, return type as the result
 * schema accepts — and dispatch parses params with the entry's schema before the handler runs, so
 * handlers never see unvalidated input.
 */
export class AgentRegistry<C extends AgentContract = UserAgentContract> implements RegistryLookup {
  private readonly methods = new Map<string, MethodEntry>();
  private readonly topics = new Map<string, TopicEntry>();

  /** A registry for `contract`; another entry (the privileged helper) passes its own. */
  constructor(readonly contract: C = agentContract as AgentContract as C) {}

  /** Adds the handler of contract method `name`; a second one for a name is a programming error. */
  handle<M extends MethodName<C>>(
    name: M,
    handler: MethodHandler<MethodParams<C, M>, MethodResultInput<C, M>>,
  ): void {
    const spec = methodSpec(this.contract, name);
    if (spec === undefined) throw new Error(`Agent method ${name} is not in the contract.`);
    if (this.methods.has(name)) throw new Error(`Agent method ${name} is registered twice.`);
    this.methods.set(name, { spec, handler: handler as MethodHandler<unknown> });
  }

  /** Adds contract topic `name`; wrap `start` in `sharedTopic` when subscribers share a source. */
  publish<T extends TopicName<C>>(
    name: T,
    start: TopicStart<TopicParams<C, T>, TopicEventInput<C, T>>,
  ): void {
    const spec = topicSpec(this.contract, name);
    if (spec === undefined) throw new Error(`Agent topic ${name} is not in the contract.`);
    if (this.topics.has(name)) throw new Error(`Agent topic ${name} is registered twice.`);
    this.topics.set(name, { spec, start: start as TopicStart<unknown> });
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
