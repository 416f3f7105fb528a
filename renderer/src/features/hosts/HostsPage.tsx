import { useRef, useState, type JSX } from 'react';
import type { HostSummary } from '../../../../common/hosts/host-summary';
import { hostsStore, uiStore } from '../../stores/stores';
import { GpuTable } from '../gpus/GpuTable';
import { assertNever } from '../../util/assert-never';
import { HostFormDialog } from './HostFormDialog';
import { DoctorDialog } from './DoctorDialog';
import { focusHostCard } from './focus-host-card';
import { HostList, type HostDialogKind } from './HostList';
import type { ImportPreview, ImportReport } from './hosts-store';
import { ImportPreviewDialog } from './ImportPreviewDialog';
import { ImportResultDialog } from './ImportResultDialog';
import { RemoveHostDialog } from './RemoveHostDialog';
import { ReplaceHostKeyDialog } from './ReplaceHostKeyDialog';
import { useHostsIntent } from './use-hosts-intent';

/** The one dialog the Hosts page may have open. */
type HostsDialog =
  | { readonly kind: 'add' }
  | { readonly kind: HostDialogKind; readonly host: HostSummary }
  | { readonly kind: 'import-preview'; readonly preview: ImportPreview }
  | { readonly kind: 'imported'; readonly report: ImportReport };

/**
 * The machines LabDeck can start sessions on: their connections, Docker engines and GPUs, with
 * buttons to add a host by hand or import the hosts of `~/.ssh/config`.
 */
export function HostsPage(): JSX.Element {
  const [dialog, setDialog] = useState<HostsDialog | null>(null);
  const [importing, setImporting] = useState(false);
  const addButton = useRef<HTMLButtonElement>(null);
  const close = (): void => setDialog(null);
  // The removed host's card took the focused button with it: land on "Add host" instead.
  const removed = (): void => {
    close();
    requestAnimationFrame(() => addButton.current?.focus());
  };
  // The new host's card takes the focus (not "Add host"), and connects when the form said so.
  const added = (host: HostSummary, connect: boolean): void => {
    close();
    focusHostCard(host.id, 'card');
    if (connect) void hostsStore.getState().connect(host.id);
  };

  // First what the file holds, to choose from; then only the chosen hosts are added.
  const previewImport = async (): Promise<void> => {
    if (importing) return;
    setImporting(true);
    const result = await hostsStore.getState().previewImport();
    setImporting(false);
    if (result.ok) setDialog({ kind: 'import-preview', preview: result.value });
    else uiStore.getState().showError(result.error);
  };
  const importChosen = async (names: readonly string[]): Promise<void> => {
    const result = await hostsStore.getState().importSshConfig(names);
    if (result.ok) setDialog({ kind: 'imported', report: result.value });
    else uiStore.getState().showError(result.error);
  };

  // The command palette and Ctrl/⌘+N open this page's dialogs.
  useHostsIntent((intent) => {
    if (intent.kind === 'add') return setDialog({ kind: 'add' });
    if (intent.kind === 'import') return void previewImport();
    const host = hostsStore.getState().hosts.find((h) => h.id === intent.hostId);
    if (host) setDialog({ kind: intent.kind, host });
  });

  return (
    <div className="page">
      <header className="page-header page-header-actions">
        <div>
          <h1>Hosts</h1>
          <p className="page-lede">
            The machines LabDeck can start sessions on: connections, Docker engines and GPUs.
          </p>
        </div>
        <div className="page-actions">
          <button
            type="button"
            className="button"
            aria-disabled={importing}
            data-testid="hosts-import"
            onClick={() => void previewImport()}
          >
            {importing && <span className="spinner" aria-hidden="true" />}
            Import from ~/.ssh/config
          </button>
          <button
            ref={addButton}
            type="button"
            className="button button-primary"
            data-testid="hosts-add"
            onClick={() => setDialog({ kind: 'add' })}
          >
            Add host
          </button>
        </div>
      </header>
      <GpuTable />
      <HostList onOpen={(kind, host) => setDialog({ kind, host })} />
      {dialog && (
        <PageDialog
          dialog={dialog}
          onClose={close}
          onAdded={added}
          onRemoved={removed}
          onImport={importChosen}
        />
      )}
    </div>
  );
}

interface PageDialogProps {
  readonly dialog: HostsDialog;
  readonly onClose: () => void;
  readonly onAdded: (host: HostSummary, connect: boolean) => void;
  readonly onRemoved: () => void;
  readonly onImport: (names: readonly string[]) => Promise<void>;
}

function PageDialog({
  dialog,
  onClose,
  onAdded,
  onRemoved,
  onImport,
}: PageDialogProps): JSX.Element {
  switch (dialog.kind) {
    case 'add':
      return <HostFormDialog onClose={onClose} onAdded={onAdded} />;
    case 'edit':
      return <HostFormDialog host={dialog.host} onClose={onClose} />;
    case 'remove':
      return <RemoveHostDialog host={dialog.host} onClose={onClose} onRemoved={onRemoved} />;
    case 'check':
      return <DoctorDialog host={dialog.host} onClose={onClose} />;
    case 'replace-key':
      return <ReplaceHostKeyDialog host={dialog.host} onClose={onClose} />;
    case 'import-preview':
      return <ImportPreviewDialog preview={dialog.preview} onImport={onImport} onClose={onClose} />;
    case 'imported':
      return <ImportResultDialog report={dialog.report} onClose={onClose} />;
    default:
      return assertNever(dialog);
  }
}
