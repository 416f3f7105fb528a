import { useId, useRef, useState, type FormEvent, type JSX } from 'react';
import type { FolderView } from '../../../../common/contract/folders';
import type { AppError } from '../../../../common/contract/result';
import { FOLDER_ACCESS } from '../../../../common/host-setup/privileged-ops';
import { Dialog } from '../../components/Dialog';
import { FormError } from '../../components/FormError';
import { TextField } from '../../components/TextField';
import { foldersStore, uiStore, useFolders } from '../../stores/stores';
import { FolderGrantees } from './FolderGrantees';
import { inviteeProblem } from './folder-form';
import { permissionLabel, sharedWith } from './folder-view';

/** Props of {@link ShareFolderDialog}. */
export interface ShareFolderDialogProps {
  readonly hostId: string;
  readonly folder: FolderView;
  readonly onClose: () => void;
}

/** What each permission lets the invitee do, in a researcher's words. */
const PERMISSION_HELP: Readonly<Record<(typeof FOLDER_ACCESS)[number], string>> = {
  ro: 'read its files',
  rw: 'read and write its files',
  wd: 'read, write and delete its files',
};

/**
 * Invites a user of the host to a folder of yours with a permission. They see it in their
 * Invitations and accept or reject it; until then it can be cancelled there. Above the form, who
 * the folder is shared with already, each with Remove access (or Cancel invitation).
 */
export function ShareFolderDialog({
  hostId,
  folder,
  onClose,
}: ShareFolderDialogProps): JSX.Element {
  const [user, setUser] = useState('');
  const [typed, setTyped] = useState(false);
  const [permission, setPermission] = useState<(typeof FOLDER_ACCESS)[number]>('ro');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<AppError | null>(null);
  const first = useRef<HTMLInputElement>(null);
  const legendId = useId();
  const problem = inviteeProblem(user, folder.owner);
  const invitations = useFolders((s) => {
    const entry = s.byHost[hostId];
    return entry?.phase === 'loaded' ? entry.listing.invitations : null;
  });
  const grantees = invitations === null ? null : sharedWith(invitations, folder.name);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setTyped(true);
    if (busy || problem !== undefined) return;
    setBusy(true);
    const result = await foldersStore
      .getState()
      .change(hostId, 'folders:invite', { name: folder.name, user: user.trim(), permission });
    setBusy(false);
    if (!result.ok) return setFailure(result.error);
    uiStore.getState().showToast({
      kind: 'success',
      message: `Invited ${result.value.invitee} to ${folder.name} (${permissionLabel(permission)}).`,
    });
    onClose();
  };

  return (
    <Dialog
      title={`Share ${folder.name}`}
      onDismiss={onClose}
      initialFocus={first}
      testId="folder-share-dialog"
    >
      <FolderGrantees
        hostId={hostId}
        folderName={folder.name}
        grantees={grantees}
        onRemoved={() => first.current?.focus()}
      />
      <form className="form" noValidate aria-busy={busy} onSubmit={(e) => void submit(e)}>
        <TextField
          label="User"
          help="Their login on this host. They accept or reject it in their Invitations."
          value={user}
          inputRef={first}
          errors={typed && problem ? [problem] : []}
          testId="folder-share-user"
          onChange={(next) => {
            setTyped(true);
            setUser(next);
            setFailure(null);
          }}
        />
        <fieldset className="fieldset" aria-labelledby={legendId}>
          <legend id={legendId}>Permission</legend>
          {FOLDER_ACCESS.map((access) => (
            <label key={access} className="import-choice">
              <input
                type="radio"
                name="permission"
                value={access}
                checked={permission === access}
                data-testid={`folder-share-${access}`}
                onChange={() => setPermission(access)}
              />
              <span>
                <strong>{permissionLabel(access)}</strong> — {PERMISSION_HELP[access]}
              </span>
            </label>
          ))}
        </fieldset>
        <FormError error={failure} testId="folder-share-error" />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={busy || (typed && problem !== undefined)}
            data-testid="folder-share-submit"
          >
            {busy && <span className="spinner" aria-hidden="true" />}
            Invite
          </button>
        </div>
      </form>
    </Dialog>
  );
}
