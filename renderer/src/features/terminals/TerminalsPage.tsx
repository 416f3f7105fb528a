import '@xterm/xterm/css/xterm.css';
import '../../styles/terminals.css';
import { useEffect, useState, type JSX } from 'react';
import type { AppError } from '../../../../common/contract/result';
import type { TerminalTab } from '../../../../common/terminals/terminal-workspace';
import { ClosePaneDialog } from './ClosePaneDialog';
import { NewTerminalDialog } from './NewTerminalDialog';
import { RunningTerminalsDialog } from './RunningTerminalsDialog';
import { TerminalPane } from './TerminalPane';
import { TerminalSettingsDialog } from './TerminalSettingsDialog';
import { tabPanelId, TerminalTabs } from './TerminalTabs';
import { terminalsStore, useTerminals } from './terminals-window';
import { canAddTab, canSplit, paneLabel } from './workspace-edits';

/** A pane, or every pane of a tab, the user asked to close. */
interface Closing {
  readonly tab: TerminalTab;
  /** Undefined for the whole tab. */
  readonly paneIndex?: number;
}

type PageDialog = 'running' | 'settings' | null;

/**
 * Terminals into sessions and hosts, in one window: tabs of up to four panes split side by side
 * or stacked, each attached to a durable terminal on its host, restored as they were when the
 * window opens again. New terminal (Ctrl/⌘+Shift+T), split, close (end the terminal or keep it
 * running), the terminals still running, and the terminals' settings.
 */
export function TerminalsPage(): JSX.Element {
  const status = useTerminals((s) => s.status);
  const error = useTerminals((s) => s.error);
  const workspace = useTerminals((s) => s.workspace);
  const opening = useTerminals((s) => s.opening);
  const newDialogOpen = useTerminals((s) => s.newDialogOpen);
  const [dialog, setDialog] = useState<PageDialog>(null);
  const [closing, setClosing] = useState<Closing | null>(null);
  const store = terminalsStore.getState();
  const active = workspace.tabs.find((t) => t.id === workspace.activeTab);

  useEffect(() => void terminalsStore.getState().load(), []);

  const askClose = (target: Closing): void => {
    const panes =
      target.paneIndex === undefined ? target.tab.panes : [target.tab.panes[target.paneIndex]!];
    const links = terminalsStore.getState().links;
    const over = panes.every((p) => {
      const state = links[p.terminalId]?.state;
      return state === 'ended' || state === 'missing';
    });
    // Nothing left to end or keep: close at once.
    if (over) void closeAll(target, 'detach');
    else setClosing(target);
  };

  const splitDisabled = opening || active === undefined || !canSplit(active);
  return (
    <div className="page terminals-page">
      <header className="page-header page-header-actions">
        <div>
          <h1>Terminals</h1>
          <p className="page-lede">
            Shells in your sessions and on your hosts. They keep running when the connection drops
            or the window closes, and show what you missed when you come back.
          </p>
        </div>
        <div className="page-actions">
          <button
            type="button"
            className="button button-primary"
            aria-disabled={opening || !canAddTab(workspace)}
            aria-keyshortcuts="Control+Shift+T Meta+Shift+T"
            data-testid="terminal-new"
            onClick={opening || !canAddTab(workspace) ? undefined : () => store.setNewDialog(true)}
          >
            {opening && <span className="spinner" aria-hidden="true" />}
            New terminal
          </button>
          <button
            type="button"
            className="button"
            aria-disabled={splitDisabled}
            data-testid="terminal-split-right"
            onClick={splitDisabled ? undefined : () => void store.split('row')}
          >
            Split right
          </button>
          <button
            type="button"
            className="button"
            aria-disabled={splitDisabled}
            data-testid="terminal-split-down"
            onClick={splitDisabled ? undefined : () => void store.split('column')}
          >
            Split down
          </button>
          <button
            type="button"
            className="button"
            data-testid="terminal-running-open"
            onClick={() => setDialog('running')}
          >
            Running terminals
          </button>
          <button
            type="button"
            className="button"
            data-testid="terminal-settings-open"
            onClick={() => setDialog('settings')}
          >
            Settings
          </button>
        </div>
      </header>
      {status === 'failed' && error && <LoadError error={error} />}
      {status === 'loading' && workspace.tabs.length === 0 && (
        <p className="muted" role="status">
          <span className="spinner spinner-small" aria-hidden="true" /> Restoring your terminals…
        </p>
      )}
      {status !== 'loading' && workspace.tabs.length === 0 && (
        <div className="empty-state" data-testid="terminals-empty">
          <p className="empty-title">No terminals open.</p>
          <p>
            New terminal opens one on this computer, on a connected host or in a running session of
            yours; Running terminals shows those still running from before.
          </p>
        </div>
      )}
      {workspace.tabs.length > 0 && (
        <div className="terminal-workspace">
          <TerminalTabs onCloseTab={(tab) => askClose({ tab })} />
          {workspace.tabs.map((tab) => (
            <div
              key={tab.id}
              id={tabPanelId(tab.id)}
              role="tabpanel"
              aria-labelledby={`terminal-tab-${tab.id}`}
              className={`terminal-panel terminal-panel-${tab.split}`}
              hidden={tab.id !== workspace.activeTab}
              data-testid="terminal-panel"
            >
              {tab.panes.map((pane, index) => (
                <TerminalPane
                  key={pane.terminalId}
                  tabId={tab.id}
                  index={index}
                  pane={pane}
                  active={tab.id === workspace.activeTab && index === tab.activePane}
                  onClose={() => askClose({ tab, paneIndex: index })}
                />
              ))}
            </div>
          ))}
        </div>
      )}
      {newDialogOpen && <NewTerminalDialog onClose={() => store.setNewDialog(false)} />}
      {dialog === 'running' && <RunningTerminalsDialog onClose={() => setDialog(null)} />}
      {dialog === 'settings' && <TerminalSettingsDialog onClose={() => setDialog(null)} />}
      {closing && (
        <ClosePaneDialog
          what={
            closing.paneIndex === undefined && closing.tab.panes.length > 1
              ? `the ${closing.tab.panes.length} terminals of this tab`
              : paneLabel(closing.tab.panes[closing.paneIndex ?? 0]!)
          }
          onChoose={(how) => closeAll(closing, how)}
          onClose={() => setClosing(null)}
        />
      )}
    </div>
  );
}

/** Closes the pane, or each pane of the tab from the last; the first failure stops it. */
async function closeAll(target: Closing, how: 'end' | 'detach'): Promise<AppError | null> {
  const indexes =
    target.paneIndex === undefined
      ? target.tab.panes.map((_, i) => i).reverse()
      : [target.paneIndex];
  for (const index of indexes) {
    const result = await terminalsStore.getState().closePane(target.tab.id, index, how);
    if (!result.ok) return result.error;
  }
  return null;
}

function LoadError({ error }: { readonly error: AppError }): JSX.Element {
  return (
    <div className="empty-state empty-state-error" role="alert" data-testid="terminals-error">
      <p className="empty-title">Your terminals could not be restored.</p>
      <p>{error.message}</p>
      {error.hint && <p>{error.hint}</p>}
    </div>
  );
}
