import type { AppError } from '../../common/contract/result';
import type { TopicCleanup, TopicSink, TopicStart } from './agent-registry';

/** How a shared topic starts its one source and tells subscribers with different params apart. */
export interface SharedTopicOptions<P, D> {
  /**
   * Starts the source when the first subscriber (for this key) arrives; whatever it emits goes to
   * every subscriber. Returns how to stop it, which runs when the last subscriber leaves or the
   * source ends itself.
   */
  readonly start: (params: P, sink: TopicSink<D>) => TopicCleanup | void;
  /** Subscribers with equal keys share a source; default: one source for everyone. */
  readonly key?: (params: P) => string;
  /** Send a newcomer the source's latest event at once, so it need not wait for the next one. */
  readonly replayLatest?: boolean;
}

interface Source<D> {
  readonly subscribers: Set<TopicSink<D>>;
  stop: TopicCleanup | void;
  latest?: { readonly data: D };
  ended: boolean;
}

const SINGLE_KEY = '';

/**
 * Turns a per-subscriber topic into one shared source per key: started by the first subscriber,
 * stopped when the last leaves, its events fanned out to all. This is how one `nvidia-smi` process
 * per host serves every window watching its GPUs. A source that ends itself ends every
 * subscriber; the next subscriber starts a fresh one.
 */
export function sharedTopic<P, D>(options: SharedTopicOptions<P, D>): TopicStart<P, D> {
  const sources = new Map<string, Source<D>>();

  const stopSource = (key: string, source: Source<D>): void => {
    if (sources.get(key) === source) sources.delete(key);
    source.ended = true;
    source.stop?.();
  };

  return (params, sink) => {
    const key = options.key?.(params) ?? SINGLE_KEY;
    let source = sources.get(key);
    if (source === undefined) {
      const fresh: Source<D> = { subscribers: new Set([sink]), stop: undefined, ended: false };
      sources.set(key, fresh);
      source = fresh;
      const fanOut: TopicSink<D> = {
        emit: (data) => {
          if (fresh.ended) return;
          if (options.replayLatest) fresh.latest = { data };
          for (const subscriber of [...fresh.subscribers]) subscriber.emit(data);
        },
        end: (error?: AppError) => {
          if (fresh.ended) return;
          stopSource(key, fresh);
          for (const subscriber of [...fresh.subscribers]) subscriber.end(error);
        },
      };
      try {
        fresh.stop = options.start(params, fanOut);
      } catch (error) {
        sources.delete(key);
        fresh.ended = true;
        throw error;
      }
      if (fresh.ended) fresh.stop?.();
    } else {
      source.subscribers.add(sink);
      if (source.latest !== undefined) sink.emit(source.latest.data);
    }
    const joined = source;
    return () => {
      joined.subscribers.delete(sink);
      if (joined.subscribers.size === 0 && !joined.ended) stopSource(key, joined);
    };
  };
}
