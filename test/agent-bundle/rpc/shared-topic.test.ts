import { describe, expect, it, vi } from 'vitest';
import type { TopicSink } from '../../../agent-bundle/rpc/agent-registry';
import { sharedTopic } from '../../../agent-bundle/rpc/shared-topic';

/** A subscriber's sink that records what it gets. */
function subscriber(): TopicSink<number> & { events: number[]; ends: unknown[] } {
  const events: number[] = [];
  const ends: unknown[] = [];
  return { events, ends, emit: (data) => events.push(data), end: (error) => ends.push(error) };
}

/** A source whose sink the test drives by hand, counting starts and stops. */
function manualSource() {
  const sinks: TopicSink<number>[] = [];
  const stop = vi.fn();
  const start = vi.fn((_params: { key: string }, sink: TopicSink<number>) => {
    sinks.push(sink);
    return stop;
  });
  return { sinks, start, stop, latest: () => sinks.at(-1)! };
}

const signal = new AbortController().signal;

describe('sharedTopic', () => {
  it('starts one source for many subscribers and fans its events out to all', () => {
    const source = manualSource();
    const topic = sharedTopic({ start: source.start });
    const a = subscriber();
    const b = subscriber();
    topic({ key: 'x' }, a, signal);
    topic({ key: 'x' }, b, signal);
    source.latest().emit(1);
    expect(source.start).toHaveBeenCalledTimes(1);
    expect(a.events).toEqual([1]);
    expect(b.events).toEqual([1]);
  });

  it('stops the source when the last subscriber leaves, and restarts for the next', () => {
    const source = manualSource();
    const topic = sharedTopic({ start: source.start });
    const leaveA = topic({ key: 'x' }, subscriber(), signal) as () => void;
    const b = subscriber();
    const leaveB = topic({ key: 'x' }, b, signal) as () => void;
    leaveA();
    expect(source.stop).not.toHaveBeenCalled();
    source.latest().emit(2);
    expect(b.events).toEqual([2]);
    leaveB();
    expect(source.stop).toHaveBeenCalledTimes(1);
    topic({ key: 'x' }, subscriber(), signal);
    expect(source.start).toHaveBeenCalledTimes(2);
  });

  it('keeps one source per key', () => {
    const source = manualSource();
    const topic = sharedTopic({ start: source.start, key: (p) => p.key });
    const a = subscriber();
    const b = subscriber();
    const leaveA = topic({ key: 'a' }, a, signal) as () => void;
    topic({ key: 'b' }, b, signal);
    expect(source.start).toHaveBeenCalledTimes(2);
    source.sinks[0]!.emit(7);
    expect(a.events).toEqual([7]);
    expect(b.events).toEqual([]);
    leaveA();
    expect(source.stop).toHaveBeenCalledTimes(1);
  });

  it('ends every subscriber when the source ends itself; the next one starts afresh', () => {
    const source = manualSource();
    const topic = sharedTopic({ start: source.start });
    const a = subscriber();
    const b = subscriber();
    const leaveA = topic({ key: 'x' }, a, signal) as () => void;
    topic({ key: 'x' }, b, signal);
    const error = { code: 'gpu-telemetry-died', message: 'nvidia-smi exited' };
    source.latest().end(error);
    expect(a.ends).toEqual([error]);
    expect(b.ends).toEqual([error]);
    expect(source.stop).toHaveBeenCalledTimes(1);
    source.sinks[0]!.emit(1);
    expect(a.events).toEqual([]);
    leaveA();
    expect(source.stop).toHaveBeenCalledTimes(1);
    topic({ key: 'x' }, subscriber(), signal);
    expect(source.start).toHaveBeenCalledTimes(2);
  });

  it('replays the latest event to a newcomer when asked to', () => {
    const source = manualSource();
    const topic = sharedTopic({ start: source.start, replayLatest: true });
    topic({ key: 'x' }, subscriber(), signal);
    source.latest().emit(5);
    const late = subscriber();
    topic({ key: 'x' }, late, signal);
    expect(late.events).toEqual([5]);
  });

  it('forgets a source whose start throws, so the next subscriber tries again', () => {
    const start = vi.fn((): undefined => {
      throw new Error('no nvidia-smi');
    });
    const topic = sharedTopic<{ key: string }, number>({ start });
    expect(() => topic({ key: 'x' }, subscriber(), signal)).toThrow('no nvidia-smi');
    expect(() => topic({ key: 'x' }, subscriber(), signal)).toThrow('no nvidia-smi');
    expect(start).toHaveBeenCalledTimes(2);
  });
});
