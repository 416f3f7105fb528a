import type { JSX } from 'react';
import { Sparkline } from '../../components/Sparkline';
import { formatMiB, percentText, timeOfDay } from './gpu-format';
import { GPU_HISTORY_MS, type TelemetryRing } from './telemetry-ring';

/** Props of {@link GpuCharts}. */
export interface GpuChartsProps {
  /** The GPU's history; undefined until its first tick arrives. */
  readonly ring: TelemetryRing | undefined;
  readonly memoryTotalMiB: number | null;
  /** The time of the last readings of a host that is not connected now; null while live. */
  readonly staleSince: number | null;
}

/** The shortest time span a chart shows, while history is still short. */
const MIN_CHART_SPAN_MS = 30_000;

/**
 * Utilization and memory over the last five minutes, ending at the newest tick. The parent
 * re-renders on each tick (it selects the host's version); the points are read from the ring
 * buffer here, never copied into the store.
 */
export function GpuCharts({ ring, memoryTotalMiB, staleSince }: GpuChartsProps): JSX.Element {
  const end = ring?.latestAt ?? null;
  if (!ring || end === null) {
    return (
      <p className="muted gpu-charts-waiting" data-testid="gpu-charts-waiting">
        Waiting for live telemetry…
      </p>
    );
  }
  const memory = ring.points('memoryUsedMiB');
  // The window grows with the history, from half a minute up to five: a new chart is not a dot
  // at the right edge of an empty five-minute frame.
  const first = memory[0]?.at ?? end;
  const start = Math.max(end - GPU_HISTORY_MS, Math.min(first, end - MIN_CHART_SPAN_MS));
  const memoryMax = memoryTotalMiB ?? Math.max(1, ...memory.map((p) => p.value ?? 0));
  const endText = staleSince === null ? 'now' : timeOfDay(staleSince);

  return (
    <div className="gpu-charts">
      <Sparkline
        label="Utilization"
        valueText={percentText(ring.latest('utilizationPct'))}
        points={ring.points('utilizationPct')}
        start={start}
        end={end}
        max={100}
        maxText="100 %"
        endText={endText}
        testId="gpu-chart-utilization"
      />
      <Sparkline
        label="Memory"
        valueText={formatMiB(ring.latest('memoryUsedMiB'))}
        points={memory}
        start={start}
        end={end}
        max={memoryMax}
        maxText={formatMiB(memoryMax)}
        endText={endText}
        testId="gpu-chart-memory"
      />
    </div>
  );
}
