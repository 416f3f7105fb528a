import { useEffect, useId, useMemo, useRef, useState, type JSX, type KeyboardEvent } from 'react';
import { focusHostCard } from '../features/hosts/focus-host-card';
import {
  filterCommands,
  paletteCommands,
  type PaletteAction,
  type PaletteCommand,
} from '../navigation/palette-commands';
import { terminalsStore } from '../features/terminals/terminals-window';
import { hostsStore, sessionsStore, uiStore, useHosts, useSessions } from '../stores/stores';
import { assertNever } from '../util/assert-never';
import { Dialog } from './Dialog';

/** Props of {@link CommandPalette}. */
export interface CommandPaletteProps {
  readonly onClose: () => void;
}

/**
 * The command palette (Ctrl/⌘+K): type to filter the hosts' actions (connect, disconnect,
 * check, edit), adding and importing hosts, a new session, your running sessions' Open and Stop,
 * and the pages; Up/Down move, Enter runs, Escape closes. The sessions are asked for as it opens
 * (their store polls only while the Sessions page shows). A combobox over a listbox (WAI-ARIA's
 * pattern), so focus stays in the text field and screen readers follow the active option; the
 * modal dialog traps Tab and gives focus back.
 */
export function CommandPalette({ onClose }: CommandPaletteProps): JSX.Element {
  const hosts = useHosts((s) => s.hosts);
  const sessions = useSessions((s) => s.sessions);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();
  const shown = useMemo(
    () => filterCommands(paletteCommands(hosts, sessions), query),
    [hosts, sessions, query],
  );
  const current = Math.min(active, shown.length - 1);
  const optionId = (command: PaletteCommand): string => `${listId}-${command.id}`;

  useEffect(() => void sessionsStore.getState().load(), []);

  const choose = (command: PaletteCommand | undefined): void => {
    if (command === undefined) return;
    onClose();
    runPaletteAction(command.action);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    const count = shown.length;
    if (count === 0) return;
    const move = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    if (move !== undefined) {
      event.preventDefault();
      setActive((current + move + count) % count);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      choose(shown[current]);
    }
  };

  return (
    <Dialog
      title="Command palette"
      onDismiss={onClose}
      initialFocus={input}
      className="palette-dialog"
      testId="command-palette"
    >
      <input
        ref={input}
        className="input palette-input"
        type="text"
        role="combobox"
        aria-label="Command"
        aria-expanded="true"
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={shown[current] ? optionId(shown[current]) : undefined}
        placeholder="Type a host or an action…"
        autoComplete="off"
        spellCheck={false}
        value={query}
        data-testid="palette-input"
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <ul id={listId} className="palette-list" role="listbox" aria-label="Commands">
        {shown.map((command, i) => (
          <li
            key={command.id}
            id={optionId(command)}
            role="option"
            aria-selected={i === current}
            className="palette-option"
            data-testid="palette-option"
            onMouseMove={() => setActive(i)}
            onClick={() => choose(command)}
          >
            <span className="palette-label">{command.label}</span>
            {command.detail && <span className="palette-detail">{command.detail}</span>}
          </li>
        ))}
      </ul>
      {shown.length === 0 && (
        <p className="palette-empty" role="status" data-testid="palette-empty">
          Nothing matches “{query}”.
        </p>
      )}
    </Dialog>
  );
}

/** Does what a palette command says, once the palette has closed. */
function runPaletteAction(action: PaletteAction): void {
  const ui = uiStore.getState();
  switch (action.kind) {
    case 'connect':
      void hostsStore.getState().connect(action.hostId);
      return focusHostCard(action.hostId, 'primary');
    case 'disconnect':
      void hostsStore.getState().disconnect(action.hostId);
      return focusHostCard(action.hostId, 'primary');
    case 'check':
    case 'edit':
      return ui.requestHosts({ kind: action.kind, hostId: action.hostId });
    case 'add-host':
      return ui.requestHosts({ kind: 'add' });
    case 'import':
      return ui.requestHosts({ kind: 'import' });
    case 'new-session':
      return ui.requestSessions({ kind: 'new' });
    case 'new-terminal':
      ui.showPage('terminals');
      return terminalsStore.getState().setNewDialog(true);
    case 'open-service':
      // Still inside the key press or click: the store opens the tab before it waits.
      return void sessionsStore.getState().open(action.session, action.service);
    case 'stop-session':
      ui.showPage('sessions');
      return void sessionsStore.getState().stop(action.session);
    case 'page':
      return ui.showPage(action.page);
    case 'shortcuts':
      return ui.openOverlay('shortcuts');
    default:
      return assertNever(action);
  }
}
