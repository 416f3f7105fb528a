import { performance } from 'node:perf_hooks';

/** One side of a comparison: an async operation timed one call at a time. */
export interface Contender {
  readonly name: string;
  run(): Promise<void>;
  /** Untimed work after each call (closing what it opened), so the next call starts clean. */
  cleanUp?(): Promise<void>;
}

/** A figure: the subject's cost as a ratio to a baseline measured in the same run. */
export interface Figure {
  readonly name: string;
  readonly subject: Contender;
  readonly baseline: Contender;
  /** Timed calls per side; the sides alternate in rounds so drift hits both equally. */
  readonly iterations: number;
  /** Goal for the ratio, printed beside it; undefined when the figure only informs. */
  readonly target?: number;
  /** When each call runs a batch of small operations: the batch sizes, so the figure reads per one. */
  readonly perCall?: PerCall;
  /** Goal for the subject's own time per operation in µs, for a target that is absolute. */
  readonly targetUs?: number;
  /** What the ratio compares, printed beside it when the two sides do not run the same input. */
  readonly ratioNote?: string;
  /** Rounds the timed calls are split into; fewer for figures whose every call takes seconds. */
  readonly rounds?: number;
  /** Bytes each call moves: the medians also read as MB/s, and {@link targetThroughput} applies. */
  readonly bytesPerCall?: number;
  /** Goal for the subject's throughput as a fraction of the baseline's (at least this). */
  readonly targetThroughput?: number;
  /** Goal for the subject's median minus the baseline's in ms, for an allowance over the baseline. */
  readonly targetDifferenceMs?: number;
  /** Prints each side's 95th percentile beside its median, for figures whose tail matters. */
  readonly p95?: boolean;
}

/** Operations per timed call on each side, and what one is called ("decision"). */
export interface PerCall {
  readonly subject: number;
  readonly baseline: number;
  readonly unit: string;
}

/** The measured outcome of a figure. */
export interface FigureResult {
  readonly name: string;
  readonly subjectMedianMs: number;
  readonly baselineMedianMs: number;
  /** Subject over baseline, per operation where the figure has `perCall`. */
  readonly ratio: number;
  readonly target?: number;
  readonly perCall?: PerCall;
  readonly targetUs?: number;
  readonly ratioNote?: string;
  readonly bytesPerCall?: number;
  readonly targetThroughput?: number;
  readonly targetDifferenceMs?: number;
  /** Present when the figure asked for percentiles. */
  readonly subjectP95Ms?: number;
  readonly baselineP95Ms?: number;
  /** Why the subject's times mean nothing (it did not do the whole work): no verdict is given. */
  readonly invalid?: string;
}

/** A result as the report prints it, with the names of its two sides. */
export type ReportRow = FigureResult & { subjectName: string; baselineName: string };

const ROUNDS = 10;
const WARMUP_FRACTION = 0.1;
const P95 = 0.95;
/** Bytes in the MB that throughputs are printed in (decimal, as "200 MB" is meant). */
const MB_BYTES = 1_000_000;

/** The value `fraction` of the way up the sorted values (0.5: the median). */
function quantile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

async function time(contender: Contender, count: number, into: number[]): Promise<void> {
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await contender.run();
    into.push(performance.now() - start);
    await contender.cleanUp?.();
  }
}

/**
 * Times contenders in the same rounds, each in turn within a round, after an untimed warm-up:
 * drift hits them all equally, and figures that share a baseline (a slow one) share its calls.
 */
export async function timeTogether(
  contenders: readonly Contender[],
  iterations: number,
  rounds = ROUNDS,
): Promise<Map<Contender, number[]>> {
  const warmup = Math.max(1, Math.floor(iterations * WARMUP_FRACTION));
  for (const contender of contenders) await time(contender, warmup, []);
  const samples = new Map<Contender, number[]>(contenders.map((c) => [c, []]));
  const perRound = Math.max(1, Math.ceil(iterations / rounds));
  for (let round = 0; round < rounds; round++)
    for (const contender of contenders) await time(contender, perRound, samples.get(contender)!);
  return samples;
}

/** Measures a figure: warm both sides up, then alternate timed rounds, then compare medians. */
export async function measure(figure: Figure): Promise<FigureResult> {
  const samples = await timeTogether(
    [figure.baseline, figure.subject],
    figure.iterations,
    figure.rounds,
  );
  return compare(figure, samples.get(figure.subject)!, samples.get(figure.baseline)!);
}

/** A figure's result from calls already timed (by {@link timeTogether}), in ms per call. */
export function compare(
  figure: Omit<Figure, 'subject' | 'baseline' | 'iterations'>,
  subject: readonly number[],
  baseline: readonly number[],
): FigureResult {
  const subjectMedianMs = median(subject);
  const baselineMedianMs = median(baseline);
  const { perCall } = figure;
  return {
    name: figure.name,
    subjectMedianMs,
    baselineMedianMs,
    ratio: perCall
      ? subjectMedianMs / perCall.subject / (baselineMedianMs / perCall.baseline)
      : subjectMedianMs / baselineMedianMs,
    ...(figure.target === undefined ? {} : { target: figure.target }),
    ...(perCall === undefined ? {} : { perCall }),
    ...(figure.targetUs === undefined ? {} : { targetUs: figure.targetUs }),
    ...(figure.ratioNote === undefined ? {} : { ratioNote: figure.ratioNote }),
    ...(figure.bytesPerCall === undefined ? {} : { bytesPerCall: figure.bytesPerCall }),
    ...(figure.targetThroughput === undefined ? {} : { targetThroughput: figure.targetThroughput }),
    ...(figure.targetDifferenceMs === undefined
      ? {}
      : { targetDifferenceMs: figure.targetDifferenceMs }),
    ...(figure.p95
      ? { subjectP95Ms: quantile(subject, P95), baselineP95Ms: quantile(baseline, P95) }
      : {}),
  };
}

/** "median 12.345 ms", or "median 3.21 µs per decision" for a figure timed in batches. */
function medianText(ms: number, count: number | undefined, unit: string | undefined): string {
  return count === undefined
    ? `median ${ms.toFixed(3)} ms`
    : `median ${((ms * 1000) / count).toFixed(2)} µs per ${unit}`;
}

/** What follows a side's median: its p95, its throughput, when the figure has them. */
function sideExtras(
  medianMs: number,
  p95Ms: number | undefined,
  bytes: number | undefined,
): string {
  const p95 = p95Ms === undefined ? '' : `, p95 ${p95Ms.toFixed(3)} ms`;
  const rate = bytes === undefined ? '' : ` (${mbPerS(bytes, medianMs).toFixed(1)} MB/s)`;
  return p95 + rate;
}

function mbPerS(bytes: number, ms: number): number {
  return bytes / MB_BYTES / (ms / 1000);
}

/** The throughput and difference lines of a figure that has those targets. */
function targetLines(f: ReportRow): string {
  if (f.invalid !== undefined) return `  INVALID, no verdict: ${f.invalid}\n`;
  let lines = '';
  if (f.targetThroughput !== undefined) {
    const fraction = f.baselineMedianMs / f.subjectMedianMs;
    const met = fraction >= f.targetThroughput ? 'met' : 'MISSED';
    lines += `  throughput: ${fraction.toFixed(2)}× the baseline's (target ≥ ${f.targetThroughput}×: ${met})\n`;
  }
  if (f.targetDifferenceMs !== undefined) {
    const difference = f.subjectMedianMs - f.baselineMedianMs;
    const met = difference <= f.targetDifferenceMs ? 'met' : 'MISSED';
    const sign = difference >= 0 ? '+' : '−';
    lines += `  difference of medians: ${sign}${Math.abs(difference).toFixed(3)} ms (target ≤ +${f.targetDifferenceMs} ms: ${met})\n`;
  }
  return lines;
}

/** Prints results as a table: medians, ratio to baseline, and whether the target is met. */
export function report(figures: readonly ReportRow[]): string {
  const lines = figures.map((f) => {
    const verdict =
      f.target === undefined || f.invalid !== undefined
        ? ''
        : f.ratio <= f.target
          ? `  (target ≤ ${f.target}×: met)`
          : `  (target ≤ ${f.target}×: MISSED)`;
    const unit = f.perCall?.unit;
    const perUnitUs = f.perCall && (f.subjectMedianMs * 1000) / f.perCall.subject;
    const absolute =
      f.targetUs === undefined || perUnitUs === undefined
        ? ''
        : `  (target ≤ ${f.targetUs} µs: ${perUnitUs <= f.targetUs ? 'met' : 'MISSED'})`;
    // Ratios far below 1 (a search against a formula) keep two significant digits.
    const ratio = f.ratio < 0.01 ? f.ratio.toPrecision(2) : f.ratio.toFixed(2);
    const note = f.ratioNote === undefined ? '' : `  (${f.ratioNote})`;
    return (
      `${f.name}\n` +
      `  ${f.subjectName}: ${medianText(f.subjectMedianMs, f.perCall?.subject, unit)}` +
      `${sideExtras(f.subjectMedianMs, f.subjectP95Ms, f.bytesPerCall)}${absolute}\n` +
      `  baseline, ${f.baselineName}: ${medianText(f.baselineMedianMs, f.perCall?.baseline, unit)}` +
      `${sideExtras(f.baselineMedianMs, f.baselineP95Ms, f.bytesPerCall)}\n` +
      `  ratio${unit ? ` per ${unit}` : ''}: ${ratio}×${verdict}${note}\n` +
      targetLines(f)
    );
  });
  return lines.join('\n');
}
