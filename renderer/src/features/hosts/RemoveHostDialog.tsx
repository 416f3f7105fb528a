import type { JSX } from 'react';
import type { HostSummary } from '../../../../common/hosts/host-summary';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { hostsStore, uiStore } from '../../stores/stores';

/** Props of {@link RemoveHostDialog}. */
export interface RemoveHostDialogProps {
  readonly host: HostSummary;
  readonly onClose: () => void;
  /** Called instead of `onClose` once the host is gone (its card, and the opener, with it). */
  readonly onRemoved: () => void;
}

/**
 * Asks before forgetting a host. Cancel has the focus, so Enter right after the click that
 * opened the dialog keeps the host; a failure stays in the dialog with its reason.
 */
export function RemoveHostDialog({ host, onClose, onRemoved }: RemoveHostDialogProps): JSX.Element {
  return (
    <ConfirmDialog
      title={`Remove ${host.name}?`}
      body={
        <>
          LabDeck disconnects from <strong>{host.name}</strong> ({host.address}) and forgets it.
          Nothing on the host itself is changed, and you can add it again later.
        </>
      }
      confirmLabel="Remove host"
      onConfirm={() => hostsStore.getState().remove(host.id)}
      onConfirmed={() => {
        uiStore.getState().showToast({ kind: 'success', message: `Removed ${host.name}.` });
        onRemoved();
      }}
      onClose={onClose}
      testId="remove-host-dialog"
      confirmTestId="remove-host-confirm"
    />
  );
}
