import type { GpuTick } from '../../common/gpu/gpu-sample';
import type { TopicCleanup, TopicSink } from '../bridge/handlers';
import { sharedTopic } from '../bridge/shared-topic';
import type { Host } from '../hosts/host';

/** Telemetry period: one sample per second, as the cards' charts expect. */
export const TELEMETRY_INTERVAL_MS = 1_000;

/** What the telemetry topic needs from the rest of the services. */
export interface GpuTelemetryDeps {
  /** Resolves what was typed (an id or a name) to the host, once per subscription. */
  readonly hosts: { get(idOrName: string): Promise<Host> };
}

/**
 * The `gpus:telemetry` topic: every subscriber of a host shares the agent's one telemetry
 * subscription, so the host runs one `nvidia-smi -lms` while anyone listens and stops it when the
 * last subscriber leaves, unsubscribes or goes away. A lost agent ends every subscriber.
 */
export function gpuTelemetryTopic(
  deps: GpuTelemetryDeps,
): (params: { readonly hostId: string }, sink: TopicSink<GpuTick>) => Promise<TopicCleanup> {
  return sharedTopic<{ readonly hostId: string }, GpuTick>({
    // Keyed by the host's id, so every tick carries the id whatever was typed.
    key: async ({ hostId }) => (await deps.hosts.get(hostId)).id,
    start: async (hostId, _params, sink) => {
      const agent = await (await deps.hosts.get(hostId)).agent();
      // Ticks arrive parsed with the agent contract's schema; a malformed one ends the topic.
      return agent.subscribe(
        'gpu.telemetry',
        { intervalMs: TELEMETRY_INTERVAL_MS },
        (tick) => sink.emit({ hostId, at: tick.at, gpus: [...tick.gpus] }),
        (error) => sink.end(error),
      );
    },
  });
}
