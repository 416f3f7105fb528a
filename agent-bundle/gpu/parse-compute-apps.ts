import { fail, ok, type Result } from '../../common/contract/result';
import { COMPUTE_APPS_FIELDS, computeAppsArgv } from './nvidia-smi-query';
import { NO_DEVICES_PATTERN, unreadableOutput, withGuess } from './classify-driver-failure';
import {
  columnCountProblem,
  CsvRecord,
  isGpuUuid,
  type LineResult,
  splitCsvLine,
} from './parse-gpu-csv';

/** One process holding memory on a GPU, before `/proc` tells its container and user. */
export interface ComputeApp {
  /**
   * UUID of the physical GPU. On a MIG GPU nvidia-smi gives the parent GPU's UUID, not the MIG
   * device's (see query-compute-apps-csv-h100-mig.txt), so a process cannot be placed on a slice.
   */
  readonly gpuUuid: string;
  readonly pid: number;
  /** Null where the driver cannot say: Windows WDDM prints `[N/A]` for every process. */
  readonly usedMemoryMiB: number | null;
  readonly processName: string | null;
}

/** Error code for `--query-compute-apps` output in a shape LabDeck did not ask for. */
export const APPS_UNREADABLE = 'gpu-apps-unreadable';

/**
 * Parses one line of LabDeck's compute-apps query. `process_name` is the last column and takes
 * the rest of the line, because nvidia-smi does not quote a name that holds commas.
 */
export function parseComputeAppLine(line: string): LineResult<ComputeApp> {
  const fields = splitCsvLine(line, COMPUTE_APPS_FIELDS.length);
  const record = new CsvRecord(fields, COMPUTE_APPS_FIELDS);
  const app: ComputeApp = {
    gpuUuid: record.required(0, 'a GPU UUID (GPU-…)', isGpuUuid) ?? '',
    pid: record.wholeNumber(1, 'a process id', true) ?? 0,
    usedMemoryMiB: record.wholeNumber(2, 'a whole number of MiB'),
    processName: record.text(3),
  };
  if (record.problem === null && fields.length === COMPUTE_APPS_FIELDS.length) {
    return { ok: true, value: app };
  }
  // A line with other columns fails on its first three; the full count says more than the field.
  const count = columnCountProblem(splitCsvLine(line), COMPUTE_APPS_FIELDS);
  return { ok: false, problem: withGuess(count ?? record.problem ?? 'unreadable line', line) };
}

/**
 * Parses the whole output of LabDeck's `--query-compute-apps` (see `computeAppsArgv`). No output
 * means no process holds a GPU. Any other shape is refused, never misread.
 */
export function parseComputeApps(text: string): Result<readonly ComputeApp[]> {
  if (NO_DEVICES_PATTERN.test(text)) return ok([]);
  const apps: ComputeApp[] = [];
  for (const [at, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === '') continue;
    const parsed = parseComputeAppLine(line);
    if (!parsed.ok) {
      return fail(unreadableOutput(APPS_UNREADABLE, computeAppsArgv(), at + 1, parsed.problem));
    }
    apps.push(parsed.value);
  }
  return ok(apps);
}
