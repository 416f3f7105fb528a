import { useEffect, useState, type JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { shareText } from '../../../../common/gpu/gpu-availability';
import {
  defaultDirection,
  labGpuRows,
  sortLabGpuRows,
  type LabGpuRow,
  type LabGpuSortKey,
  type SortDirection,
} from '../../../../common/gpu/lab-gpus';
import { gpusStore, useGpus, useHosts } from '../../stores/stores';
import { BUSY_UNSEEN_HINT } from './GpuCard';
import {
  memoryFraction,
  percentText,
  temperatureText,
  timeOfDay,
  UNKNOWN_VALUE,
} from './gpu-format';
import { gibUsedOfTotal } from '../../../../common/gpu/gpu-memory';

/**
 * Processes are not in the telemetry: the table asks each host for its list again this often,
 * so "used by" follows within seconds while the measures follow each tick.
 */
export const GPU_TABLE_PROCESS_REFRESH_MS = 15_000;

/** The table's columns, in order: the sort key and the header's words. */
const COLUMNS: readonly { readonly key: LabGpuSortKey; readonly title: string }[] = [
  { key: 'host', title: 'Host' },
  { key: 'model', title: 'Model' },
  { key: 'memory', title: 'Memory' },
  { key: 'utilization', title: 'Util' },
  { key: 'temperature', title: 'Temp' },
  { key: 'usedBy', title: 'Used by' },
  { key: 'free', title: 'Free' },
];

/** Asks connected hosts for their GPUs and keeps their telemetry flowing while mounted. */
function useLiveHosts(ids: readonly string[]): void {
  const key = ids.join('\u0000');
  useEffect(() => {
    const hostIds = key === '' ? [] : key.split('\u0000');
    const load = (): void => hostIds.forEach((id) => void gpusStore.getState().load(id));
    load();
    const releases = hostIds.map((id) => gpusStore.getState().watch(id));
    const timer = setInterval(load, GPU_TABLE_PROCESS_REFRESH_MS);
    return () => {
      clearInterval(timer);
      releases.forEach((release) => release());
    };
  }, [key]);
}

/**
 * Every GPU of every host in one compact, sortable row: host, index, model, memory, utilization,
 * temperature, who uses it and its free share — the lab-wide answer to "which GPU is free?", live
 * at 1 Hz from each host's telemetry. Hosts that dropped keep their last rows, greyed, with the
 * time they were seen. The host cards below keep the detail.
 */
export function GpuTable(): JSX.Element | null {
  const hosts = useHosts((s) => s.hosts).map((h) => ({
    id: h.id,
    name: h.name,
    live: h.connection.phase === 'connected',
  }));
  const liveIds = hosts.filter((h) => h.live).map((h) => h.id);
  useLiveHosts(liveIds);
  const { inventories } = useGpus(
    useShallow((s) => ({ inventories: s.inventories, v: s.versions })),
  );
  const [sort, setSort] = useState<{ key: LabGpuSortKey; direction: SortDirection }>({
    key: 'host',
    direction: 'ascending',
  });

  const state = gpusStore.getState();
  const staleSince = new Map<string, number | null>();
  const known = hosts.flatMap((h) => {
    const inventory = inventories[h.id]?.inventory;
    if (!inventory || inventory.gpus.length === 0) return [];
    if (!h.live) staleSince.set(h.id, state.lastSeen(h.id));
    return [
      {
        hostId: h.id,
        hostName: h.name,
        inventory,
        latest: (uuid: string) => state.history(h.id, uuid)?.latestSample ?? null,
      },
    ];
  });
  if (known.length === 0) return null;
  const rows = sortLabGpuRows(labGpuRows(known), sort.key, sort.direction);
  const total = rows.length;
  const free = rows.filter((r) => r.availability.kind === 'free' && !staleSince.has(r.hostId));

  const sortBy = (key: LabGpuSortKey): void =>
    setSort((s) =>
      s.key === key
        ? { key, direction: s.direction === 'ascending' ? 'descending' : 'ascending' }
        : { key, direction: defaultDirection(key) },
    );

  return (
    <section className="gpu-table-section" aria-labelledby="gpu-table-title">
      <h2 id="gpu-table-title" className="gpu-table-title">
        All GPUs{' '}
        <span className="muted" data-testid="gpu-table-summary">
          {free.length} of {total} free
        </span>
      </h2>
      <table className="gpu-table" data-testid="gpu-table">
        <thead>
          <tr>
            {COLUMNS.map((column) => (
              <th
                key={column.key}
                scope="col"
                aria-sort={sort.key === column.key ? sort.direction : undefined}
                className={`gpu-col-${column.key}`}
              >
                <button type="button" className="gpu-sort" onClick={() => sortBy(column.key)}>
                  {column.title}
                  <span className="gpu-sort-arrow" aria-hidden="true">
                    {sort.key === column.key ? (sort.direction === 'ascending' ? '▲' : '▼') : ''}
                  </span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <GpuRow
              key={`${row.hostId}\u0000${row.gpu.uuid}`}
              row={row}
              staleSince={staleSince.get(row.hostId)}
            />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function GpuRow({
  row,
  staleSince,
}: {
  readonly row: LabGpuRow;
  readonly staleSince: number | null | undefined;
}): JSX.Element {
  const stale = staleSince !== undefined;
  const fraction = memoryFraction(row.memoryUsedMiB, row.gpu.memoryTotalMiB);
  return (
    <tr
      className={stale ? 'gpu-row gpu-row-stale' : 'gpu-row'}
      data-testid="gpu-row"
      data-host={row.hostName}
      data-gpu-index={row.gpu.index}
    >
      <td className="gpu-col-host">
        {row.hostName} <span className="gpu-index">#{row.gpu.index}</span>
        {stale && staleSince !== null && (
          <span className="gpu-row-seen"> · last seen {timeOfDay(staleSince)}</span>
        )}
      </td>
      <td className="gpu-col-model" title={row.gpu.name}>
        {row.gpu.name}
      </td>
      <td className="gpu-col-memory">
        <span className="gpu-cell-bar" aria-hidden="true">
          <span style={{ width: `${(fraction ?? 0) * 100}%` }} />
        </span>
        {gibUsedOfTotal(row.memoryUsedMiB, row.gpu.memoryTotalMiB, UNKNOWN_VALUE)}
      </td>
      <td className="gpu-col-utilization">{percentText(row.utilizationPct)}</td>
      <td className="gpu-col-temperature">{temperatureText(row.temperatureC)}</td>
      <td
        className={`gpu-col-usedBy gpu-used-${row.availability.kind}`}
        title={row.availability.kind === 'busy-unseen' ? BUSY_UNSEEN_HINT : row.usedBy}
      >
        {row.usedBy}
      </td>
      <td className="gpu-col-free">
        {row.freeTenths === null ? UNKNOWN_VALUE : shareText(row.freeTenths)}
      </td>
    </tr>
  );
}
