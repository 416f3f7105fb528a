import { useEffect, useRef, useState, type JSX } from 'react';
import type { TerminalPane as Pane } from '../../../../common/terminals/terminal-workspace';
import { LinkBadge } from './LinkBadge';
import { TerminalFindBar } from './TerminalFindBar';
import { ATTACHING, type PaneLink } from './terminals-store';
import { terminalRegistry, terminalsStore, useTerminals } from './terminals-window';
import { paneLabel } from './workspace-edits';

/** Props of {@link TerminalPane}. */
export interface TerminalPaneProps {
  readonly tabId: string;
  readonly index: number;
  readonly pane: Pane;
  /** This pane has the keyboard: its tab shows and it is the tab's active pane. */
  readonly active: boolean;
  readonly onClose: () => void;
}

/**
 * One pane: its terminal's label and link, the xterm the registry owns mounted into a div
 * (React never sees a byte of it), the find bar on Ctrl/⌘+Shift+F, and — once the terminal
 * ended or is gone — a way to start a new one in the same place.
 */
export function TerminalPane({
  tabId,
  index,
  pane,
  active,
  onClose,
}: TerminalPaneProps): JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const link = useTerminals((s) => s.links[pane.terminalId]) ?? ATTACHING;
  const opening = useTerminals((s) => s.opening);
  const [finding, setFinding] = useState(false);
  const label = paneLabel(pane);
  const over = link.state === 'ended' || link.state === 'missing';
  // Ended with an error: the link gave up (its host went away), the terminal may still run.
  const lostLink = link.state === 'ended' && link.error !== undefined;

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    return terminalRegistry.mount(pane.terminalId, element, { onFind: () => setFinding(true) });
  }, [pane.terminalId]);

  useEffect(() => {
    // Not while the tabs bar has the keyboard: arrowing through the tabs stays there.
    const inTabs = document.activeElement?.closest('[role="tablist"]') != null;
    if (active && !finding && !inTabs) terminalRegistry.focus(pane.terminalId);
  }, [active, finding, pane.terminalId]);

  const { selectPane, restartPane } = terminalsStore.getState();
  return (
    <section
      className={active ? 'terminal-pane terminal-pane-active' : 'terminal-pane'}
      aria-label={`Terminal ${label}`}
      data-testid="terminal-pane"
      data-terminal-id={pane.terminalId}
      data-link={link.state}
      onFocus={() => selectPane(tabId, index)}
      onMouseDown={() => selectPane(tabId, index)}
    >
      <header className="terminal-pane-header">
        <span className="terminal-pane-title" title={pane.title}>
          {label}
        </span>
        <LinkBadge link={link} testId="terminal-pane-link" />
        <button
          type="button"
          className="button button-small button-quiet"
          aria-label={`Find in ${label}`}
          title="Find (Ctrl/⌘+Shift+F)"
          onClick={() => setFinding(true)}
        >
          Find
        </button>
        <button
          type="button"
          className="button button-small button-quiet"
          aria-label={`Close ${label}`}
          data-testid="terminal-pane-close"
          onClick={onClose}
        >
          ×
        </button>
      </header>
      {finding && (
        <TerminalFindBar
          terminalId={pane.terminalId}
          onClose={() => {
            setFinding(false);
            terminalRegistry.focus(pane.terminalId);
          }}
        />
      )}
      <div className="terminal-pane-body">
        <div ref={host} className="terminal-pane-xterm" data-testid="terminal-xterm" />
        {over && (
          <div className="terminal-pane-over" role="status" data-testid="terminal-pane-over">
            <p>{overText(link)}</p>
            {link.error && <p className="muted">{link.error.message}</p>}
            <div className="card-actions">
              {lostLink && (
                <button
                  type="button"
                  className="button button-primary"
                  data-testid="terminal-pane-reattach"
                  onClick={() => terminalRegistry.reattach(pane.terminalId)}
                >
                  Reattach
                </button>
              )}
              <button
                type="button"
                className={lostLink ? 'button' : 'button button-primary'}
                aria-disabled={opening}
                data-testid="terminal-pane-restart"
                onClick={opening ? undefined : () => void restartPane(tabId, index)}
              >
                Start a new terminal here
              </button>
            </div>
          </div>
        )}
      </div>
    </section>
  );
}

/** What the pane says once its terminal ended, is gone, or its link gave up. */
function overText(link: PaneLink): string {
  if (link.state === 'missing') {
    return 'This terminal is gone: it ended while no window watched it, or its host no longer has it.';
  }
  if (link.error !== undefined) {
    return 'The link to this terminal ended. It may still run on its host: reattach once the host is connected.';
  }
  return link.exitCode === null
    ? 'This terminal has ended.'
    : `This terminal has ended (exit code ${link.exitCode}).`;
}
