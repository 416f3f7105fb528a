import { randomUUID } from 'node:crypto';
import { GPU_TOPIC_TELEMETRY, gpuSampleSchema } from '../../common/gpu/gpu-sample';
import { z } from 'zod';
import type { AgentClient } from '../agent/agent-client';
import type { EventHub } from '../bridge/event-hub';

/** Telemetry period: one sample per second, as the cards' charts expect. */
export const TELEMETRY_INTERVAL_MS = 1_000;

const tickSchema = z.object({ at: z.number(), gpus: z.array(gpuSampleSchema) });

interface HostFeed {
  readonly watchers: Set<string>;
  stop: (() => void) | undefined;
}

/**
 * Fans a host's one telemetry subscription out to every window that watches it: the agent runs
 * one `nvidia-smi -lms` per host while anyone watches and stops it when the last watcher leaves.
 */
export class GpuWatch {
  private readonly feeds = new Map<string, HostFeed>();
  private readonly hostOf = new Map<string, string>();

  constructor(
    private readonly events: EventHub,
    private readonly agentOf: (hostId: string) => Promise<AgentClient>,
  ) {}

  /** Starts or joins the host's telemetry; returns the id to unwatch with. */
  async watch(hostId: string): Promise<string> {
    const watchId = randomUUID();
    let feed = this.feeds.get(hostId);
    if (!feed) {
      feed = { watchers: new Set(), stop: undefined };
      this.feeds.set(hostId, feed);
      try {
        const agent = await this.agentOf(hostId);
        feed.stop = agent.subscribe(
          GPU_TOPIC_TELEMETRY,
          { intervalMs: TELEMETRY_INTERVAL_MS },
          (data) => {
            const tick = tickSchema.safeParse(data);
            if (tick.success) this.events.emit('gpu:sampled', { hostId, ...tick.data });
          },
          () => this.feeds.delete(hostId),
        );
      } catch (error) {
        this.feeds.delete(hostId);
        throw error;
      }
    }
    feed.watchers.add(watchId);
    this.hostOf.set(watchId, hostId);
    return watchId;
  }

  /** Leaves; the last watcher of a host stops its telemetry. Unknown ids are ignored. */
  unwatch(watchId: string): void {
    const hostId = this.hostOf.get(watchId);
    this.hostOf.delete(watchId);
    const feed = hostId === undefined ? undefined : this.feeds.get(hostId);
    if (!feed || hostId === undefined) return;
    feed.watchers.delete(watchId);
    if (feed.watchers.size > 0) return;
    this.feeds.delete(hostId);
    feed.stop?.();
  }

  /** Stops every feed (on quit). */
  dispose(): void {
    for (const feed of this.feeds.values()) feed.stop?.();
    this.feeds.clear();
    this.hostOf.clear();
  }
}
