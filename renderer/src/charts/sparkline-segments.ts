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
  /** The value drawn at the top edge; values above it are clamped. */
  readonly max: number;
  readonly width: number;
  readonly height: number;
  /**
   * Two points further apart than this are not joined: ticks were missed (a dropped connection,
   * a hidden window), and a straight line across would invent values.
   */
  readonly maxGapMs: number;
}

/**
 * Turns points into the `points` attributes of SVG polylines, one per unbroken run: a null
 * value or a missing stretch of ticks ends a run, so gaps stay visible as gaps. A run of a
 * single point becomes a short dash, so a lone sample still shows.
 */
export function sparklineSegments(points: readonly SparkPoint[], frame: SparkFrame): string[] {
  const { start, end, max, width, height, maxGapMs } = frame;
  const span = Math.max(1, end - start);
  const x = (at: number): number => round(((at - start) / span) * width);
  const y = (value: number): number =>
    round(height - (Math.min(Math.max(value, 0), max) / (max > 0 ? max : 1)) * height);

  const segments: string[] = [];
  let run: { x: number; y: number }[] = [];
  let lastAt: number | null = null;
  const flush = (): void => {
    if (run.length === 1) {
      const [only] = run;
      if (only) segments.push(`${round(only.x - 1)},${only.y} ${round(only.x + 1)},${only.y}`);
    } else if (run.length > 1) {
      segments.push(run.map((p) => `${p.x},${p.y}`).join(' '));
    }
    run = [];
  };

  for (const point of points) {
    if (point.at < start || point.at > end) continue;
    if (point.value === null || (lastAt !== null && point.at - lastAt > maxGapMs)) flush();
    lastAt = point.at;
    if (point.value !== null) run.push({ x: x(point.at), y: y(point.value) });
  }
  flush();
  return segments;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
