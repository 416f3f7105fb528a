import { useId, type JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useHosts } from '../../stores/stores';
import { folderHosts } from '../folders/folder-hosts';
import { dotfilesStore, useDotfiles } from './dotfiles-window';

/**
 * The host whose dotfiles the page shows: connected hosts only; the choice is remembered.
 * Switching with unsaved text asks first.
 */
export function DotfileHostPicker(): JSX.Element {
  const hosts = useHosts(useShallow((s) => folderHosts(s.hosts)));
  const hostId = useDotfiles((s) => s.hostId);
  const id = useId();
  const choose = (next: string): void => {
    const store = dotfilesStore.getState();
    store.whenClean(() => store.chooseHost(next));
  };
  return (
    <div className="folder-host-picker">
      <label className="field-label" htmlFor={id}>
        Host
      </label>
      <select
        id={id}
        className="input"
        value={hostId ?? ''}
        data-testid="dotfiles-host"
        onChange={(e) => choose(e.target.value)}
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
