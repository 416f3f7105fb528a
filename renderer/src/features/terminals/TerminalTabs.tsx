import type { JSX, KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { TerminalTab } from '../../../../common/terminals/terminal-workspace';
import { LinkBadge } from './LinkBadge';
import { tabLink } from './link-view';
import { ATTACHING } from './terminals-store';
import { terminalRegistry, terminalsStore, useTerminals } from './terminals-window';
import { tabLabel } from './workspace-edits';

/** The DOM id of a tab's panel, which its tab controls. */
export function tabPanelId(tabId: string): string {
  return `terminal-panel-${tabId}`;
}

/** Props of {@link TerminalTabs}. */
export interface TerminalTabsProps {
  readonly onCloseTab: (tab: TerminalTab) => void;
}

/**
 * The tabs bar: one tab per terminal tab, with the link of its panes that most needs attention
 * (attached, reattaching…, ended); Left/Right/Home/End move between tabs (WAI-ARIA tabs), a
 * click or Enter goes into the tab's terminal.
 */
export function TerminalTabs({ onCloseTab }: TerminalTabsProps): JSX.Element {
  const { tabs, activeTab } = useTerminals(
    useShallow((s) => ({ tabs: s.workspace.tabs, activeTab: s.workspace.activeTab })),
  );
  const links = useTerminals((s) => s.links);
  const { selectTab } = terminalsStore.getState();

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const index = tabs.findIndex((t) => t.id === activeTab);
    const next = {
      ArrowRight: (index + 1) % tabs.length,
      ArrowLeft: (index - 1 + tabs.length) % tabs.length,
      Home: 0,
      End: tabs.length - 1,
    }[event.key];
    const tab = next === undefined ? undefined : tabs[next];
    if (tab === undefined) return;
    event.preventDefault();
    selectTab(tab.id);
    document.getElementById(`terminal-tab-${tab.id}`)?.focus();
  };

  return (
    <div className="terminal-tabs" role="tablist" aria-label="Terminal tabs" onKeyDown={onKeyDown}>
      {tabs.map((tab) => {
        const selected = tab.id === activeTab;
        const link = tabLink(tab.panes.map((p) => links[p.terminalId] ?? ATTACHING));
        const title = tabLabel(tab);
        return (
          <div
            key={tab.id}
            className={selected ? 'terminal-tab terminal-tab-selected' : 'terminal-tab'}
            data-testid="terminal-tab"
          >
            <button
              id={`terminal-tab-${tab.id}`}
              type="button"
              role="tab"
              className="terminal-tab-button"
              aria-selected={selected}
              aria-controls={tabPanelId(tab.id)}
              tabIndex={selected ? 0 : -1}
              title={title}
              onClick={() => {
                selectTab(tab.id);
                // A click (or Enter) on a tab means "go there": once it shows, type into it.
                const pane = tab.panes[tab.activePane];
                if (pane) requestAnimationFrame(() => terminalRegistry.focus(pane.terminalId));
              }}
            >
              <span className="terminal-tab-title">{title}</span>
              {link && <LinkBadge link={link} testId="terminal-tab-link" />}
            </button>
            <button
              type="button"
              className="terminal-tab-close"
              aria-label={`Close tab ${title}`}
              data-testid="terminal-tab-close"
              onClick={() => onCloseTab(tab)}
            >
              ×
            </button>
          </div>
        );
      })}
    </div>
  );
}
