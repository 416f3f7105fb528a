import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppError } from '../../../../common/contract/result';
import type { Terminal, TerminalTarget } from '../../../../common/contract/terminals';
import { defaultTerminalSettings } from '../../../../common/terminals/terminal-settings';
import type { TerminalWorkspaces } from '../../../../common/terminals/terminal-workspace';
import {
  createTerminalsStore,
  TERMINAL_WORKSPACE_SAVE_DEBOUNCE_MS,
  type TerminalsStore,
} from '../../../../renderer/src/features/terminals/terminals-store';
import { deferred, FakeClient } from '../../fake-client';

let next = 0;
function terminal(target: TerminalTarget, hostName = 'lab'): Terminal {
  next += 1;
  return {
    id: next.toString(16).padStart(12, '0'),
    hostId: target.hostId ?? 'h-lab',
    host: hostName,
    target: target.kind === 'host' ? `host:${hostName}` : `session:${target.session}@${hostName}`,
    session: target.kind === 'session' ? target.session : null,
    title: 'bash',
    state: 'running',
    exitCode: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    attached: 1,
    cols: 80,
    rows: 24,
  };
}

const saved: TerminalWorkspaces = {
  current: 'Default',
  workspaces: [
    {
      name: 'Default',
      activeTab: 'gone',
      tabs: [
        {
          id: 'old',
          title: 'lab',
          split: 'row',
          panes: [{ terminalId: 'aaaaaaaaaaaa', hostId: 'h-lab', title: 'host:lab' }],
          activePane: 0,
        },
      ],
    },
  ],
};

describe('terminals store', () => {
  let client: FakeClient;
  let errors: AppError[];
  let store: TerminalsStore;
  let tabIds: number;

  const saves = () => client.requests.filter((r) => r.channel === 'terminals:save-workspaces');
  const calls = (channel: string) => client.requests.filter((r) => r.channel === channel);

  beforeEach(() => {
    vi.useFakeTimers();
    tabIds = 0;
    client = new FakeClient()
      .succeed('terminals:get-workspaces', saved)
      .succeed('terminals:get-settings', { ...defaultTerminalSettings(), fontSize: 15 })
      .succeed('terminals:save-workspaces', {})
      .succeed('terminals:close', { closed: true })
      .answer('terminals:open', async ({ target }) => ({ ok: true, value: terminal(target) }));
    errors = [];
    store = createTerminalsStore({
      client,
      showError: (error) => errors.push(error),
      newTabId: () => `tab-${++tabIds}`,
    });
  });

  afterEach(() => vi.useRealTimers());

  it('restores the saved workspace and settings, an active tab that is gone made the first', async () => {
    await store.getState().load();
    const { workspace, settings, status } = store.getState();
    expect(status).toBe('loaded');
    expect(workspace.tabs.map((t) => t.id)).toEqual(['old']);
    expect(workspace.activeTab).toBe('old');
    expect(settings.fontSize).toBe(15);
  });

  it('opens a tab at the target asked, sized to start, and saves a burst of changes once', async () => {
    await store.getState().load();
    const result = await store.getState().openTab({ kind: 'host', hostId: 'h-lab' });
    expect(result.ok).toBe(true);
    expect(calls('terminals:open')[0]!.input).toEqual({
      target: { kind: 'host', hostId: 'h-lab' },
      cols: 80,
      rows: 24,
    });
    store.getState().selectTab('old');
    store.getState().selectTab('tab-1');
    expect(saves()).toHaveLength(0);
    vi.advanceTimersByTime(TERMINAL_WORKSPACE_SAVE_DEBOUNCE_MS);
    expect(saves()).toHaveLength(1);
    const sent = saves()[0]!.input as TerminalWorkspaces;
    expect(sent.workspaces[0]!.tabs.map((t) => t.id)).toEqual(['old', 'tab-1']);
    expect(sent.workspaces[0]!.activeTab).toBe('tab-1');
  });

  it('keeps a tab opened before the saved ones arrived, after them, and saves it', async () => {
    const held = deferred<{ ok: true; value: TerminalWorkspaces }>();
    client.answer('terminals:get-workspaces', () => held.promise);
    const loading = store.getState().load();
    await store.getState().openTab({ kind: 'host', hostId: 'h-lab' });
    // Not saved before the saved workspace is known: it would overwrite it.
    vi.advanceTimersByTime(TERMINAL_WORKSPACE_SAVE_DEBOUNCE_MS);
    expect(saves()).toHaveLength(0);
    held.resolve({ ok: true, value: saved });
    await loading;
    expect(store.getState().workspace.tabs.map((t) => t.id)).toEqual(['old', 'tab-1']);
    expect(store.getState().workspace.activeTab).toBe('tab-1');
    expect(saves()).toHaveLength(1);
  });

  it('shows a failed open and adds no tab', async () => {
    await store.getState().load();
    const refused: AppError = { code: 'host-not-connected', message: 'lab is not connected.' };
    client.fail('terminals:open', refused);
    const result = await store.getState().openTab({ kind: 'host', hostId: 'h-lab' });
    expect(result.ok).toBe(false);
    expect(errors).toEqual([refused]);
    expect(store.getState().workspace.tabs).toHaveLength(1);
    expect(store.getState().opening).toBe(false);
  });

  it('splits with a new terminal where the active pane runs', async () => {
    await store.getState().load();
    await store.getState().openTab({ kind: 'session', session: 'train', hostId: 'h-lab' });
    await store.getState().split('column');
    expect(calls('terminals:open')[1]!.input).toMatchObject({
      target: { kind: 'session', session: 'train', hostId: 'h-lab' },
    });
    const tab = store.getState().workspace.tabs[1]!;
    expect(tab.split).toBe('column');
    expect(tab.panes).toHaveLength(2);
    expect(tab.activePane).toBe(1);
  });

  it('ends a terminal with terminals:close, or only detaches it, when its pane closes', async () => {
    await store.getState().load();
    await store.getState().openTab({ kind: 'host', hostId: 'h-lab' });
    const id = store.getState().workspace.tabs[1]!.panes[0]!.terminalId;
    expect((await store.getState().closePane('tab-1', 0, 'end')).ok).toBe(true);
    expect(calls('terminals:close').map((r) => r.input)).toEqual([{ id }]);
    expect(store.getState().workspace.tabs.map((t) => t.id)).toEqual(['old']);
    await store.getState().closePane('old', 0, 'detach');
    expect(calls('terminals:close')).toHaveLength(1);
    expect(store.getState().workspace.tabs).toEqual([]);
  });

  it('keeps the pane when ending its terminal failed, and says why', async () => {
    await store.getState().load();
    const down: AppError = { code: 'host-not-connected', message: 'lab is not connected.' };
    client.fail('terminals:close', down);
    const result = await store.getState().closePane('old', 0, 'end');
    expect(result).toEqual({ ok: false, error: down });
    expect(store.getState().workspace.tabs).toHaveLength(1);
  });

  it('does not ask to close a terminal that already ended', async () => {
    await store.getState().load();
    store.getState().setLink('aaaaaaaaaaaa', { state: 'ended', exitCode: 3, droppedBytes: 0 });
    await store.getState().closePane('old', 0, 'end');
    expect(calls('terminals:close')).toHaveLength(0);
    expect(store.getState().links).toEqual({});
  });

  it('starts a new terminal in place of one that is gone', async () => {
    await store.getState().load();
    store.getState().setLink('aaaaaaaaaaaa', { state: 'missing', exitCode: null, droppedBytes: 0 });
    await store.getState().restartPane('old', 0);
    expect(calls('terminals:open')[0]!.input).toMatchObject({
      target: { kind: 'host', hostId: 'h-lab' },
    });
    const panes = store.getState().workspace.tabs[0]!.panes;
    expect(panes).toHaveLength(1);
    expect(panes[0]!.terminalId).not.toBe('aaaaaaaaaaaa');
  });

  it('shows a running terminal in its tab if one shows it, else in a new tab', async () => {
    await store.getState().load();
    await store.getState().openTab({ kind: 'host', hostId: 'h-lab' });
    const old = { ...terminal({ kind: 'host', hostId: 'h-lab' }), id: 'aaaaaaaaaaaa' };
    store.getState().show(old);
    expect(store.getState().workspace.activeTab).toBe('old');
    store.getState().show(terminal({ kind: 'host', hostId: 'h-lab' }));
    expect(store.getState().workspace.tabs).toHaveLength(3);
    expect(store.getState().workspace.activeTab).toBe('tab-2');
  });

  it('saves settings and keeps what the services answered', async () => {
    const answered = { ...defaultTerminalSettings(), fontFamily: 'JetBrains Mono' };
    client.succeed('terminals:save-settings', answered);
    await store.getState().saveSettings({ ...answered, fontFamily: ' JetBrains Mono ' });
    expect(store.getState().settings).toEqual(answered);
  });
});
