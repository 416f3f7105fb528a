import { useRef, type JSX } from 'react';
import { shortcutHelp } from '../navigation/shortcuts';
import { useApp } from '../stores/stores';
import { IS_MAC } from '../util/platform';
import { Dialog } from './Dialog';

/** Props of {@link ShortcutsDialog}. */
export interface ShortcutsDialogProps {
  readonly onClose: () => void;
}

/** The keyboard shortcuts (`?`), in the platform's words and the run mode's. */
export function ShortcutsDialog({ onClose }: ShortcutsDialogProps): JSX.Element {
  const mode = useApp((s) => s.info?.mode ?? null);
  const close = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      title="Keyboard shortcuts"
      onDismiss={onClose}
      initialFocus={close}
      className="shortcuts-dialog"
      testId="shortcuts-dialog"
    >
      <dl className="shortcut-list">
        {shortcutHelp(IS_MAC, mode).map((line) => (
          <div key={line.what} className="shortcut-row" data-testid="shortcut">
            <dt>{line.keys.map((key) => (key === '…' ? ' … ' : <kbd key={key}>{key}</kbd>))}</dt>
            <dd>{line.what}</dd>
          </div>
        ))}
      </dl>
      <p className="muted">Shortcuts wait while you type in a field, except Esc.</p>
      <div className="dialog-actions">
        <button ref={close} type="button" className="button button-primary" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
