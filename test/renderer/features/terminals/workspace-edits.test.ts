import { describe, expect, it } from 'vitest';
import type { Terminal } from '../../../../common/contract/terminals';
import {
  TERMINAL_PANES_PER_TAB_MAX,
  terminalWorkspacesSchema,
  type TerminalPane,
  type TerminalWorkspace,
} from '../../../../common/terminals/terminal-workspace';
import {
  addTab,
  findTerminal,
  normalizeWorkspace,
  paneFor,
  paneLabel,
  removePane,
  removeTab,
  replacePane,
  tabLabel,
  selectPane,
  splitTab,
  targetOfPane,
  terminalIdsOf,
} from '../../../../renderer/src/features/terminals/workspace-edits';

const empty: TerminalWorkspace = { name: 'Default', tabs: [], activeTab: null };
const pane = (n: number, title = `host:lab`): TerminalPane => ({
  terminalId: n.toString(16).padStart(12, '0'),
  hostId: 'h-lab',
  title,
});
const valid = (w: TerminalWorkspace) =>
  terminalWorkspacesSchema.safeParse({ current: w.name, workspaces: [w] }).success;

describe('workspace edits', () => {
  it('remembers where a terminal ran, so a new one can start in the same place', () => {
    const session: Terminal = {
      id: 'abcdefabcdef',
      hostId: 'h-lab',
      host: 'lab',
      target: 'session:train@lab',
      session: 'train',
      title: 'bash',
      state: 'running',
      exitCode: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      attached: 1,
      cols: 80,
      rows: 24,
    };
    const p = paneFor(session);
    expect(targetOfPane(p)).toEqual({ kind: 'session', session: 'train', hostId: 'h-lab' });
    expect(paneLabel(p)).toBe('train @ lab');
    const host = paneFor({ ...session, target: 'host:lab', session: null });
    expect(targetOfPane(host)).toEqual({ kind: 'host', hostId: 'h-lab' });
    expect(paneLabel(host)).toBe('lab');
    // A session name with an @ in it: the host is what follows the last one.
    expect(targetOfPane(pane(1, 'session:a@b@lab'))).toMatchObject({ session: 'a@b' });
  });

  it('adds tabs, each becoming the active one, and the result is what the contract saves', () => {
    let w = addTab(empty, 't1', pane(1));
    w = addTab(w, 't2', pane(2));
    expect(w.tabs.map((t) => t.id)).toEqual(['t1', 't2']);
    expect(w.activeTab).toBe('t2');
    expect(valid(w)).toBe(true);
  });

  it('splits after the active pane up to the limit, giving the new pane the keyboard', () => {
    let w = addTab(empty, 't1', pane(1));
    w = splitTab(w, 't1', 'column', pane(2));
    w = selectPane(w, 't1', 0);
    w = splitTab(w, 't1', 'row', pane(3));
    const tab = w.tabs[0]!;
    expect(tab.panes.map((p) => p.terminalId.slice(-1))).toEqual(['1', '3', '2']);
    expect(tab.activePane).toBe(1);
    expect(tab.split).toBe('row');
    for (let n = 4; n < 10; n++) w = splitTab(w, 't1', 'row', pane(n));
    expect(w.tabs[0]!.panes).toHaveLength(TERMINAL_PANES_PER_TAB_MAX);
    expect(valid(w)).toBe(true);
  });

  it('removes a pane keeping the same pane active, and a tab with its last pane', () => {
    let w = addTab(empty, 't1', pane(1));
    w = splitTab(w, 't1', 'row', pane(2));
    w = splitTab(w, 't1', 'row', pane(3));
    w = selectPane(w, 't1', 2);
    w = removePane(w, 't1', 0);
    expect(w.tabs[0]!.panes.map((p) => p.terminalId.slice(-1))).toEqual(['2', '3']);
    expect(w.tabs[0]!.activePane).toBe(1);
    w = removePane(w, 't1', 1);
    expect(w.tabs[0]!.activePane).toBe(0);
    w = removePane(w, 't1', 0);
    expect(w.tabs).toEqual([]);
    expect(w.activeTab).toBeNull();
  });

  it('makes the next tab active when the active one closes, else the one before', () => {
    let w = addTab(addTab(addTab(empty, 'a', pane(1)), 'b', pane(2)), 'c', pane(3));
    w = removeTab({ ...w, activeTab: 'b' }, 'b');
    expect(w.activeTab).toBe('c');
    w = removeTab(w, 'c');
    expect(w.activeTab).toBe('a');
    // Closing a tab that is not active keeps the active one.
    w = addTab(w, 'd', pane(4));
    expect(removeTab(w, 'a').activeTab).toBe('d');
  });

  it('replaces an ended pane with a new terminal in the same place', () => {
    let w = addTab(empty, 't1', pane(1));
    w = splitTab(w, 't1', 'row', pane(2));
    w = replacePane(w, 't1', 0, pane(9));
    expect(findTerminal(w, pane(9).terminalId)).toEqual({ tabId: 't1', paneIndex: 0 });
    expect(findTerminal(w, pane(1).terminalId)).toBeUndefined();
    expect([...terminalIdsOf(w)]).toEqual([pane(9).terminalId, pane(2).terminalId]);
  });

  it('labels a tab with each of its panes once, counting repeats', () => {
    let w = addTab(empty, 't1', pane(1, 'session:train@lab'));
    w = splitTab(w, 't1', 'row', pane(2, 'session:train@lab'));
    w = splitTab(w, 't1', 'row', pane(3, 'host:lab'));
    expect(tabLabel(w.tabs[0]!)).toBe('train @ lab ×2 | lab');
  });

  it('makes a saved workspace safe to show', () => {
    const w = addTab(empty, 't1', pane(1));
    const broken = { ...w, activeTab: 'gone', tabs: [{ ...w.tabs[0]!, activePane: 3 }] };
    const fixed = normalizeWorkspace(broken);
    expect(fixed.activeTab).toBe('t1');
    expect(fixed.tabs[0]!.activePane).toBe(0);
  });

  it('returns the same workspace when an edit changes nothing (no save follows)', () => {
    const w = addTab(empty, 't1', pane(1));
    expect(selectPane(w, 't1', 0)).toBe(w);
    expect(removePane(w, 'nope', 0)).toBe(w);
    expect(replacePane(w, 't1', 5, pane(2))).toBe(w);
  });
});
