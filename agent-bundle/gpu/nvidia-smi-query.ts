/**
 * The exact nvidia-smi command lines LabDeck runs (DESIGN.md §4). The parsers next to this file
 * read only the output of these argv arrays, and test/harness/fake-nvidia-smi.ts answers only them.
 */

/** The program, looked up on the host's PATH. */
export const NVIDIA_SMI = 'nvidia-smi';

/**
 * Columns of `--query-gpu`, in output order. `mig.mode.current` needs driver R450 or newer; older
 * drivers refuse the whole query (`Field "mig.mode.current" is not a valid field to query.`).
 */
export const GPU_QUERY_FIELDS = [
  'index',
  'uuid',
  'name',
  'pci.bus_id',
  'memory.total',
  'memory.used',
  'utilization.gpu',
  'temperature.gpu',
  'power.draw',
  'mig.mode.current',
] as const;

/** One column of {@link GPU_QUERY_FIELDS}. */
export type GpuQueryField = (typeof GPU_QUERY_FIELDS)[number];

/**
 * Columns of `--query-compute-apps`, in output order. `used_gpu_memory` is the name nvidia-smi
 * prints in its header (`used_memory` is only an alias; see `nvidia-smi --help-query-compute-apps`).
 * `process_name` comes last on purpose: nvidia-smi does not quote CSV fields, so a name that
 * contains commas can only be recovered as "the rest of the line".
 */
export const COMPUTE_APPS_FIELDS = ['gpu_uuid', 'pid', 'used_gpu_memory', 'process_name'] as const;

/** One column of {@link COMPUTE_APPS_FIELDS}. */
export type ComputeAppsField = (typeof COMPUTE_APPS_FIELDS)[number];

/** No header row, and bare numbers (`81559`, not `81559 MiB`), so every line is one record. */
export const CSV_FORMAT_ARG = '--format=csv,noheader,nounits';

/** Telemetry period: 1 Hz, the rate the GPU page refreshes at. */
export const TELEMETRY_INTERVAL_MS = 1000;

/** `nvidia-smi --query-gpu=<GPU_QUERY_FIELDS> --format=csv,noheader,nounits` (one line per GPU). */
export function gpuQueryArgv(): readonly string[] {
  return [`--query-gpu=${GPU_QUERY_FIELDS.join(',')}`, CSV_FORMAT_ARG];
}

/** `nvidia-smi -L`: GPUs with their MIG devices, which `--query-gpu` does not list. */
export function gpuListArgv(): readonly string[] {
  return ['-L'];
}

/** `nvidia-smi --query-compute-apps=<COMPUTE_APPS_FIELDS> --format=csv,noheader,nounits`. */
export function computeAppsArgv(): readonly string[] {
  return [`--query-compute-apps=${COMPUTE_APPS_FIELDS.join(',')}`, CSV_FORMAT_ARG];
}

/**
 * The long-running telemetry process: the GPU query repeated every `intervalMs` by nvidia-smi
 * itself (`-lms`), so a host costs one process rather than one spawn per tick.
 * @throws RangeError when `intervalMs` is not a positive whole number (a programming error).
 */
export function telemetryArgv(intervalMs: number = TELEMETRY_INTERVAL_MS): readonly string[] {
  if (!Number.isSafeInteger(intervalMs) || intervalMs <= 0) {
    throw new RangeError(
      `telemetry interval must be a positive whole number of ms, got ${intervalMs}`,
    );
  }
  return [...gpuQueryArgv(), '-lms', String(intervalMs)];
}
