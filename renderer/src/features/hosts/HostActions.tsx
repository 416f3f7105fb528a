import type { JSX } from 'react';
import type { HostSummary } from '../../../../common/hosts/host-summary';
import { Icon } from '../../components/Icon';
import { hostsStore, useHosts } from '../../stores/stores';
import { openTerminal } from '../terminals/open-terminal';
import { canConnect, canDisconnect } from './connection-view';

/** Props of {@link HostActions}. */
export interface HostActionsProps {
  readonly host: HostSummary;
  readonly onCheck: () => void;
  readonly onEdit: () => void;
  readonly onRemove: () => void;
}

/**
 * An SSH host's buttons: Connect (or "Connect now" while waiting to reconnect) or Disconnect,
 * Open terminal (a login shell there, while connected), Check (the Doctor panel), Edit and
 * Remove. A button whose request is under way shows a spinner and stays focusable
 * (`aria-disabled`), so the keyboard user keeps their place. Each is named with the host
 * ("Connect gpu-lab"), so a screen reader's list of buttons tells them apart; when Connect gives
 * way to Disconnect (or back), focus moves to the one shown (`data-focus-primary`).
 */
export function HostActions({ host, onCheck, onEdit, onRemove }: HostActionsProps): JSX.Element {
  const actions = useHosts((s) => s.actions[host.id]) ?? {};
  const { connection } = host;
  const { connect, disconnect } = hostsStore.getState();

  return (
    <div className="card-actions">
      {canConnect(connection) && (
        <button
          type="button"
          className="button button-primary"
          aria-disabled={actions.connecting}
          aria-label={connectName(connection.phase, host.name)}
          data-focus-primary=""
          data-testid="host-connect"
          onClick={actions.connecting ? undefined : () => void connect(host.id)}
        >
          {actions.connecting && <span className="spinner" aria-hidden="true" />}
          {connectLabel(connection.phase)}
        </button>
      )}
      {canDisconnect(connection) && (
        <button
          type="button"
          className="button"
          aria-disabled={actions.disconnecting}
          aria-label={`Disconnect ${host.name}`}
          data-focus-primary=""
          data-testid="host-disconnect"
          onClick={actions.disconnecting ? undefined : () => void disconnect(host.id)}
        >
          {actions.disconnecting && <span className="spinner" aria-hidden="true" />}
          Disconnect
        </button>
      )}
      {connection.phase === 'connected' && <OpenTerminalButton host={host} />}
      <DoctorButton hostName={host.name} onClick={onCheck} />
      <button
        type="button"
        className="button"
        aria-label={`Edit ${host.name}`}
        data-testid="host-edit"
        onClick={onEdit}
      >
        Edit
      </button>
      <button
        type="button"
        className="button"
        aria-label={`Remove ${host.name}`}
        data-testid="host-remove"
        onClick={onRemove}
      >
        Remove
      </button>
    </div>
  );
}

/** Props of {@link OpenTerminalButton}. */
export interface OpenTerminalButtonProps {
  readonly host: HostSummary;
}

/** "Open terminal": the Terminals page, with a new tab holding a login shell on the host. */
export function OpenTerminalButton({ host }: OpenTerminalButtonProps): JSX.Element {
  return (
    <button
      type="button"
      className="button"
      aria-label={`Open a terminal on ${host.name}`}
      data-testid="host-terminal"
      onClick={() => openTerminal({ kind: 'host', hostId: host.id })}
    >
      Open terminal
    </button>
  );
}

/** Props of {@link DoctorButton}. */
export interface DoctorButtonProps {
  readonly hostName: string;
  readonly onClick: () => void;
}

/** "Check": opens the Doctor panel, which checks every step of reaching the host. */
export function DoctorButton({ hostName, onClick }: DoctorButtonProps): JSX.Element {
  return (
    <button
      type="button"
      className="button"
      aria-label={`Check ${hostName}`}
      title="Check every step of reaching this host, with a fix for each problem"
      data-testid="host-check"
      onClick={onClick}
    >
      <Icon name="doctor" />
      Check
    </button>
  );
}

/** The accessible name of the Connect button: its label with the host's name. */
function connectName(phase: HostSummary['connection']['phase'], hostName: string): string {
  // The visible words first, so "click Connect now" still finds it by voice.
  if (phase === 'reconnecting') return `Connect now to ${hostName}`;
  return `${connectLabel(phase)} ${hostName}`;
}

function connectLabel(phase: HostSummary['connection']['phase']): string {
  if (phase === 'failed') return 'Retry';
  if (phase === 'reconnecting') return 'Connect now';
  return 'Connect';
}
