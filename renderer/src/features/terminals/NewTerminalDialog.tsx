import { useEffect, useRef, type JSX } from 'react';
import { Dialog } from '../../components/Dialog';
import { sessionsStore, uiStore, useHosts, useSessions } from '../../stores/stores';
import { terminalChoices, type TerminalChoice } from './terminal-targets';
import { terminalsStore } from './terminals-window';

/** Props of {@link NewTerminalDialog}. */
export interface NewTerminalDialogProps {
  readonly onClose: () => void;
}

/**
 * New terminal: where it runs — this computer, a connected host, or a running session of yours.
 * Choosing one opens it in a new tab. The sessions are asked for as it opens.
 */
export function NewTerminalDialog({ onClose }: NewTerminalDialogProps): JSX.Element {
  const hosts = useHosts((s) => s.hosts);
  const sessions = useSessions((s) => s.sessions);
  const first = useRef<HTMLButtonElement>(null);
  const choices = terminalChoices(hosts, sessions);

  useEffect(() => void sessionsStore.getState().load(), []);

  const choose = (choice: TerminalChoice): void => {
    onClose();
    void terminalsStore.getState().openTab(choice.target);
  };

  return (
    <Dialog
      title="New terminal"
      onDismiss={onClose}
      initialFocus={first}
      className="terminal-new-dialog"
      testId="terminal-new-dialog"
    >
      <ul className="terminal-choices" aria-label="Where the terminal runs">
        {choices.map((choice, i) => (
          <li key={choice.key}>
            <button
              ref={i === 0 ? first : undefined}
              type="button"
              className="terminal-choice"
              data-testid={`terminal-choice-${choice.key}`}
              onClick={() => choose(choice)}
            >
              <span className="terminal-choice-label">{choice.label}</span>
              <span className="muted">{choice.detail}</span>
            </button>
          </li>
        ))}
      </ul>
      <p className="muted">
        Other hosts show here once they are connected; sessions of yours once they run.{' '}
        <button
          type="button"
          className="link-button"
          onClick={() => {
            onClose();
            uiStore.getState().showPage('hosts');
          }}
        >
          Go to Hosts
        </button>
      </p>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
