import { useEffect, useRef, type JSX } from 'react';
import { Dialog } from '../../components/Dialog';
import { terminalsStore, useTerminals } from './terminals-window';
import { terminalIdsOf } from './workspace-edits';

/** Props of {@link RunningTerminalsDialog}. */
export interface RunningTerminalsDialogProps {
  readonly onClose: () => void;
}

/**
 * Every terminal the connected hosts' agents keep — from this window, another one, or the CLI —
 * with Show, which opens it in a tab (or goes to the tab that shows it) and replays its output.
 */
export function RunningTerminalsDialog({ onClose }: RunningTerminalsDialogProps): JSX.Element {
  const running = useTerminals((s) => s.running);
  const workspace = useTerminals((s) => s.workspace);
  const close = useRef<HTMLButtonElement>(null);
  const shown = terminalIdsOf(workspace);

  useEffect(() => void terminalsStore.getState().listRunning(), []);

  return (
    <Dialog
      title="Running terminals"
      onDismiss={onClose}
      initialFocus={close}
      className="terminal-running-dialog"
      testId="terminal-running"
    >
      {running === null ? (
        <p className="muted">
          <span className="spinner spinner-small" aria-hidden="true" /> Asking the hosts…
        </p>
      ) : running.terminals.length === 0 ? (
        <p className="muted" data-testid="terminal-running-empty">
          No terminals run on the connected hosts.
        </p>
      ) : (
        <ul className="terminal-running-list">
          {running.terminals.map((terminal) => (
            <li key={`${terminal.hostId}-${terminal.id}`} data-testid="terminal-running-item">
              <span className="terminal-running-target">{terminal.target}</span>
              <span className="muted">
                {terminal.state === 'running'
                  ? `running · ${terminal.attached} attached`
                  : `exited (exit code ${terminal.exitCode ?? '?'})`}
                {' · '}
                {terminal.id}
              </span>
              <button
                type="button"
                className="button button-small"
                aria-label={`Show ${terminal.target} (${terminal.id})`}
                onClick={() => {
                  terminalsStore.getState().show(terminal);
                  onClose();
                }}
              >
                {shown.has(terminal.id) ? 'Go to tab' : 'Show'}
              </button>
            </li>
          ))}
        </ul>
      )}
      {running?.unreachable.map((host) => (
        <p key={host.hostId} className="notice notice-warning">
          {host.host}: {host.message}
        </p>
      ))}
      <div className="dialog-actions">
        <button
          type="button"
          className="button"
          onClick={() => void terminalsStore.getState().listRunning()}
        >
          Refresh
        </button>
        <button ref={close} type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
