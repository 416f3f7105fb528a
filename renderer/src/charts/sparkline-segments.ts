/** One point of a sparkline; a null value is a gap. */
export interface SparkPoint {
  readonly at: number;
  readonly value: number | null;
}

/** Where a sparkline draws: its time span, value range and size in SVG units. */
export interface SparkFrame {
  /** Left edge, ms since the epoch. */
  readonly start: number;
  /** Right edge, ms since the epoch. */
  readonly end: number;
  /** The value drawn at the top of the plot; values above it are clamped. */
  readonly max: number;
  readonly width: number;
  readonly height: number;
  /**
   * Room above and below the plot, in SVG units: a line at the maximum (100 %) or at zero is
   * drawn whole inside the chart, never on its edge where it would read as a border.
   */
  readonly inset: number;
  /**
   * Two points further apart than this are not joined: ticks were missed (a dropped connection,
   * a hidden window), and a straight line across would invent values.
   */
  readonly maxGapMs: number;
}

/** A stretch of time with no value, as an x range to shade. */
export interface SparkGap {
  readonly x1: number;
  readonly x2: number;
}

/** What a sparkline draws, in SVG units. */
export interface SparkShapes {
  /** `points` of one polyline per unbroken run of two or more points. */
  readonly lines: string[];
  /** `points` of the filled area under each of those runs, down to zero. */
  readonly areas: string[];
  /** Runs of a single point, drawn as a dot (a lone sample after a reconnect still shows). */
  readonly dots: { readonly x: number; readonly y: number }[];
  /** Where values are missing between two runs (or an unknown value): left blank, shaded. */
  readonly gaps: SparkGap[];
  /** The y of the maximum and of zero: where the scale's lines go. */
  readonly top: number;
  readonly bottom: number;
}

/**
 * Turns points into the shapes of a sparkline: a null value or a missing stretch of ticks ends
 * a run, and the stretch between two runs is a gap, shaded so that "no data" never reads as zero
 * nor as a dashed line.
 */
export function sparklineShapes(points: readonly SparkPoint[], frame: SparkFrame): SparkShapes {
  const { start, end, max, width, height, inset, maxGapMs } = frame;
  const span = Math.max(1, end - start);
  const [top, bottom] = [inset, height - inset];
  const x = (at: number): number => round(((at - start) / span) * width);
  const y = (value: number): number =>
    round(bottom - (Math.min(Math.max(value, 0), max) / (max > 0 ? max : 1)) * (bottom - top));

  const shapes: SparkShapes = { lines: [], areas: [], dots: [], gaps: [], top, bottom };
  let run: { x: number; y: number }[] = [];
  let lastAt: number | null = null;
  let gapFrom: number | null = null;
  const flush = (): void => {
    const [first] = run;
    const last = run.at(-1);
    if (run.length === 1 && first) shapes.dots.push(first);
    if (run.length > 1 && first && last) {
      const line = run.map((p) => `${p.x},${p.y}`).join(' ');
      shapes.lines.push(line);
      shapes.areas.push(`${first.x},${bottom} ${line} ${last.x},${bottom}`);
    }
    run = [];
  };

  for (const point of points) {
    if (point.at < start || point.at > end) continue;
    const missed = lastAt !== null && point.at - lastAt > maxGapMs;
    if (point.value === null || missed) {
      flush();
      gapFrom ??= lastAt ?? point.at;
    }
    lastAt = point.at;
    if (point.value === null) continue;
    if (gapFrom !== null) {
      shapes.gaps.push({ x1: x(gapFrom), x2: x(point.at) });
      gapFrom = null;
    }
    run.push({ x: x(point.at), y: y(point.value) });
  }
  flush();
  if (gapFrom !== null && lastAt !== null) shapes.gaps.push({ x1: x(gapFrom), x2: x(lastAt) });
  return shapes;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
