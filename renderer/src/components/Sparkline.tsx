import type { JSX } from 'react';
import { sparklineShapes, type SparkPoint } from '../charts/sparkline-segments';

/** Width and height of a sparkline in SVG units; CSS scales it to the card. */
const VIEW_WIDTH = 300;
const VIEW_HEIGHT = 60;
/** Room above the maximum and below zero, so a line at 100 % is not the chart's edge. */
const PLOT_INSET = 3;

/** Ticks come each second; more than this between two means some were missed: draw a gap. */
const MAX_TICK_GAP_MS = 3_000;

/** Props of {@link Sparkline}. */
export interface SparklineProps {
  /** What the line shows, e.g. "Utilization"; names the image. */
  readonly label: string;
  /** The latest value as words, e.g. "87 %"; read after the label. */
  readonly valueText: string;
  readonly points: readonly SparkPoint[];
  readonly start: number;
  readonly end: number;
  readonly max: number;
  /** The scale's top as words, e.g. "100 %" or "79.6 GiB"; its bottom is always 0. */
  readonly maxText: string;
  /** What the right edge is: "now", or "12:04" for the last readings of a dropped host. */
  readonly endText: string;
  readonly testId?: string;
}

/** "5 min", "30 s": the span the time axis covers. */
export function spanText(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds >= 90 ? `${Math.round(seconds / 60)} min` : `${seconds} s`;
}

/**
 * A small line chart of recent values in plain SVG: a scale (0 to `maxText`), a time axis (the
 * span and its end), the area under the line so a flat 100 % reads as full, not as an underline,
 * and gaps (unknown values, missed ticks) left blank and shaded. For assistive technology it is
 * one image named by its label, latest value and span.
 */
export function Sparkline(props: SparklineProps): JSX.Element {
  const shapes = sparklineShapes(props.points, {
    start: props.start,
    end: props.end,
    max: props.max,
    width: VIEW_WIDTH,
    height: VIEW_HEIGHT,
    inset: PLOT_INSET,
    maxGapMs: MAX_TICK_GAP_MS,
  });
  const span = spanText(props.end - props.start);
  const middle = (shapes.top + shapes.bottom) / 2;

  return (
    <figure className="sparkline" data-testid={props.testId}>
      <figcaption className="sparkline-caption">
        <span>{props.label}</span>
        <span className="sparkline-value">{props.valueText}</span>
      </figcaption>
      <div className="sparkline-plot">
        <div className="sparkline-scale" aria-hidden="true">
          <span data-testid="sparkline-max">{props.maxText}</span>
          <span>0</span>
        </div>
        <svg
          className="sparkline-svg"
          viewBox={`0 0 ${VIEW_WIDTH} ${VIEW_HEIGHT}`}
          preserveAspectRatio="none"
          role="img"
          aria-label={`${props.label}: ${props.valueText}; last ${span}, scale 0 to ${props.maxText}`}
          data-segments={shapes.lines.length + shapes.dots.length}
          data-gaps={shapes.gaps.length}
        >
          {shapes.gaps.map((gap, i) => (
            <rect
              key={`gap-${i}`}
              className="sparkline-gap"
              x={gap.x1}
              y={0}
              width={Math.max(1, gap.x2 - gap.x1)}
              height={VIEW_HEIGHT}
            />
          ))}
          <line className="sparkline-grid" x1={0} y1={shapes.top} x2={VIEW_WIDTH} y2={shapes.top} />
          <line className="sparkline-grid" x1={0} y1={middle} x2={VIEW_WIDTH} y2={middle} />
          <line
            className="sparkline-base"
            x1={0}
            y1={shapes.bottom}
            x2={VIEW_WIDTH}
            y2={shapes.bottom}
          />
          {shapes.areas.map((points, i) => (
            <polygon key={`area-${i}`} className="sparkline-area" points={points} />
          ))}
          {shapes.lines.map((points, i) => (
            <polyline key={`line-${i}`} className="sparkline-line" points={points} />
          ))}
          {shapes.dots.map((dot, i) => (
            <circle key={`dot-${i}`} className="sparkline-dot" cx={dot.x} cy={dot.y} r={2} />
          ))}
        </svg>
      </div>
      <div className="sparkline-axis" aria-hidden="true">
        <span data-testid="sparkline-span">{span} ago</span>
        <span data-testid="sparkline-end">{props.endText}</span>
      </div>
    </figure>
  );
}
