import type { GpuInventory } from '../../common/gpu/gpu';
import {
  assembleInventory,
  forgetMigLayout,
  type InventorySources,
  type ProcessSample,
  readStaticFacts,
  sampleProcesses,
  spawnInventory,
  type StaticGpuFacts,
} from './gpu-inventory';
import type { GpuRow } from './parse-gpu-csv';
import type { TelemetryTick } from './telemetry-lines';

/**
 * How many telemetry periods old a tick or a process sample may be and still be served. A tick
 * normally arrives every period; two periods without one means the loop is stuck (a hung driver,
 * a stopped process), and the inventory spawns nvidia-smi instead of showing old readings.
 */
export const MAX_WARM_AGE_PERIODS = 2;

/**
 * How long after an inventory request the telemetry loop keeps running `--query-compute-apps`
 * once per tick, so that the next request finds processes at most a tick old without spawning.
 * Nobody asking means no extra process at all: the loop alone stays one nvidia-smi (DESIGN.md §4).
 */
export const PROCESS_DEMAND_WINDOW_MS = 10_000;

/** What a running telemetry loop tells the warm inventory. */
export interface TelemetryLoopFeed {
  /** A complete tick of the loop's `nvidia-smi --query-gpu=… -lms` output. */
  tick(tick: TelemetryTick): void;
  /** The loop ended or was stopped; idempotent. */
  stop(): void;
}

interface Loop {
  readonly intervalMs: number;
  latest: TelemetryTick | null;
}

/**
 * `gpu.inventory` served without a spawn while telemetry runs: the loop's latest tick (memory
 * used, utilisation, temperature, power) over static facts read when the loop started (names,
 * UUIDs, memory total, MIG layout), with processes sampled at most once per tick while someone
 * asks. A tick older than {@link MAX_WARM_AGE_PERIODS} periods, no loop, or a GPU set that no
 * longer matches the facts: it spawns nvidia-smi as {@link spawnInventory} does, and keeps what
 * that read.
 */
export class WarmInventory {
  private readonly loops = new Set<Loop>();
  private facts: StaticGpuFacts | null = null;
  private factsRead: Promise<void> | null = null;
  private processes: ProcessSample | null = null;
  private processesRead: Promise<ProcessSample> | null = null;
  private askedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly sources: InventorySources,
    private readonly now: () => number = Date.now,
  ) {}

  /** A telemetry loop with period `intervalMs` starts: static facts are read afresh. */
  startLoop(intervalMs: number): TelemetryLoopFeed {
    const loop: Loop = { intervalMs, latest: null };
    this.loops.add(loop);
    this.refreshFacts();
    return {
      tick: (tick) => {
        if (!this.loops.has(loop)) return;
        loop.latest = tick;
        if (this.now() - this.askedAt <= PROCESS_DEMAND_WINDOW_MS) void this.readProcesses();
      },
      stop: () => void this.loops.delete(loop),
    };
  }

  /** The host's GPUs, from the telemetry loop when its latest tick is fresh, else spawned. */
  async inventory(): Promise<GpuInventory> {
    this.askedAt = this.now();
    const fresh = this.freshTick();
    if (fresh === null) return this.spawn();
    if (this.factsRead !== null) await this.factsRead;
    const rows = this.facts === null ? null : measuredRows(this.facts, fresh.tick);
    if (this.facts === null || rows === null) return this.spawn();
    const sample =
      this.processes !== null && this.now() - this.processes.at <= fresh.maxAgeMs
        ? this.processes
        : await this.readProcesses();
    return assembleInventory(this.facts, rows, sample, new Date(fresh.tick.at).toISOString());
  }

  /** The newest tick of a running loop that is at most two of its periods old. */
  private freshTick(): { readonly tick: TelemetryTick; readonly maxAgeMs: number } | null {
    let best: { tick: TelemetryTick; maxAgeMs: number } | null = null;
    for (const { latest, intervalMs } of this.loops) {
      const maxAgeMs = MAX_WARM_AGE_PERIODS * intervalMs;
      if (latest === null || this.now() - latest.at > maxAgeMs) continue;
      if (best === null || latest.at > best.tick.at) best = { tick: latest, maxAgeMs };
    }
    return best;
  }

  private refreshFacts(): void {
    this.facts = null;
    forgetMigLayout(this.sources.nvidiaSmi);
    const read = readStaticFacts(this.sources).then((facts) => {
      if (this.factsRead === read) [this.facts, this.factsRead] = [facts, null];
    });
    this.factsRead = read;
  }

  /** One `--query-compute-apps`, shared by everyone who wants it while it runs. */
  private readProcesses(): Promise<ProcessSample> {
    this.processesRead ??= sampleProcesses(this.sources).then((sample) => {
      this.processes = sample;
      this.processesRead = null;
      return sample;
    });
    return this.processesRead;
  }

  private async spawn(): Promise<GpuInventory> {
    const spawned = await spawnInventory(this.sources);
    if (spawned.facts !== null && this.factsRead === null) this.facts = spawned.facts;
    if (this.processes === null || spawned.processes.at >= this.processes.at) {
      this.processes = spawned.processes;
    }
    return spawned.inventory;
  }
}

/**
 * The static rows with the tick's measurements, or null when the tick's GPUs (index and UUID, in
 * order) are not the facts' GPUs: one appeared or fell off, and the facts must be read again.
 */
function measuredRows(facts: StaticGpuFacts, tick: TelemetryTick): GpuRow[] | null {
  if (tick.gpus.length !== facts.rows.length) return null;
  const rows: GpuRow[] = [];
  for (const [at, row] of facts.rows.entries()) {
    const sample = tick.gpus[at];
    if (sample === undefined || sample.index !== row.index || sample.uuid !== row.uuid) return null;
    const { memoryUsedMiB, utilizationPct, temperatureC, powerW } = sample;
    rows.push({ ...row, memoryUsedMiB, utilizationPct, temperatureC, powerW });
  }
  return rows;
}
