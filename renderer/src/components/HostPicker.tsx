import { useId, type JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { folderHosts } from '../features/folders/folder-hosts';
import { useHosts } from '../stores/stores';

/** Props of {@link HostPicker}. */
export interface HostPickerProps {
  /** The host the page shows; null while none is connected. */
  readonly value: string | null;
  /** Called with the host picked; the page decides when (and whether) it switches. */
  readonly onChoose: (hostId: string) => void;
  readonly testId: string;
}

/**
 * The host a page shows (Folders, Dotfiles): "This computer" and the SSH hosts connected now,
 * labelled Host, in the page's header. The page keeps which one it showed last.
 */
export function HostPicker({ value, onChoose, testId }: HostPickerProps): JSX.Element {
  const hosts = useHosts(useShallow((s) => folderHosts(s.hosts)));
  const id = useId();
  return (
    <div className="host-picker">
      <label className="field-label" htmlFor={id}>
        Host
      </label>
      <select
        id={id}
        className="input"
        value={value ?? ''}
        data-testid={testId}
        onChange={(e) => onChoose(e.target.value)}
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
