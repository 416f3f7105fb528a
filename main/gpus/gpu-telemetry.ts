import { z } from 'zod';
import type { GpuTick } from '../../common/gpu/gpu-sample';
import { GPU_TOPIC_TELEMETRY, gpuSampleSchema } from '../../common/gpu/gpu-sample';
import type { AgentClient } from '../agent/agent-client';
import type { TopicCleanup, TopicSink } from '../bridge/handlers';
import { sharedTopic } from '../bridge/shared-topic';

/** Telemetry period: one sample per second, as the cards' charts expect. */
export const TELEMETRY_INTERVAL_MS = 1_000;

const tickSchema = z.object({ at: z.number(), gpus: z.array(gpuSampleSchema) });

/** What the telemetry topic needs from the rest of the services. */
export interface GpuTelemetryDeps {
  /** The host's id for an id or a name, so every tick carries the id whatever was typed. */
  readonly resolveHostId: (idOrName: string) => Promise<string>;
  readonly agentOf: (hostId: string) => Promise<AgentClient>;
}

/**
 * The `gpus:telemetry` topic: every subscriber of a host shares the agent's one telemetry
 * subscription, so the host runs one `nvidia-smi -lms` while anyone listens and stops it when the
 * last subscriber leaves, unsubscribes or goes away. A lost agent ends every subscriber.
 */
export function gpuTelemetryTopic(
  deps: GpuTelemetryDeps,
): (params: { readonly id: string }, sink: TopicSink<GpuTick>) => Promise<TopicCleanup> {
  return sharedTopic<{ readonly id: string }, GpuTick>({
    key: ({ id }) => deps.resolveHostId(id),
    start: async (hostId, _params, sink) => {
      const agent = await deps.agentOf(hostId);
      return agent.subscribe(
        GPU_TOPIC_TELEMETRY,
        { intervalMs: TELEMETRY_INTERVAL_MS },
        (data) => {
          const tick = tickSchema.safeParse(data);
          if (tick.success) sink.emit({ hostId, ...tick.data });
        },
        (error) => sink.end(error),
      );
    },
  });
}
