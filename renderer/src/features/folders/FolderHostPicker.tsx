import type { JSX } from 'react';
import { HostPicker } from '../../components/HostPicker';
import { foldersStore, useFolders } from '../../stores/stores';

/** The host whose folders the page shows: connected hosts only; the choice is remembered. */
export function FolderHostPicker(): JSX.Element {
  const hostId = useFolders((s) => s.hostId);
  return (
    <HostPicker
      value={hostId}
      testId="folders-host"
      onChoose={(next) => foldersStore.getState().chooseHost(next)}
    />
  );
}
