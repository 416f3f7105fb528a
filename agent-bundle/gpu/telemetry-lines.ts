import { fail, ok, type Result } from '../../common/contract/result';
import { type GpuSample } from '../../common/gpu/gpu-sample';
import { unreadableOutput } from './classify-driver-failure';
import { telemetryArgv } from './nvidia-smi-query';
import { parseGpuLine } from './parse-gpu-csv';

/**
 * One tick: a sample of every GPU, and when its first line arrived (ms since the epoch). The
 * host id of `GpuTick` (common/gpu/gpu-sample.ts) is added by whoever knows the host.
 */
export interface TelemetryTick {
  readonly at: number;
  readonly gpus: readonly GpuSample[];
}

/** Options of {@link TelemetryLineParser}. */
export interface TelemetryOptions {
  /**
   * GPUs on the host, from discovery. With it a tick is complete on its last line; without it a
   * tick is only known complete when the next one starts, a period later.
   */
  readonly gpuCount?: number;
  /**
   * Without `gpuCount`, take the size of the first tick (known when an index repeats) as the GPU
   * count from then on, so every later tick ends on its last line rather than a period later.
   * `nvidia-smi -lms` lists the GPUs it found at start on every period.
   */
  readonly learnGpuCount?: boolean;
  /** The `-lms` period the process was started with, named in error messages. */
  readonly intervalMs?: number;
  /** Clock for `at`; tests pass a fake one. */
  readonly now?: () => number;
}

/**
 * Longest line kept while waiting for its newline, in characters. A real line is ~150; anything
 * this long is not nvidia-smi CSV, and buffering it would let a broken stream grow without bound.
 */
export const MAX_TELEMETRY_LINE_CHARS = 64 * 1024;

/** Error code for a telemetry line that is not LabDeck's GPU query. */
export const TELEMETRY_UNREADABLE = 'gpu-telemetry-unreadable';

/**
 * Incremental reader of the stdout of `nvidia-smi --query-gpu=… -lms <ms>` (see `telemetryArgv`):
 * splits chunks into lines (a line may span chunks), parses each, and groups them into ticks
 * (one line per GPU; a tick ends when a GPU index repeats, or at `gpuCount` lines).
 * A bad line yields an error and is dropped; the stream goes on.
 */
export class TelemetryLineParser {
  private pending = '';
  private lineNumber = 0;
  private tick: { at: number; gpus: GpuSample[] } | null = null;
  private learnedGpuCount: number | undefined;
  private readonly now: () => number;

  constructor(private readonly options: TelemetryOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  /** Feeds decoded text; returns the ticks (and errors) it completed. */
  push(chunk: string): Result<TelemetryTick>[] {
    const lines = (this.pending + chunk).split('\n');
    this.pending = lines.pop() ?? '';
    const out = lines.flatMap((line) => this.line(line.replace(/\r$/, '')));
    if (this.pending.length > MAX_TELEMETRY_LINE_CHARS) {
      this.pending = '';
      out.push(
        this.error(`a line grew past ${MAX_TELEMETRY_LINE_CHARS} characters without ending`),
      );
    }
    return out;
  }

  /** Ends the stream: parses an unterminated last line and returns the last, maybe short, tick. */
  end(): Result<TelemetryTick>[] {
    const out = this.pending.trim() === '' ? [] : this.line(this.pending);
    this.pending = '';
    return [...out, ...this.flush()];
  }

  private line(line: string): Result<TelemetryTick>[] {
    if (line.trim() === '') return [];
    this.lineNumber += 1;
    const parsed = parseGpuLine(line);
    if (!parsed.ok) return [this.error(parsed.problem)];
    const { index, uuid, memoryUsedMiB, utilizationPct, temperatureC, powerW } = parsed.value;
    const sample = { index, uuid, memoryUsedMiB, utilizationPct, temperatureC, powerW };
    const repeated = this.tick?.gpus.some((gpu) => gpu.index === index) === true;
    if (repeated && this.options.learnGpuCount) this.learnedGpuCount ??= this.tick?.gpus.length;
    const out = repeated ? this.flush() : [];
    this.tick ??= { at: this.now(), gpus: [] };
    this.tick.gpus.push(sample);
    const gpuCount = this.options.gpuCount ?? this.learnedGpuCount;
    if (this.tick.gpus.length === gpuCount) out.push(...this.flush());
    return out;
  }

  private flush(): Result<TelemetryTick>[] {
    const tick = this.tick;
    this.tick = null;
    return tick === null ? [] : [ok(tick)];
  }

  private error(problem: string): Result<TelemetryTick> {
    const argv = telemetryArgv(this.options.intervalMs);
    return fail(unreadableOutput(TELEMETRY_UNREADABLE, argv, this.lineNumber, problem));
  }
}

/**
 * Reads ticks from a telemetry process's stdout (a Node Readable is such an iterable). Bytes are
 * decoded as a stream, so a UTF-8 character split across chunks survives.
 */
export async function* telemetryTicks(
  stdout: AsyncIterable<string | Uint8Array>,
  options: TelemetryOptions = {},
): AsyncGenerator<Result<TelemetryTick>> {
  const parser = new TelemetryLineParser(options);
  const decoder = new TextDecoder();
  for await (const chunk of stdout) {
    yield* parser.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
  }
  yield* parser.push(decoder.decode());
  yield* parser.end();
}
