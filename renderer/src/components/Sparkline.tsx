import type { JSX } from 'react';
import { sparklineSegments, type SparkPoint } from '../charts/sparkline-segments';

/** Width and height of a sparkline in SVG units; CSS scales it to the card. */
const VIEW_WIDTH = 300;
const VIEW_HEIGHT = 40;

/** Ticks come each second; more than this between two means some were missed: draw a gap. */
const MAX_TICK_GAP_MS = 3_000;

/** Props of {@link Sparkline}. */
export interface SparklineProps {
  /** What the line shows, e.g. "Utilization, last 5 minutes"; names the image. */
  readonly label: string;
  /** The latest value as words, e.g. "87 %"; read after the label. */
  readonly valueText: string;
  readonly points: readonly SparkPoint[];
  readonly start: number;
  readonly end: number;
  readonly max: number;
  readonly testId?: string;
}

/**
 * A small line chart of recent values in plain SVG polylines: no chart library, nothing but
 * the points. Gaps (unknown values, missed ticks) stay gaps. For assistive technology it is one
 * image named by its label and latest value.
 */
export function Sparkline(props: SparklineProps): JSX.Element {
  const segments = sparklineSegments(props.points, {
    start: props.start,
    end: props.end,
    max: props.max,
    width: VIEW_WIDTH,
    height: VIEW_HEIGHT,
    maxGapMs: MAX_TICK_GAP_MS,
  });

  return (
    <figure className="sparkline" data-testid={props.testId}>
      <figcaption className="sparkline-caption">
        <span>{props.label}</span>
        <span className="sparkline-value">{props.valueText}</span>
      </figcaption>
      <svg
        className="sparkline-svg"
        viewBox={`0 0 ${VIEW_WIDTH} ${VIEW_HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`${props.label}: ${props.valueText}`}
        data-segments={segments.length}
      >
        <line className="sparkline-base" x1={0} y1={VIEW_HEIGHT} x2={VIEW_WIDTH} y2={VIEW_HEIGHT} />
        {segments.map((points, i) => (
          <polyline key={i} className="sparkline-line" points={points} />
        ))}
      </svg>
    </figure>
  );
}
