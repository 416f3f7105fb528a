import type { JSX } from 'react';
import type { Result } from '../../../../common/contract/result';
import type { HostSummary } from '../../../../common/hosts/host-summary';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { hostSetupStore } from '../../stores/stores';

/** Props of {@link UndoSetupDialog}. */
export interface UndoSetupDialogProps {
  readonly host: HostSummary;
  /** Cancel or Escape. */
  readonly onClose: () => void;
  /** The undo ran; its report is in the setup dialog. */
  readonly onUndone: () => void;
}

/**
 * Asks before taking host setup back, saying what goes: the helper, the sudo rule, the group
 * setup created, LabDeck's empty directories; what setup replaced comes back as it was. The
 * undo's report shows in the setup dialog underneath once it is done.
 */
export function UndoSetupDialog({ host, onClose, onUndone }: UndoSetupDialogProps): JSX.Element {
  const undo = async (): Promise<Result<unknown>> =>
    (await hostSetupStore.getState().run(host.id, { mode: 'undo', volumes: [] })) ?? {
      ok: false,
      error: {
        code: 'setup-running',
        message: `Host setup is still running on ${host.name}.`,
        hint: 'Wait for it to finish, then undo it.',
      },
    };

  return (
    <ConfirmDialog
      title={`Undo setup of ${host.name}?`}
      body={
        <>
          Undo takes back what host setup installed on {host.name}: LabDeck&apos;s helper under{' '}
          <code>/opt/labdeck</code>, the sudo rule <code>/etc/sudoers.d/labdeck</code>, the{' '}
          <code>labdeck</code> group if setup created it, and LabDeck&apos;s directories that
          nothing was written to since. The lab&apos;s configuration goes back to what it was before
          setup. Until the host is set up again, none of its users gets folders with quotas or
          shared dotfiles.
        </>
      }
      confirmLabel="Undo setup"
      onConfirm={undo}
      onConfirmed={onUndone}
      onClose={onClose}
      testId="setup-undo-dialog"
      confirmTestId="setup-undo-confirm"
    />
  );
}
