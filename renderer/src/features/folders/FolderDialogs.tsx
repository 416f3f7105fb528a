import { useState, type JSX } from 'react';
import type { FolderView } from '../../../../common/contract/folders';
import { CheckboxField } from '../../components/CheckboxField';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { foldersStore, uiStore } from '../../stores/stores';
import { assertNever } from '../../util/assert-never';
import { folderNameProblem, parseQuota, quotaText } from './folder-form';
import type { FolderAction } from './FolderRow';
import type { FolderListing } from './folder-view';
import { FolderFieldDialog } from './FolderFieldDialog';
import { ShareFolderDialog } from './ShareFolderDialog';

/** Props of {@link FolderActionDialog}. */
export interface FolderActionDialogProps {
  readonly hostId: string;
  readonly action: Exclude<FolderAction, 'restore'>;
  readonly folder: FolderView;
  readonly listing: FolderListing;
  readonly onClose: () => void;
}

/** The dialog a folder row's button opens: a field to fill, or a confirmation. */
export function FolderActionDialog({
  hostId,
  action,
  folder,
  listing,
  onClose,
}: FolderActionDialogProps): JSX.Element {
  const store = foldersStore.getState();
  const done = (message: string) => () => {
    uiStore.getState().showToast({ kind: 'success', message });
    onClose();
  };
  switch (action) {
    case 'rename':
      return (
        <FolderFieldDialog
          title={`Rename ${folder.name}`}
          label="New name"
          initial={folder.name}
          check={(value) => folderNameProblem(value, listing.folders, folder.name)}
          submitLabel="Rename"
          onSubmit={(rename) =>
            store.change(hostId, 'folders:update', { name: folder.name, rename })
          }
          onDone={(rename) => done(`Renamed ${folder.name} to ${rename}.`)()}
          onClose={onClose}
          testId="folder-rename-dialog"
        />
      );
    case 'quota':
      return <QuotaDialog hostId={hostId} folder={folder} onClose={onClose} />;
    case 'clone':
      return (
        <FolderFieldDialog
          title={`Clone ${folder.name}`}
          label="Name of the copy"
          help="A new folder of yours on the same volume; large folders take a while (the row shows the progress)."
          initial={`${folder.name.replace(/^\./, '')}-copy`}
          check={(value) => folderNameProblem(value, listing.folders)}
          submitLabel="Clone"
          onSubmit={(target) => store.clone(hostId, { source: folder.name, target })}
          onDone={(target) => done(`Cloning ${folder.name} into ${target}…`)()}
          onClose={onClose}
          testId="folder-clone-dialog"
        />
      );
    case 'share':
      return <ShareFolderDialog hostId={hostId} folder={folder} onClose={onClose} />;
    case 'trash':
      return (
        <ConfirmDialog
          title={`Move ${folder.name} to the trash?`}
          body={`It stays in the Trash, with its files, until you delete it forever; you can restore it until then.`}
          confirmLabel="Move to trash"
          onConfirm={() => store.change(hostId, 'folders:trash', { name: folder.name })}
          onConfirmed={done(`Moved ${folder.name} to the trash.`)}
          onClose={onClose}
          testId="folder-trash-dialog"
          confirmTestId="folder-trash-confirm"
        />
      );
    case 'purge':
      return (
        <ConfirmDialog
          title={`Delete ${folder.name} forever?`}
          body="Its files, its quota and its invitations go for good. This cannot be undone."
          confirmLabel="Delete forever"
          onConfirm={() => store.change(hostId, 'folders:purge', { name: folder.name })}
          onConfirmed={done(`Deleted ${folder.name}.`)}
          onClose={onClose}
          testId="folder-purge-dialog"
          confirmTestId="folder-purge-confirm"
        />
      );
    case 'leave':
      return (
        <ConfirmDialog
          title={`Leave ${folder.name}?`}
          body={`You lose your access to ${folder.owner}’s folder; its files and its other members stay as they are.`}
          confirmLabel="Leave"
          onConfirm={() => store.change(hostId, 'folders:leave', { name: folder.name })}
          onConfirmed={done(`Left ${folder.name}.`)}
          onClose={onClose}
          testId="folder-leave-dialog"
          confirmTestId="folder-leave-confirm"
        />
      );
    default:
      return assertNever(action);
  }
}

/** Props of {@link QuotaDialog}. */
interface QuotaDialogProps {
  readonly hostId: string;
  readonly folder: FolderView;
  readonly onClose: () => void;
}

/** Sets a folder's quota (as `10g`, empty for none) and whether others may clone it. */
function QuotaDialog({ hostId, folder, onClose }: QuotaDialogProps): JSX.Element {
  const [cloneable, setCloneable] = useState(folder.cloneable);
  return (
    <FolderFieldDialog
      title={`Quota of ${folder.name}`}
      label="Quota"
      help="500m, 10g, 2TiB; empty for no limit."
      initial={quotaText(folder.quota.limitBytes)}
      check={(value) => {
        const parsed = parseQuota(value);
        return parsed.ok ? undefined : parsed.message;
      }}
      submitLabel="Save"
      onSubmit={(value) => {
        const parsed = parseQuota(value);
        const quotaBytes = parsed.ok ? parsed.bytes : folder.quota.limitBytes;
        return foldersStore
          .getState()
          .change(hostId, 'folders:update', { name: folder.name, quotaBytes, cloneable });
      }}
      onDone={() => {
        uiStore.getState().showToast({ kind: 'success', message: `Saved ${folder.name}.` });
        onClose();
      }}
      onClose={onClose}
      testId="folder-quota-dialog"
    >
      <CheckboxField
        label="Others may clone it"
        help="Lets anyone who can read it copy it into a folder of their own."
        checked={cloneable}
        testId="folder-quota-cloneable"
        onChange={setCloneable}
      />
    </FolderFieldDialog>
  );
}
