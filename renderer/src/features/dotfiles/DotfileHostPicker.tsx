import type { JSX } from 'react';
import { HostPicker } from '../../components/HostPicker';
import { dotfilesStore, useDotfiles } from './dotfiles-window';

/**
 * The host whose dotfiles the page shows: connected hosts only; the choice is remembered.
 * Switching with unsaved text asks first.
 */
export function DotfileHostPicker(): JSX.Element {
  const hostId = useDotfiles((s) => s.hostId);
  return (
    <HostPicker
      value={hostId}
      testId="dotfiles-host"
      onChoose={(next) => {
        const store = dotfilesStore.getState();
        store.whenClean(() => store.chooseHost(next));
      }}
    />
  );
}
