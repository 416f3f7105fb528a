import type { GpuProcess } from './gpu';

/**
 * Whether a GPU can be had, as far as the host lets LabDeck see: the question a researcher asks
 * of the lab-wide table (`gpustat` across hosts). Shared by the window and the CLI so they never
 * disagree on what "free" means.
 */

/** Utilization at or above this with no process listed is someone else's work, not noise. */
export const BUSY_UTILIZATION_PCT = 5;

/**
 * Memory used above this with no process listed is held by a process LabDeck cannot see (another
 * PID namespace, another user under `hidepid`); below it is the driver's and a display's own.
 */
export const BUSY_MEMORY_MIB = 1024;

/** Free share is counted in tenths of a GPU: integers in logic, a decimal string at the edge. */
export const SHARE_TENTHS_PER_GPU = 10;

/** How available a GPU is now. */
export type GpuAvailability =
  /** No process and idle. */
  | { readonly kind: 'free' }
  /** Processes LabDeck can see hold it. */
  | { readonly kind: 'in-use'; readonly processes: readonly GpuProcess[] }
  /** Busy (utilization or memory) with no visible process: another container, user or host view. */
  | { readonly kind: 'busy-unseen' };

/** The measures availability is judged by: live ones from telemetry where there are any. */
export interface GpuLoad {
  readonly utilizationPct: number | null;
  readonly memoryUsedMiB: number | null;
}

/** How available a GPU with these processes and this load is. */
export function gpuAvailability(processes: readonly GpuProcess[], load: GpuLoad): GpuAvailability {
  if (processes.length > 0) return { kind: 'in-use', processes };
  const busy =
    (load.utilizationPct ?? 0) >= BUSY_UTILIZATION_PCT ||
    (load.memoryUsedMiB ?? 0) > BUSY_MEMORY_MIB;
  return busy ? { kind: 'busy-unseen' } : { kind: 'free' };
}

/**
 * The share of the GPU nobody uses, in tenths (0–10): all of a free GPU, none of one that is busy
 * with no visible process (its compute is taken), else the free memory rounded down to a tenth.
 * Null when the memory is not known.
 */
export function freeShareTenths(
  availability: GpuAvailability,
  memoryUsedMiB: number | null,
  memoryTotalMiB: number | null,
): number | null {
  switch (availability.kind) {
    case 'free':
      return SHARE_TENTHS_PER_GPU;
    case 'busy-unseen':
      return 0;
    case 'in-use': {
      if (memoryUsedMiB === null || memoryTotalMiB === null || memoryTotalMiB <= 0) return null;
      const free = Math.max(0, memoryTotalMiB - memoryUsedMiB);
      return Math.floor((free * SHARE_TENTHS_PER_GPU) / memoryTotalMiB);
    }
  }
}

/** A share in tenths as people and scripts read it: `"0.6"`, `"1.0"`. */
export function shareText(tenths: number): string {
  return `${Math.trunc(tenths / SHARE_TENTHS_PER_GPU)}.${tenths % SHARE_TENTHS_PER_GPU}`;
}

/** Who runs a process: the user name, else `uid 1234`, else "unknown user". */
export function processOwnerText(process: GpuProcess): string {
  if (process.user !== null) return process.user;
  return process.uid === null || process.uid === undefined
    ? 'unknown user'
    : `uid ${process.uid} (no name)`;
}

/** Docker's display length of a container id. */
export const SHORT_CONTAINER_ID_LENGTH = 12;

/** Where a process runs: its container's name, a short id while the name is unknown, or null. */
export function processContainerText(process: GpuProcess): string | null {
  if (process.container === null) return null;
  return process.container.name ?? process.container.id.slice(0, SHORT_CONTAINER_ID_LENGTH);
}

/** The label of a GPU nobody visible uses but something keeps busy. */
export const BUSY_UNSEEN_TEXT = 'busy, no visible process';

/** One line for a table cell: "free", "busy, no visible process", or "ana (ana-train), bob". */
export function availabilityText(availability: GpuAvailability): string {
  switch (availability.kind) {
    case 'free':
      return 'free';
    case 'busy-unseen':
      return BUSY_UNSEEN_TEXT;
    case 'in-use': {
      const holders = availability.processes.map((p) => {
        const container = processContainerText(p);
        return container === null ? processOwnerText(p) : `${processOwnerText(p)} (${container})`;
      });
      return [...new Set(holders)].join(', ');
    }
  }
}
