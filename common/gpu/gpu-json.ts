import type { Gpu, GpuContainer, MigMode } from './gpu';
import { shareText, type GpuAvailability } from './gpu-availability';
import type { LabGpuRow } from './lab-gpus';

/*
 * The CLI's --json shape of a GPU, apart from the schemas in gpu.ts so that printing it loads no
 * zod: `labdeck gpus --json` through a running LabDeck imports only this.
 */

/** One process in the CLI's `--json` output. */
export interface GpuProcessJson {
  readonly pid: number;
  readonly usedMemoryMiB: number | null;
  readonly container: GpuContainer | null;
  readonly user: string | null;
  /** The process's real uid: who it is when `user` is null (no name on the host). */
  readonly uid: number | null;
}

/** One GPU in the CLI's `--json` output: a stable subset of {@link Gpu}, for scripts. */
export interface GpuJson {
  readonly index: number;
  readonly uuid: string;
  readonly name: string;
  readonly memoryTotalMiB: number | null;
  readonly memoryUsedMiB: number | null;
  readonly utilizationPct: number | null;
  readonly temperatureC: number | null;
  readonly powerW: number | null;
  readonly migMode: MigMode;
  readonly processes: readonly GpuProcessJson[];
}

/**
 * The CLI's stable `--json` object for one GPU: exactly these keys, in this order, null where the
 * GPU does not say. Built key by key so that a field added to {@link Gpu} never leaks into scripts.
 */
export function gpuJson(gpu: Gpu): GpuJson {
  return {
    index: gpu.index,
    uuid: gpu.uuid,
    name: gpu.name,
    memoryTotalMiB: gpu.memoryTotalMiB,
    memoryUsedMiB: gpu.memoryUsedMiB,
    utilizationPct: gpu.utilizationPct,
    temperatureC: gpu.temperatureC,
    powerW: gpu.powerW,
    migMode: gpu.migMode,
    processes: gpu.processes.map((process) => ({
      pid: process.pid,
      usedMemoryMiB: process.usedMemoryMiB,
      container:
        process.container === null
          ? null
          : { id: process.container.id, name: process.container.name },
      user: process.user,
      uid: process.uid ?? null,
    })),
  };
}

/** One row of `labdeck gpus --all --json`: the GPU's object with its host and availability. */
export interface LabGpuJson extends GpuJson {
  readonly hostId: string;
  readonly host: string;
  /** `free`, `in-use` (processes listed) or `busy-unseen` (busy, no visible process). */
  readonly availability: GpuAvailability['kind'];
  /** The share of the GPU nobody uses, as a decimal string ("0.6"); null when unknown. */
  readonly freeShare: string | null;
}

/**
 * The stable `--all --json` object of a lab-wide row: `hostId` and `host` first, then exactly
 * {@link gpuJson}'s keys with the row's live measures, then `availability` and `freeShare`.
 */
export function labGpuJson(row: LabGpuRow): LabGpuJson {
  return {
    hostId: row.hostId,
    host: row.hostName,
    ...gpuJson(row.gpu),
    memoryUsedMiB: row.memoryUsedMiB,
    utilizationPct: row.utilizationPct,
    temperatureC: row.temperatureC,
    powerW: row.powerW,
    availability: row.availability.kind,
    freeShare: row.freeTenths === null ? null : shareText(row.freeTenths),
  };
}
