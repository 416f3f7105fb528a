import type { Gpu, GpuInventory } from './gpu';
import {
  availabilityText,
  freeShareTenths,
  gpuAvailability,
  type GpuAvailability,
} from './gpu-availability';
import type { GpuSample } from './gpu-sample';

/**
 * The lab-wide GPU table: every GPU of every host in one row, as the Hosts page and
 * `labdeck gpus --all` show it, sortable by any column. Pure: the window and the CLI build the
 * same rows from the same inventories and telemetry.
 */

/** One GPU of one host, with its newest measures and how available it is. */
export interface LabGpuRow {
  readonly hostId: string;
  readonly hostName: string;
  readonly gpu: Gpu;
  readonly memoryUsedMiB: number | null;
  readonly utilizationPct: number | null;
  readonly temperatureC: number | null;
  readonly powerW: number | null;
  readonly availability: GpuAvailability;
  /** Who uses it, in one line ("free", "busy, no visible process", "ana (ana-train)"). */
  readonly usedBy: string;
  /** Free share in tenths of a GPU; null where the memory is not known. */
  readonly freeTenths: number | null;
}

/** What the table knows of one host: its list, and the newest telemetry sample by GPU UUID. */
export interface LabHostGpus {
  readonly hostId: string;
  readonly hostName: string;
  readonly inventory: GpuInventory;
  readonly latest?: (uuid: string) => GpuSample | null;
}

/** The rows of every host's GPUs, live measures from telemetry where there are any. */
export function labGpuRows(hosts: readonly LabHostGpus[]): LabGpuRow[] {
  return hosts.flatMap(({ hostId, hostName, inventory, latest }) =>
    inventory.gpus.map((gpu): LabGpuRow => {
      const live = latest?.(gpu.uuid) ?? gpu;
      const availability = gpuAvailability(gpu.processes, live);
      return {
        hostId,
        hostName,
        gpu,
        memoryUsedMiB: live.memoryUsedMiB,
        utilizationPct: live.utilizationPct,
        temperatureC: live.temperatureC,
        powerW: live.powerW,
        availability,
        usedBy: availabilityText(availability),
        freeTenths: freeShareTenths(availability, live.memoryUsedMiB, gpu.memoryTotalMiB),
      };
    }),
  );
}

/** The columns the table sorts by. */
export const LAB_GPU_SORT_KEYS = [
  'host',
  'model',
  'memory',
  'utilization',
  'temperature',
  'usedBy',
  'free',
] as const;
export type LabGpuSortKey = (typeof LAB_GPU_SORT_KEYS)[number];

/** Which way a column sorts. */
export type SortDirection = 'ascending' | 'descending';

/** A column's natural first direction: the most free first, the busiest and hottest first. */
export function defaultDirection(key: LabGpuSortKey): SortDirection {
  return key === 'host' || key === 'model' || key === 'usedBy' ? 'ascending' : 'descending';
}

type SortValue = string | number | null;

function sortValue(row: LabGpuRow, key: LabGpuSortKey): SortValue {
  switch (key) {
    case 'host':
      return row.hostName;
    case 'model':
      return row.gpu.name;
    case 'memory':
      return row.memoryUsedMiB;
    case 'utilization':
      return row.utilizationPct;
    case 'temperature':
      return row.temperatureC;
    case 'usedBy':
      return row.usedBy;
    case 'free':
      return row.freeTenths;
  }
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Rows in one host's order: by host name, then GPU index. */
function byHostAndIndex(a: LabGpuRow, b: LabGpuRow): number {
  return collator.compare(a.hostName, b.hostName) || a.gpu.index - b.gpu.index;
}

/**
 * The rows sorted by one column, ties in host and GPU order; unknown values (null) go last in
 * either direction, so "most free first" never starts with GPUs that do not say.
 */
export function sortLabGpuRows(
  rows: readonly LabGpuRow[],
  key: LabGpuSortKey,
  direction: SortDirection = defaultDirection(key),
): LabGpuRow[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const [x, y] = [sortValue(a, key), sortValue(b, key)];
    if (x === null || y === null) {
      return x === y ? byHostAndIndex(a, b) : x === null ? 1 : -1;
    }
    const order =
      typeof x === 'number' && typeof y === 'number'
        ? x - y
        : collator.compare(String(x), String(y));
    return sign * order || byHostAndIndex(a, b);
  });
}
