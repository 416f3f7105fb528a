import type { AppError } from '../../common/contract/result';
import type { TopicCleanup, TopicSink } from './handlers';

/** How a shared topic starts its one source per key. */
export interface SharedTopicOptions<P, E> {
  /** Subscribers whose params have equal keys share one source (e.g. the resolved host id). */
  readonly key: (params: P) => string | Promise<string>;
  /**
   * Starts the source when the first subscriber for `key` arrives; whatever it emits goes to every
   * subscriber of that key. Returns how to stop it, which runs when the last subscriber leaves.
   * Rejecting refuses the subscribers waiting for this start.
   */
  readonly start: (key: string, params: P, sink: TopicSink<E>) => Promise<TopicCleanup>;
}

interface Source<E> {
  readonly subscribers: Set<TopicSink<E>>;
  readonly started: Promise<TopicCleanup>;
  ended: boolean;
}

/**
 * Turns a per-subscriber topic handler into one shared source per key, as the agent's
 * `sharedTopic` does (agent-bundle/rpc/shared-topic.ts) but with an asynchronous start: started by
 * the first subscriber, stopped when the last one leaves, its events fanned out to all. A source
 * that ends itself ends every subscriber; the next subscriber starts a fresh one. Each subscriber's
 * cleanup is what the bridge session runs when its client unsubscribes or goes away.
 */
export function sharedTopic<P, E>(
  options: SharedTopicOptions<P, E>,
): (params: P, sink: TopicSink<E>) => Promise<TopicCleanup> {
  const sources = new Map<string, Source<E>>();

  const stop = (key: string, source: Source<E>): void => {
    if (sources.get(key) === source) sources.delete(key);
    if (source.ended) return;
    source.ended = true;
    void source.started.then(
      (cleanup) => cleanup(),
      () => {},
    );
  };

  const create = (key: string, params: P): Source<E> => {
    const subscribers = new Set<TopicSink<E>>();
    const fanOut: TopicSink<E> = {
      emit: (event) => {
        if (source.ended) return;
        for (const subscriber of [...subscribers]) subscriber.emit(event);
      },
      end: (error?: AppError) => {
        if (source.ended) return;
        stop(key, source);
        for (const subscriber of [...subscribers]) subscriber.end(error);
      },
    };
    const source: Source<E> = {
      subscribers,
      started: Promise.resolve().then(() => options.start(key, params, fanOut)),
      ended: false,
    };
    return source;
  };

  return async (params, sink) => {
    const key = await options.key(params);
    let source = sources.get(key);
    if (source === undefined) {
      source = create(key, params);
      sources.set(key, source);
    }
    const joined = source;
    joined.subscribers.add(sink);
    try {
      await joined.started;
    } catch (error) {
      joined.subscribers.delete(sink);
      if (sources.get(key) === joined) sources.delete(key);
      joined.ended = true;
      throw error;
    }
    return () => {
      if (!joined.subscribers.delete(sink)) return;
      if (joined.subscribers.size === 0) stop(key, joined);
    };
  };
}
