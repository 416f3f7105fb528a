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
}

/** The measured outcome of a figure. */
export interface FigureResult {
  readonly name: string;
  readonly subjectMedianMs: number;
  readonly baselineMedianMs: number;
  readonly ratio: number;
  readonly target?: number;
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
  return {
    name: figure.name,
    subjectMedianMs,
    baselineMedianMs,
    ratio: subjectMedianMs / baselineMedianMs,
    ...(figure.target === undefined ? {} : { target: figure.target }),
  };
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
    return (
      `${f.name}\n` +
      `  ${f.subjectName}: median ${f.subjectMedianMs.toFixed(3)} ms\n` +
      `  baseline, ${f.baselineName}: median ${f.baselineMedianMs.toFixed(3)} ms\n` +
      `  ratio: ${f.ratio.toFixed(2)}×${verdict}\n`
    );
  });
  return lines.join('\n');
}
