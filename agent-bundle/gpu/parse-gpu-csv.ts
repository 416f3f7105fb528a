import { fail, ok, type Result } from '../../common/contract/result';
import { type Gpu, gpuSchema, type MigMode } from '../../common/gpu/gpu';
import { NO_DEVICES_PATTERN, unreadableOutput, withGuess } from './classify-driver-failure';
import { GPU_QUERY_FIELDS, gpuQueryArgv } from './nvidia-smi-query';

/** A GPU as `--query-gpu` describes it: all of {@link Gpu} but MIG devices (-L) and processes. */
export type GpuRow = Omit<Gpu, 'migDevices' | 'processes'>;

/** Error code for `--query-gpu` output in a shape LabDeck did not ask for. */
export const QUERY_UNREADABLE = 'gpu-query-unreadable';

/** The outcome of reading one line: the value, or what was wrong with it (without line number). */
export type LineResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

/**
 * nvidia-smi writes every "no value" in brackets: `[N/A]`, `[Not Supported]`, `[Insufficient
 * Permissions]`, `[Unknown Error]`, `[GPU is lost]`, `[Requested functionality has been
 * deprecated]`. Bare `N/A` and an empty field occur too (Windows, old drivers).
 */
const NOT_AVAILABLE = /^(?:\[[^\]]*\]|N\/A|)$/;
const WHOLE_NUMBER = /^\d+$/;
const DECIMAL_NUMBER = /^\d+(?:\.\d+)?$/;
const GPU_UUID = /^GPU-[0-9A-Fa-f-]{8,}$/;
const GPU_ROW_SCHEMA = gpuSchema.omit({ migDevices: true, processes: true });
const MIG_MODES: Readonly<Record<string, MigMode>> = { Enabled: 'enabled', Disabled: 'disabled' };

/**
 * Split one CSV record. Fields are trimmed (nvidia-smi separates with `, `); a field that starts
 * with `"` is read as an RFC 4180 quoted field, so a quoted name may hold commas. With `maxFields`,
 * the last field is the raw rest of the line: nvidia-smi itself never quotes.
 */
export function splitCsvLine(line: string, maxFields = Number.POSITIVE_INFINITY): string[] {
  const fields: string[] = [];
  let at = 0;
  for (;;) {
    while (line[at] === ' ' || line[at] === '\t') at += 1;
    if (fields.length === maxFields - 1) return [...fields, line.slice(at).trim()];
    let value = '';
    if (line[at] === '"') {
      at += 1;
      for (;;) {
        const quote = line.indexOf('"', at);
        value += line.slice(at, quote === -1 ? line.length : quote);
        at = quote === -1 ? line.length : quote + 1;
        if (quote === -1 || line[at] !== '"') break;
        value += '"';
        at += 1;
      }
    }
    const comma = line.indexOf(',', at);
    value += line.slice(at, comma === -1 ? line.length : comma).trim();
    fields.push(value);
    if (comma === -1) return fields;
    at = comma + 1;
  }
}

/**
 * Reads the typed columns of one record. A column that cannot be read records the first problem
 * and yields null, so a whole row is checked in straight-line code without throwing.
 */
export class CsvRecord {
  /** The first column that could not be read, in words; null when every read succeeded. */
  problem: string | null = null;

  constructor(
    private readonly fields: readonly string[],
    private readonly names: readonly string[],
  ) {}

  /** The column's text, or null when nvidia-smi gave no value. */
  text(column: number): string | null {
    const raw = this.fields[column] ?? '';
    return NOT_AVAILABLE.test(raw) ? null : raw;
  }

  /** The column's text, which must be present and pass `check` (described by `expected`). */
  required(column: number, expected: string, check: (text: string) => boolean = () => true) {
    const text = this.text(column);
    return text !== null && check(text) ? text : this.reject(column, expected);
  }

  /** A whole number (MiB, °C, a PID); null when not available, a rejection if `required`. */
  wholeNumber(column: number, expected: string, required = false): number | null {
    return this.number(column, WHOLE_NUMBER, expected, required);
  }

  /** A number that may have decimals, such as watts; null when not available. */
  decimal(column: number, expected: string): number | null {
    return this.number(column, DECIMAL_NUMBER, expected, false);
  }

  /** One of the words in `choices`, mapped to its value; null when not available. */
  choice<T>(column: number, choices: Readonly<Record<string, T>>): T | null {
    const text = this.text(column);
    if (text === null) return null;
    const value = Object.hasOwn(choices, text) ? choices[text] : undefined;
    return value ?? this.reject(column, `${Object.keys(choices).join(', ')} or [N/A]`);
  }

  private number(column: number, pattern: RegExp, expected: string, required: boolean) {
    const text = this.text(column);
    if (text === null && !required) return null;
    return text !== null && pattern.test(text) ? Number(text) : this.reject(column, expected);
  }

  private reject(column: number, expected: string): null {
    const found = JSON.stringify(this.fields[column] ?? '');
    this.problem ??= `column ${column + 1} (${this.names[column]}): expected ${expected}, found ${found}`;
    return null;
  }
}

/** The wrong column count of a record, naming the expected columns; null when it is right. */
export function columnCountProblem(fields: readonly string[], names: readonly string[]) {
  if (fields.length === names.length) return null;
  return `expected ${names.length} columns (${names.join(', ')}) but the line has ${fields.length}`;
}

/** True for a GPU UUID as nvidia-smi prints it: `GPU-` and hex groups (never a MIG UUID). */
export function isGpuUuid(text: string): boolean {
  return GPU_UUID.test(text);
}

/** Parses one line of LabDeck's `--query-gpu` output into a {@link GpuRow}. */
export function parseGpuLine(line: string): LineResult<GpuRow> {
  const fields = splitCsvLine(line);
  const countProblem = columnCountProblem(fields, GPU_QUERY_FIELDS);
  if (countProblem !== null) return { ok: false, problem: withGuess(countProblem, line) };
  const record = new CsvRecord(fields, GPU_QUERY_FIELDS);
  const row: GpuRow = {
    index: record.wholeNumber(0, 'a GPU index', true) ?? -1,
    uuid: record.required(1, 'a GPU UUID (GPU-…)', isGpuUuid) ?? '',
    name: record.required(2, 'a GPU name') ?? '',
    pciBusId: record.text(3),
    memoryTotalMiB: record.wholeNumber(4, 'a whole number of MiB'),
    memoryUsedMiB: record.wholeNumber(5, 'a whole number of MiB'),
    utilizationPct: record.wholeNumber(6, 'a whole percentage'),
    temperatureC: record.wholeNumber(7, 'whole degrees Celsius'),
    powerW: record.decimal(8, 'a number of watts'),
    migMode: record.choice<MigMode>(9, MIG_MODES),
  };
  if (record.problem !== null) return { ok: false, problem: withGuess(record.problem, line) };
  const checked = GPU_ROW_SCHEMA.safeParse(row);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return { ok: false, problem: `${issue?.path.join('.')}: ${issue?.message}` };
  }
  return { ok: true, value: checked.data };
}

/**
 * Parses the whole output of LabDeck's `--query-gpu` (see `gpuQueryArgv`). Output in any other
 * shape (another field list, a header, units, `-q` text or XML) is refused, never misread.
 */
export function parseGpuCsv(text: string): Result<readonly GpuRow[]> {
  if (NO_DEVICES_PATTERN.test(text)) return ok([]);
  const rows: GpuRow[] = [];
  const refuse = (lineNumber: number, problem: string) =>
    fail<readonly GpuRow[]>(
      unreadableOutput(QUERY_UNREADABLE, gpuQueryArgv(), lineNumber, problem),
    );
  for (const [at, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === '') continue;
    const parsed = parseGpuLine(line);
    if (!parsed.ok) return refuse(at + 1, parsed.problem);
    if (rows.some((row) => row.index === parsed.value.index)) {
      return refuse(at + 1, `GPU index ${parsed.value.index} appears twice (a looping query?)`);
    }
    rows.push(parsed.value);
  }
  return ok(rows);
}
