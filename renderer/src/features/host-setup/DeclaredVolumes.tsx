import type { JSX } from 'react';
import type { SetupStatus } from '../../../../common/host-setup/setup-status';
import { volumeKindText, volumeStateText } from './host-setup-view';

/** Props of {@link DeclaredVolumes}. */
export interface DeclaredVolumesProps {
  readonly volumes: SetupStatus['volumes'];
}

/**
 * The volumes the host's configuration already declares, with their kind and whether each is
 * mounted as declared: the setup form adds to them and never removes one, so the user sees them.
 */
export function DeclaredVolumes({ volumes }: DeclaredVolumesProps): JSX.Element {
  return (
    <section className="setup-declared" aria-label="Declared volumes" data-testid="setup-declared">
      <h3 className="field-label">Declared volumes</h3>
      <ul className="setup-declared-list">
        {volumes.map((volume) => (
          <li key={volume.name} data-testid="setup-declared-volume" data-state={volume.state}>
            <span className="setup-declared-name">{volume.name}</span> <code>{volume.path}</code>{' '}
            <span className="muted">
              {volumeKindText(volume.kind)}
              {volume.state === 'ok' ? '' : ` · ${volumeStateText(volume.state)}: ${volume.detail}`}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
