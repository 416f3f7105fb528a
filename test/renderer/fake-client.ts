import type { Client } from '../../common/contract/client';
import type {
  EventName,
  EventPayload,
  RequestInput,
  RequestName,
  RequestOutput,
  TopicEvent,
  TopicName,
  TopicParams,
} from '../../common/contract/contract';
import type { TopicListener } from '../../common/contract/client';
import type { AppError, Result } from '../../common/contract/result';

interface TopicSubscription {
  readonly topic: TopicName;
  readonly params: unknown;
  readonly listener: TopicListener<TopicName>;
}

type Answer<K extends RequestName> = (input: RequestInput<K>) => Promise<Result<RequestOutput<K>>>;

/** A request the fake client received. */
export interface RecordedRequest {
  readonly channel: RequestName;
  readonly input: unknown;
}

/**
 * A {@link Client} for store tests: answers each request with the handler given for its channel
 * (an unanswered channel fails loudly), records every request, and lets the test push events.
 */
export class FakeClient implements Client {
  readonly requests: RecordedRequest[] = [];
  private readonly answers = new Map<RequestName, (input: unknown) => Promise<Result<unknown>>>();
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly topicListeners = new Set<TopicSubscription>();

  /** Sets how `channel` is answered from now on. */
  answer<K extends RequestName>(channel: K, answer: Answer<K>): this {
    this.answers.set(channel, answer as (input: unknown) => Promise<Result<unknown>>);
    return this;
  }

  /** Answers `channel` with success and `value`. */
  succeed<K extends RequestName>(channel: K, value: RequestOutput<K>): this {
    return this.answer(channel, async () => ({ ok: true, value }));
  }

  /** Answers `channel` with `error`. */
  fail(channel: RequestName, error: AppError): this {
    return this.answer(channel, async () => ({ ok: false, error }));
  }

  request<K extends RequestName>(
    channel: K,
    input: RequestInput<K>,
  ): Promise<Result<RequestOutput<K>>> {
    this.requests.push({ channel, input });
    const answer = this.answers.get(channel);
    if (!answer) throw new Error(`FakeClient: no answer for ${channel}`);
    return answer(input) as Promise<Result<RequestOutput<K>>>;
  }

  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    const untyped = listener as (payload: unknown) => void;
    set.add(untyped);
    return () => set.delete(untyped);
  }

  /** Pushes an event to current subscribers, as the services would. */
  emit<K extends EventName>(event: K, payload: EventPayload<K>): void {
    for (const listener of this.listeners.get(event) ?? []) listener(payload);
  }

  /** How many listeners `event` has: lets tests check that unsubscribing works. */
  listenerCount(event: EventName): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  listen<K extends TopicName>(
    topic: K,
    params: TopicParams<K>,
    listener: TopicListener<K>,
  ): () => void {
    const subscription: TopicSubscription = {
      topic,
      params,
      listener: listener as unknown as TopicListener<TopicName>,
    };
    this.topicListeners.add(subscription);
    return () => this.topicListeners.delete(subscription);
  }

  /** The topic subscriptions open now, as `topic` and params: what the services would hold. */
  subscriptions(): { topic: TopicName; params: unknown }[] {
    return [...this.topicListeners].map(({ topic, params }) => ({ topic, params }));
  }

  /** Sends a topic event to the subscriptions of `topic` whose params equal `params`. */
  publish<K extends TopicName>(topic: K, params: TopicParams<K>, event: TopicEvent<K>): void {
    for (const s of this.matching(topic, params)) s.listener.event(event);
  }

  /** Ends the matching subscriptions from the services' side, as a failed start would. */
  endTopic<K extends TopicName>(topic: K, params: TopicParams<K>, error?: AppError): void {
    for (const s of this.matching(topic, params)) {
      this.topicListeners.delete(s);
      s.listener.end?.(error);
    }
  }

  private matching(topic: TopicName, params: unknown): TopicSubscription[] {
    const key = JSON.stringify(params);
    return [...this.topicListeners].filter(
      (s) => s.topic === topic && JSON.stringify(s.params) === key,
    );
  }

  openStream(): never {
    throw new Error('FakeClient: streams are not used by these stores');
  }
}

/** A promise with its resolve function exposed, to hold a request in flight. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
