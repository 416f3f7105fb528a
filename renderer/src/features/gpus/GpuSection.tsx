import { useEffect, useId, useState, type JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { gpusStore, useGpus } from '../../stores/stores';
import { GpuList } from './GpuList';

/** Props of {@link GpuSection}. */
export interface GpuSectionProps {
  readonly hostId: string;
  readonly hostName: string;
}

/**
 * The "GPUs" part of a connected host's card, a disclosure open by default. While open it lists
 * the GPUs (`gpus:list`) and keeps live telemetry flowing (the `gpus:telemetry` topic); closing
 * it, or the card going away, unsubscribes (and a window that goes away is unsubscribed by the
 * services).
 */
export function GpuSection({ hostId, hostName }: GpuSectionProps): JSX.Element {
  const [open, setOpen] = useState(true);
  const [loads, setLoads] = useState(0);
  const [watches, setWatches] = useState(0);
  const contentId = useId();
  const { entry, watchError } = useGpus(
    useShallow((s) => ({ entry: s.inventories[hostId], watchError: s.watchErrors[hostId] })),
  );

  useEffect(() => {
    if (open) void gpusStore.getState().load(hostId);
  }, [open, hostId, loads]);

  // Apart from the list, so that Refresh does not stop and restart the host's telemetry.
  useEffect(() => (open ? gpusStore.getState().watch(hostId) : undefined), [open, hostId, watches]);

  const loading = entry?.status === 'loading';
  return (
    <section className="gpu-section" aria-label={`GPUs of ${hostName}`} data-testid="gpu-section">
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
        {open && (
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
            watchError={watchError}
            onRetryLoad={() => setLoads((n) => n + 1)}
            onRetryWatch={() => setWatches((n) => n + 1)}
          />
        </div>
      )}
    </section>
  );
}
