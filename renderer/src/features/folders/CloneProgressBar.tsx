import { useState, type JSX } from 'react';
import { FormError } from '../../components/FormError';
import type { AppError } from '../../../../common/contract/result';
import { foldersStore, useFolders } from '../../stores/stores';
import { cloneProgressView } from './folder-view';
import { cloneKey } from './folders-store';

/** Props of {@link CloneProgressBar}. */
export interface CloneProgressBarProps {
  readonly hostId: string;
  /** The new folder's name. */
  readonly name: string;
}

/**
 * A clone's progress from the `folders:clone-progress` topic: bytes copied of the source's, a
 * bar, and Cancel while it runs (the half-made folder is then removed).
 */
export function CloneProgressBar({ hostId, name }: CloneProgressBarProps): JSX.Element {
  const progress = useFolders((s) => s.clones[cloneKey(hostId, name)]);
  const [canceling, setCanceling] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const view = progress ? cloneProgressView(progress) : null;
  const running = progress === undefined || progress.state === 'running';

  const cancel = async (): Promise<void> => {
    if (canceling) return;
    setCanceling(true);
    const result = await foldersStore.getState().change(hostId, 'folders:clone-cancel', { name });
    setCanceling(false);
    if (!result.ok) setError(result.error);
  };

  return (
    <div
      className="folder-clone"
      data-testid="folder-clone-progress"
      data-state={progress?.state ?? 'starting'}
    >
      <div className="folder-clone-line">
        <span className="folder-clone-text" data-testid="folder-clone-text">
          {view?.text ?? 'Starting the copy…'}
        </span>
        {running && (
          <button
            type="button"
            className="button button-small"
            aria-disabled={canceling}
            data-testid="folder-clone-cancel"
            onClick={() => void cancel()}
          >
            {canceling && <span className="spinner spinner-small" aria-hidden="true" />}
            Cancel clone
          </button>
        )}
      </div>
      <progress
        className="folder-clone-bar"
        max={view?.max ?? 1}
        value={view?.value}
        aria-label={`Copied into ${name}`}
      />
      <FormError error={error} />
    </div>
  );
}
