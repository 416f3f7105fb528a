import { performance } from 'node:perf_hooks';

/** One side of a comparison: an async operation timed one call at a time. */
export interface Contender {
  readonly name: string;
  run(): Promise<void>;
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
}

const ROUNDS = 10;
const WARMUP_FRACTION = 0.1;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function time(contender: Contender, count: number, into: number[]): Promise<void> {
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await contender.run();
    into.push(performance.now() - start);
  }
}

/** Measures a figure: warm both sides up, then alternate timed rounds, then compare medians. */
export async function measure(figure: Figure): Promise<FigureResult> {
  const warmup = Math.max(1, Math.floor(figure.iterations * WARMUP_FRACTION));
  await time(figure.baseline, warmup, []);
  await time(figure.subject, warmup, []);
  const subject: number[] = [];
  const baseline: number[] = [];
  const perRound = Math.max(1, Math.ceil(figure.iterations / ROUNDS));
  for (let round = 0; round < ROUNDS; round++) {
    await time(figure.baseline, perRound, baseline);
    await time(figure.subject, perRound, subject);
  }
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
  };
}

/** "median 12.345 ms", or "median 3.21 µs per decision" for a figure timed in batches. */
function medianText(ms: number, count: number | undefined, unit: string | undefined): string {
  return count === undefined
    ? `median ${ms.toFixed(3)} ms`
    : `median ${((ms * 1000) / count).toFixed(2)} µs per ${unit}`;
}

/** Prints results as a table: medians, ratio to baseline, and whether the target is met. */
export function report(
  figures: readonly (FigureResult & { subjectName: string; baselineName: string })[],
): string {
  const lines = figures.map((f) => {
    const verdict =
      f.target === undefined
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
      `  ${f.subjectName}: ${medianText(f.subjectMedianMs, f.perCall?.subject, unit)}${absolute}\n` +
      `  baseline, ${f.baselineName}: ${medianText(f.baselineMedianMs, f.perCall?.baseline, unit)}\n` +
      `  ratio${unit ? ` per ${unit}` : ''}: ${ratio}×${verdict}${note}\n`
    );
  });
  return lines.join('\n');
}
