import { useId, type JSX } from 'react';
import type { Gpu } from '../../../../common/gpu/gpu';
import { BUSY_UNSEEN_TEXT, gpuAvailability } from '../../../../common/gpu/gpu-availability';
import { gpusStore, useGpus } from '../../stores/stores';
import {
  memoryFraction,
  memoryText,
  migModeText,
  percentText,
  powerText,
  processLines,
  temperatureText,
} from './gpu-format';
import { GpuCharts } from './GpuCharts';

/** Why a busy GPU may show no process: said on hover of "busy, no visible process". */
export const BUSY_UNSEEN_HINT =
  'Busy, but no process LabDeck can see holds it: another container, another user, or a process outside its view.';

/** Props of {@link GpuCard}. */
export interface GpuCardProps {
  readonly hostId: string;
  readonly gpu: Gpu;
  /** When these readings were taken, for a host that is not connected now; null while live. */
  readonly staleSince: number | null;
}

/**
 * One GPU: name and index, memory used with a bar, utilization, temperature, power, MIG, who
 * uses it (user and container, or "free"), and live charts. Live values come from the newest
 * telemetry tick when there is one, else from the list.
 */
export function GpuCard({ hostId, gpu, staleSince }: GpuCardProps): JSX.Element {
  const titleId = useId();
  // Selecting the version re-renders the card on each tick of its host.
  useGpus((s) => s.versions[hostId]);
  const ring = gpusStore.getState().history(hostId, gpu.uuid);
  const now = ring?.latestSample ?? gpu;
  const used = now.memoryUsedMiB;
  const fraction = memoryFraction(used, gpu.memoryTotalMiB);
  const users = processLines(gpu.processes);
  const availability = gpuAvailability(gpu.processes, now);

  return (
    <article
      className="gpu-card"
      aria-labelledby={titleId}
      data-testid="gpu-card"
      data-gpu-index={gpu.index}
    >
      <h3 id={titleId} className="gpu-title">
        <span className="gpu-index">GPU {gpu.index}</span> {gpu.name}
      </h3>
      <div className="gpu-memory">
        <span className="stat-label">Memory</span>
        <span data-testid="gpu-memory">{memoryText(used, gpu.memoryTotalMiB)}</span>
        <div
          className="bar"
          role="meter"
          aria-label="Memory used"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)}
          aria-valuetext={memoryText(used, gpu.memoryTotalMiB)}
        >
          <div className="bar-fill" style={{ width: `${(fraction ?? 0) * 100}%` }} />
        </div>
      </div>
      <dl className="gpu-stats">
        <Stat
          label="Utilization"
          value={percentText(now.utilizationPct)}
          testId="gpu-utilization"
        />
        <Stat label="Temperature" value={temperatureText(now.temperatureC)} />
        <Stat label="Power" value={powerText(now.powerW)} />
        <Stat label="MIG" value={migModeText(gpu.migMode)} testId="gpu-mig" />
      </dl>
      {gpu.migDevices.length > 0 && (
        <p className="gpu-mig-devices" data-testid="gpu-mig-devices">
          <span className="stat-label">MIG devices</span>{' '}
          {gpu.migDevices.map((d) => `${d.index}: ${d.profile}`).join(' · ')}
        </p>
      )}
      <div className="gpu-users" data-testid="gpu-users">
        <span className="stat-label">Used by</span>
        {availability.kind === 'free' && <span className="gpu-free">free</span>}
        {availability.kind === 'busy-unseen' && (
          <span className="gpu-busy-unseen" title={BUSY_UNSEEN_HINT}>
            {BUSY_UNSEEN_TEXT}
          </span>
        )}
        {users.length > 0 && (
          <ul>
            {users.map((line) => (
              <li key={line.key}>
                <strong>{line.user}</strong> · {line.container}
                {line.memory && <span className="muted"> · {line.memory}</span>}
              </li>
            ))}
          </ul>
        )}
      </div>
      <GpuCharts ring={ring} memoryTotalMiB={gpu.memoryTotalMiB} staleSince={staleSince} />
    </article>
  );
}

function Stat(props: { label: string; value: string; testId?: string }): JSX.Element {
  return (
    <div className="stat">
      <dt className="stat-label">{props.label}</dt>
      <dd data-testid={props.testId}>{props.value}</dd>
    </div>
  );
}
