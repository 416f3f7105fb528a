import type { Terminal, TerminalTarget } from '../../../../common/contract/terminals';
import {
  TERMINAL_PANES_PER_TAB_MAX,
  TERMINAL_TABS_MAX,
  type TerminalPane,
  type TerminalTab,
  type TerminalWorkspace,
} from '../../../../common/terminals/terminal-workspace';

/**
 * Pure edits of a terminal workspace (tabs, their panes, which one is active), each returning a
 * new workspace: the terminals store applies them and saves the result.
 */

/** Which way a pane splits: `row` puts the new pane to the right, `column` below. */
export type SplitDirection = TerminalTab['split'];

/** The pane a new terminal shows in, remembering its target so it can be started again there. */
export function paneFor(terminal: Terminal): TerminalPane {
  return { terminalId: terminal.id, hostId: terminal.hostId, title: terminal.target };
}

/**
 * Where a pane's terminal ran, read back from its title (`host:NAME` or `session:NAME@HOST`,
 * the terminal's `target`): what "Start a new terminal" opens when the old one is gone.
 */
export function targetOfPane(pane: TerminalPane): TerminalTarget {
  const session = /^session:(.+)@[^@]*$/.exec(pane.title);
  if (session?.[1] !== undefined) {
    return { kind: 'session', session: session[1], hostId: pane.hostId };
  }
  return { kind: 'host', hostId: pane.hostId };
}

/** A pane's short label for its tab: the session's name and host, or the host's name. */
export function paneLabel(pane: TerminalPane): string {
  const session = /^session:(.+)@([^@]*)$/.exec(pane.title);
  if (session) return `${session[1]} @ ${session[2]}`;
  const host = /^host:(.+)$/.exec(pane.title);
  return host?.[1] ?? (pane.title || pane.terminalId);
}

/**
 * A tab's label: its panes' labels, each once, with how many panes show it when more than one
 * ("train @ lab ×2 | lab").
 */
export function tabLabel(tab: TerminalTab): string {
  const counts = new Map<string, number>();
  for (const pane of tab.panes) {
    const label = paneLabel(pane);
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].map(([label, n]) => (n > 1 ? `${label} ×${n}` : label)).join(' | ');
}

/** True when another tab may be added. */
export function canAddTab(workspace: TerminalWorkspace): boolean {
  return workspace.tabs.length < TERMINAL_TABS_MAX;
}

/** True when the tab may be split once more. */
export function canSplit(tab: TerminalTab): boolean {
  return tab.panes.length < TERMINAL_PANES_PER_TAB_MAX;
}

/** Adds a tab showing `pane` after the others and makes it the active one. */
export function addTab(
  workspace: TerminalWorkspace,
  tabId: string,
  pane: TerminalPane,
): TerminalWorkspace {
  if (!canAddTab(workspace)) return workspace;
  const tab: TerminalTab = {
    id: tabId,
    title: paneLabel(pane),
    split: 'row',
    panes: [pane],
    activePane: 0,
  };
  return { ...workspace, tabs: [...workspace.tabs, tab], activeTab: tabId };
}

/**
 * Adds `pane` after the tab's active pane, splitting the tab in `direction` (a tab's panes all
 * go one way; the last split chooses it), and gives it the keyboard.
 */
export function splitTab(
  workspace: TerminalWorkspace,
  tabId: string,
  direction: SplitDirection,
  pane: TerminalPane,
): TerminalWorkspace {
  return mapTab(workspace, tabId, (tab) => {
    if (!canSplit(tab)) return tab;
    const at = tab.activePane + 1;
    const panes = [...tab.panes.slice(0, at), pane, ...tab.panes.slice(at)];
    return { ...tab, split: direction, panes, activePane: at };
  });
}

/**
 * Removes one pane; a tab left without panes goes, and the active tab becomes its neighbour
 * (the one after it, else the one before).
 */
export function removePane(
  workspace: TerminalWorkspace,
  tabId: string,
  paneIndex: number,
): TerminalWorkspace {
  const tab = workspace.tabs.find((t) => t.id === tabId);
  if (tab === undefined || tab.panes[paneIndex] === undefined) return workspace;
  if (tab.panes.length === 1) return removeTab(workspace, tabId);
  return mapTab(workspace, tabId, (t) => {
    const panes = t.panes.filter((_, i) => i !== paneIndex);
    const activePane = Math.min(
      t.activePane > paneIndex ? t.activePane - 1 : t.activePane,
      panes.length - 1,
    );
    return { ...t, panes, activePane, title: paneLabel(panes[0] ?? t.panes[0]!) };
  });
}

/** Removes a whole tab, as {@link removePane} does for its last pane. */
export function removeTab(workspace: TerminalWorkspace, tabId: string): TerminalWorkspace {
  const index = workspace.tabs.findIndex((t) => t.id === tabId);
  if (index < 0) return workspace;
  const tabs = workspace.tabs.filter((t) => t.id !== tabId);
  let activeTab = workspace.activeTab;
  if (activeTab === tabId) activeTab = (tabs[index] ?? tabs[index - 1])?.id ?? null;
  return { ...workspace, tabs, activeTab };
}

/** Makes a tab the active one. */
export function selectTab(workspace: TerminalWorkspace, tabId: string): TerminalWorkspace {
  if (!workspace.tabs.some((t) => t.id === tabId) || workspace.activeTab === tabId) {
    return workspace;
  }
  return { ...workspace, activeTab: tabId };
}

/** Gives one pane of a tab the keyboard. */
export function selectPane(
  workspace: TerminalWorkspace,
  tabId: string,
  paneIndex: number,
): TerminalWorkspace {
  return mapTab(workspace, tabId, (tab) =>
    tab.panes[paneIndex] === undefined || tab.activePane === paneIndex
      ? tab
      : { ...tab, activePane: paneIndex },
  );
}

/** Puts `pane` in place of the pane at `paneIndex` (a new terminal where one ended). */
export function replacePane(
  workspace: TerminalWorkspace,
  tabId: string,
  paneIndex: number,
  pane: TerminalPane,
): TerminalWorkspace {
  return mapTab(workspace, tabId, (tab) => {
    if (tab.panes[paneIndex] === undefined) return tab;
    const panes = tab.panes.map((p, i) => (i === paneIndex ? pane : p));
    return { ...tab, panes, title: paneLabel(panes[0]!) };
  });
}

/** Where a terminal is shown, if it is: its tab and pane index. */
export function findTerminal(
  workspace: TerminalWorkspace,
  terminalId: string,
): { readonly tabId: string; readonly paneIndex: number } | undefined {
  for (const tab of workspace.tabs) {
    const paneIndex = tab.panes.findIndex((p) => p.terminalId === terminalId);
    if (paneIndex >= 0) return { tabId: tab.id, paneIndex };
  }
  return undefined;
}

/** Every terminal id the workspace shows. */
export function terminalIdsOf(workspace: TerminalWorkspace): ReadonlySet<string> {
  return new Set(workspace.tabs.flatMap((t) => t.panes.map((p) => p.terminalId)));
}

/**
 * A workspace as saved, made safe to show: an active tab that is not there becomes the first,
 * an active pane past the end the last.
 */
export function normalizeWorkspace(workspace: TerminalWorkspace): TerminalWorkspace {
  const tabs = workspace.tabs.map((tab) =>
    tab.activePane < tab.panes.length ? tab : { ...tab, activePane: tab.panes.length - 1 },
  );
  const activeTab = tabs.some((t) => t.id === workspace.activeTab)
    ? workspace.activeTab
    : (tabs[0]?.id ?? null);
  return { ...workspace, tabs, activeTab };
}

function mapTab(
  workspace: TerminalWorkspace,
  tabId: string,
  edit: (tab: TerminalTab) => TerminalTab,
): TerminalWorkspace {
  let changed = false;
  const tabs = workspace.tabs.map((tab) => {
    if (tab.id !== tabId) return tab;
    const edited = edit(tab);
    changed ||= edited !== tab;
    return edited;
  });
  return changed ? { ...workspace, tabs } : workspace;
}
