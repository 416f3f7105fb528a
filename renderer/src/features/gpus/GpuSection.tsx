import { useEffect, useId, useState, type JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { gpusStore, useGpus } from '../../stores/stores';
import { timeOfDay } from './gpu-format';
import { GpuList } from './GpuList';

/** Props of {@link GpuSection}. */
export interface GpuSectionProps {
  readonly hostId: string;
  readonly hostName: string;
  /**
   * Whether the host is connected. When it is not, the last readings stay, greyed, with their
   * time ("last seen 12:04"), and nothing is asked of the host.
   */
  readonly live: boolean;
}

/**
 * The "GPUs" part of a host's card, a disclosure open by default. While open it lists
 * the GPUs (`gpus:list`) and keeps live telemetry flowing (the `gpus:telemetry` topic); closing
 * it, or the card going away, unsubscribes (and a window that goes away is unsubscribed by the
 * services).
 */
export function GpuSection({ hostId, hostName, live }: GpuSectionProps): JSX.Element | null {
  const [open, setOpen] = useState(true);
  const [loads, setLoads] = useState(0);
  const [watches, setWatches] = useState(0);
  const contentId = useId();
  const { entry, watchError } = useGpus(
    useShallow((s) => ({ entry: s.inventories[hostId], watchError: s.watchErrors[hostId] })),
  );

  // Re-rendered by each tick while live; read once when the host went away.
  useGpus((s) => s.versions[hostId]);
  const lastSeen = live ? null : gpusStore.getState().lastSeen(hostId);

  useEffect(() => {
    if (open && live) void gpusStore.getState().load(hostId);
  }, [open, live, hostId, loads]);

  // Apart from the list, so that Refresh does not stop and restart the host's telemetry.
  useEffect(
    () => (open && live ? gpusStore.getState().watch(hostId) : undefined),
    [open, live, hostId, watches],
  );

  // A host that never showed its GPUs has nothing to keep.
  if (!live && !entry?.inventory) return null;
  const loading = entry?.status === 'loading';
  return (
    <section
      className={live ? 'gpu-section' : 'gpu-section gpu-stale'}
      aria-label={`GPUs of ${hostName}`}
      data-testid="gpu-section"
      data-stale={!live}
    >
      <div className="section-header">
        <button
          type="button"
          className="disclosure"
          aria-expanded={open}
          aria-controls={contentId}
          data-testid="gpu-toggle"
          onClick={() => setOpen((o) => !o)}
        >
          <span className="disclosure-arrow" aria-hidden="true" />
          GPUs
          {entry?.inventory && <span className="muted">({entry.inventory.gpus.length})</span>}
        </button>
        {lastSeen !== null && (
          <span className="gpu-last-seen" data-testid="gpu-last-seen">
            Last readings, not live · last seen{' '}
            <time dateTime={new Date(lastSeen).toISOString()}>{timeOfDay(lastSeen)}</time>
          </span>
        )}
        {open && live && (
          <button
            type="button"
            className="button button-small"
            aria-disabled={loading}
            aria-label={`Refresh the GPUs of ${hostName}`}
            data-testid="gpu-refresh"
            onClick={loading ? undefined : () => setLoads((n) => n + 1)}
          >
            {loading && <span className="spinner" aria-hidden="true" />}
            Refresh
          </button>
        )}
      </div>
      {open && (
        <div id={contentId} className="gpu-section-body">
          <GpuList
            hostId={hostId}
            entry={entry}
            watchError={live ? watchError : undefined}
            staleSince={lastSeen}
            onRetryLoad={() => setLoads((n) => n + 1)}
            onRetryWatch={() => setWatches((n) => n + 1)}
          />
        </div>
      )}
    </section>
  );
}
