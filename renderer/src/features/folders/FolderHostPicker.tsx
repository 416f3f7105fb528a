import { useId, type JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { foldersStore, useFolders, useHosts } from '../../stores/stores';
import { folderHosts } from './folder-hosts';

/** The host whose folders the page shows: connected hosts only; the choice is remembered. */
export function FolderHostPicker(): JSX.Element {
  const hosts = useHosts(useShallow((s) => folderHosts(s.hosts)));
  const hostId = useFolders((s) => s.hostId);
  const id = useId();
  return (
    <div className="folder-host-picker">
      <label className="field-label" htmlFor={id}>
        Host
      </label>
      <select
        id={id}
        className="input"
        value={hostId ?? ''}
        data-testid="folders-host"
        onChange={(e) => foldersStore.getState().chooseHost(e.target.value)}
      >
        {hosts.length === 0 && <option value="">No host is connected</option>}
        {hosts.map((host) => (
          <option key={host.id} value={host.id}>
            {host.name}
          </option>
        ))}
      </select>
    </div>
  );
}
