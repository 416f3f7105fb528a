import { useEffect, type JSX } from 'react';
import type { FolderView } from '../../../../common/contract/folders';
import { isDotFolder } from '../../../../common/folder-names';
import { SESSION_FOLDERS_DIR } from '../../../../common/folders/folder-view';
import { CheckboxField } from '../../components/CheckboxField';
import { foldersStore, useFolders } from '../../stores/stores';
import { mountableFolders, toggleMount } from './session-mounts';
import type { SessionMountChoice } from './session-form';

/** Props of {@link FolderMountPicker}. */
export interface FolderMountPickerProps {
  readonly hostId: string;
  readonly mounts: readonly SessionMountChoice[];
  readonly onChange: (mounts: readonly SessionMountChoice[]) => void;
}

/**
 * The session form's folders: the host's ready folders to mount at /home/work/NAME, each with
 * a read-only toggle (forced on for a read-only grant), and a note that dot-folders are
 * mounted into every session without asking.
 */
export function FolderMountPicker({
  hostId,
  mounts,
  onChange,
}: FolderMountPickerProps): JSX.Element {
  const entry = useFolders((s) => s.byHost[hostId]);
  useEffect(() => {
    if (hostId !== '') void foldersStore.getState().loadHost(hostId);
  }, [hostId]);
  const folders: readonly FolderView[] = entry?.phase === 'loaded' ? entry.listing.folders : [];
  const choices = mountableFolders(folders);
  const dots = folders.filter(
    (f) => f.permission === 'owner' && f.state === 'ready' && isDotFolder(f.name),
  );

  return (
    <fieldset className="fieldset session-mounts" data-testid="session-form-mounts">
      <legend>Folders</legend>
      {entry === undefined || entry.phase === 'loading' ? (
        <p className="muted">
          <span className="spinner spinner-small" aria-hidden="true" /> Listing the host’s folders…
        </p>
      ) : entry.phase === 'failed' ? (
        <p className="muted">Folders cannot be mounted here: {entry.error.message}</p>
      ) : choices.length === 0 ? (
        <p className="muted">No folder to mount on this host (make one on the Folders page).</p>
      ) : (
        choices.map((folder) => {
          const chosen = mounts.find((m) => m.name === folder.name);
          const forced = folder.permission === 'ro';
          return (
            <div
              key={folder.id}
              className="session-mount-row"
              data-testid="session-mount"
              data-folder={folder.name}
            >
              <CheckboxField
                label={`${folder.name} → ${SESSION_FOLDERS_DIR}/${folder.name}`}
                checked={chosen !== undefined}
                testId="session-mount-choose"
                onChange={(on) =>
                  onChange(toggleMount(mounts, folder, on, chosen?.readOnly ?? forced))
                }
              />
              <CheckboxField
                label="read-only"
                checked={forced || (chosen?.readOnly ?? false)}
                disabled={forced || chosen === undefined}
                help={forced ? 'shared with you read-only' : null}
                testId="session-mount-readonly"
                onChange={(readOnly) => onChange(toggleMount(mounts, folder, true, readOnly))}
              />
            </div>
          );
        })
      )}
      <p className="field-help" data-testid="session-mounts-note">
        Your dot-folders
        {dots.length > 0 ? ` (${dots.map((f) => f.name).join(', ')})` : ', like .local,'} are
        mounted into every session automatically.
      </p>
    </fieldset>
  );
}
