import { GPU_HISTORY_SECONDS, type GpuSample } from '../../../../common/gpu/gpu-sample';

/** The span the charts cover, in ms: the last {@link GPU_HISTORY_SECONDS} seconds. */
export const GPU_HISTORY_MS = GPU_HISTORY_SECONDS * 1000;

/**
 * Room for twice the window at 1 Hz: ticks that come faster than promised still fit, and the
 * memory used is fixed however long the window stays open.
 */
export const TELEMETRY_RING_CAPACITY = GPU_HISTORY_SECONDS * 2;

/** The measures a GPU's charts draw. */
export type TelemetryField = 'utilizationPct' | 'memoryUsedMiB';

/** One point of a chart; a null value is a gap (the GPU did not say). */
export interface TelemetryPoint {
  readonly at: number;
  readonly value: number | null;
}

/**
 * The last few minutes of one GPU's telemetry in fixed typed arrays: pushing a tick allocates
 * nothing, and points older than {@link GPU_HISTORY_MS} before the newest drop out. Ticks are
 * kept in time order; a tick not newer than the last one is refused (a late duplicate).
 */
export class TelemetryRing {
  private readonly at: Float64Array;
  private readonly utilization: Float64Array;
  private readonly memory: Float64Array;
  private start = 0;
  private count = 0;
  private newest: GpuSample | null = null;

  constructor(
    private readonly capacity = TELEMETRY_RING_CAPACITY,
    private readonly windowMs = GPU_HISTORY_MS,
  ) {
    this.at = new Float64Array(capacity);
    this.utilization = new Float64Array(capacity);
    this.memory = new Float64Array(capacity);
  }

  /** How many points the window holds now. */
  get size(): number {
    return this.count;
  }

  /** Time of the newest point (ms since the epoch), or null when empty. */
  get latestAt(): number | null {
    return this.count === 0 ? null : (this.at[this.slot(this.count - 1)] ?? null);
  }

  /** The newest tick's whole sample (temperature and power too), or null before the first. */
  get latestSample(): GpuSample | null {
    return this.newest;
  }

  /** Records one tick of this GPU; returns false when it is older than the newest point. */
  push(at: number, sample: GpuSample): boolean {
    const latest = this.latestAt;
    if (latest !== null && at <= latest) return false;
    this.newest = sample;
    if (this.count === this.capacity) this.dropOldest();
    const slot = this.slot(this.count);
    this.at[slot] = at;
    this.utilization[slot] = sample.utilizationPct ?? Number.NaN;
    this.memory[slot] = sample.memoryUsedMiB ?? Number.NaN;
    this.count += 1;
    while (this.count > 0 && (this.at[this.start] ?? at) <= at - this.windowMs) this.dropOldest();
    return true;
  }

  /** The points of one measure, oldest first; nulls where the GPU did not say. */
  points(field: TelemetryField): TelemetryPoint[] {
    const values = field === 'utilizationPct' ? this.utilization : this.memory;
    const points: TelemetryPoint[] = [];
    for (let i = 0; i < this.count; i++) {
      const slot = this.slot(i);
      const value = values[slot] ?? Number.NaN;
      points.push({ at: this.at[slot] ?? 0, value: Number.isNaN(value) ? null : value });
    }
    return points;
  }

  /** The newest value of one measure, or null when empty or unknown. */
  latest(field: TelemetryField): number | null {
    if (this.count === 0) return null;
    const values = field === 'utilizationPct' ? this.utilization : this.memory;
    const value = values[this.slot(this.count - 1)] ?? Number.NaN;
    return Number.isNaN(value) ? null : value;
  }

  private slot(offset: number): number {
    return (this.start + offset) % this.capacity;
  }

  private dropOldest(): void {
    this.start = (this.start + 1) % this.capacity;
    this.count -= 1;
  }
}
