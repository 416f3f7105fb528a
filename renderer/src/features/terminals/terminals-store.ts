import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Client } from '../../../../common/contract/client';
import type { RequestOutput } from '../../../../common/contract/contract';
import type { AppError, Result } from '../../../../common/contract/result';
import type { Terminal, TerminalLink, TerminalTarget } from '../../../../common/contract/terminals';
import {
  defaultTerminalSettings,
  type TerminalSettings,
} from '../../../../common/terminals/terminal-settings';
import {
  defaultTerminalWorkspaces,
  type TerminalWorkspace,
  type TerminalWorkspaces,
} from '../../../../common/terminals/terminal-workspace';
import {
  addTab,
  canAddTab,
  findTerminal,
  normalizeWorkspace,
  paneFor,
  removePane,
  replacePane,
  selectPane,
  selectTab,
  splitTab,
  targetOfPane,
  type SplitDirection,
} from './workspace-edits';

/** How long the workspace waits after a change before it is saved: a burst is one save. */
export const TERMINAL_WORKSPACE_SAVE_DEBOUNCE_MS = 300;

/** The size a terminal is opened with, before its pane is measured and the fit resizes it. */
export const TERMINAL_OPEN_COLS = 80;
/** Rows of a terminal opened before its pane is measured. */
export const TERMINAL_OPEN_ROWS = 24;

/**
 * How a pane's link to its terminal stands, as its tab shows it: the services' {@link
 * TerminalLink} states, `attaching` before the first word from them, and `missing` when the
 * terminal is gone (ended while nobody watched, or its host forgot it).
 */
export interface PaneLink {
  readonly state: TerminalLink['link'] | 'attaching' | 'missing';
  readonly exitCode: number | null;
  readonly droppedBytes: number;
  readonly error?: AppError;
}

/** The link of a pane the window has not heard about yet. */
export const ATTACHING: PaneLink = { state: 'attaching', exitCode: null, droppedBytes: 0 };

/** Terminals listed by `terminals:list`. */
export type RunningTerminals = RequestOutput<'terminals:list'>;

/** What the `terminals` store needs from the rest of the window. */
export interface TerminalsStoreDeps {
  readonly client: Client;
  readonly showError: (error: AppError) => void;
  /** A unique tab id; tests pass a counter. */
  readonly newTabId?: () => string;
}

/**
 * The terminals domain as the window shows it — tabs, panes, links, settings — metadata only:
 * terminal bytes live in the xterm registry, never here.
 */
export interface TerminalsState {
  /** `loading` until the saved workspaces and settings arrived. */
  readonly status: 'idle' | 'loading' | 'loaded' | 'failed';
  readonly error: AppError | null;
  readonly workspaces: TerminalWorkspaces;
  /** The open workspace (the current one of {@link workspaces}). */
  readonly workspace: TerminalWorkspace;
  /** By terminal id. */
  readonly links: Readonly<Record<string, PaneLink>>;
  readonly settings: TerminalSettings;
  /** The last `terminals:list`, for the Running terminals list; null before it is asked. */
  readonly running: RunningTerminals | null;
  /** A `terminals:open` is under way. */
  readonly opening: boolean;
  /** The New terminal chooser is open (the page's button, the palette, Ctrl/⌘+Shift+T). */
  readonly newDialogOpen: boolean;
  /** Loads the saved workspaces and settings once. */
  load(): Promise<void>;
  /** Opens a new terminal at `target` in a new tab. */
  openTab(target: TerminalTarget): Promise<Result<Terminal>>;
  /** Splits the active tab with a new terminal where its active pane's terminal runs. */
  split(direction: SplitDirection): Promise<Result<Terminal> | undefined>;
  /** Shows a running terminal: its pane if one shows it, else a new tab attached to it. */
  show(terminal: Terminal): void;
  /** Starts a new terminal in place of a pane whose terminal ended or is gone. */
  restartPane(tabId: string, paneIndex: number): Promise<Result<Terminal> | undefined>;
  /**
   * Closes a pane: `end` closes its terminal (`terminals:close`), `detach` keeps it running
   * for the Running terminals list. The pane goes once that succeeded.
   */
  closePane(tabId: string, paneIndex: number, how: 'end' | 'detach'): Promise<Result<unknown>>;
  selectTab(tabId: string): void;
  selectPane(tabId: string, paneIndex: number): void;
  /** Records what the services or the stream said of a terminal's link. */
  setLink(terminalId: string, link: PaneLink): void;
  /** Asks every connected host for its terminals. */
  listRunning(): Promise<void>;
  /** Saves the settings; open terminals take them at once. */
  saveSettings(settings: TerminalSettings): Promise<Result<TerminalSettings>>;
  /** Opens or closes the New terminal chooser. */
  setNewDialog(open: boolean): void;
}

/** The `terminals` store's instance type. */
export type TerminalsStore = StoreApi<TerminalsState>;

/** Creates the `terminals` store. */
export function createTerminalsStore({
  client,
  showError,
  newTabId = () => crypto.randomUUID(),
}: TerminalsStoreDeps): TerminalsStore {
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  const initial = defaultTerminalWorkspaces();

  return createStore<TerminalsState>()((set, get) => {
    const save = (): void => {
      saveTimer = undefined;
      void client.request('terminals:save-workspaces', get().workspaces).then((result) => {
        if (!result.ok) showError(result.error);
      });
    };

    /** Replaces the open workspace and saves the lot a moment later (once loaded). */
    const edit = (change: (workspace: TerminalWorkspace) => TerminalWorkspace): void => {
      const before = get().workspace;
      const workspace = change(before);
      if (workspace === before) return;
      const { workspaces } = get();
      set({
        workspace,
        workspaces: {
          ...workspaces,
          workspaces: workspaces.workspaces.map((w) => (w.name === workspace.name ? workspace : w)),
        },
      });
      if (get().status !== 'loaded') return;
      clearTimeout(saveTimer);
      saveTimer = setTimeout(save, TERMINAL_WORKSPACE_SAVE_DEBOUNCE_MS);
    };

    const open = async (target: TerminalTarget): Promise<Result<Terminal>> => {
      set({ opening: true });
      const result = await client.request('terminals:open', {
        target,
        cols: TERMINAL_OPEN_COLS,
        rows: TERMINAL_OPEN_ROWS,
      });
      set({ opening: false });
      if (!result.ok) showError(result.error);
      return result;
    };

    return {
      status: 'idle',
      error: null,
      workspaces: initial,
      workspace: initial.workspaces[0]!,
      links: {},
      settings: defaultTerminalSettings(),
      running: null,
      opening: false,
      newDialogOpen: false,

      load: async () => {
        if (get().status === 'loading' || get().status === 'loaded') return;
        set({ status: 'loading', error: null });
        const [workspaces, settings] = await Promise.all([
          client.request('terminals:get-workspaces', {}),
          client.request('terminals:get-settings', {}),
        ]);
        if (!workspaces.ok || !settings.ok) {
          const error = !workspaces.ok ? workspaces.error : !settings.ok ? settings.error : null;
          set({ status: 'failed', error });
          return;
        }
        const saved = workspaces.value;
        const current = saved.workspaces.find((w) => w.name === saved.current)!;
        // Panes opened while loading (a host card's Open terminal) join the saved tabs.
        const pending = get().workspace.tabs;
        let workspace = normalizeWorkspace(current);
        for (const tab of pending) {
          if (!canAddTab(workspace)) break;
          workspace = { ...workspace, tabs: [...workspace.tabs, tab], activeTab: tab.id };
        }
        set({
          status: 'loaded',
          settings: settings.value,
          workspace,
          workspaces: {
            ...saved,
            workspaces: saved.workspaces.map((w) => (w.name === workspace.name ? workspace : w)),
          },
        });
        if (pending.length > 0) save();
      },

      openTab: async (target) => {
        const result = await open(target);
        if (result.ok) edit((w) => addTab(w, newTabId(), paneFor(result.value)));
        return result;
      },

      split: async (direction) => {
        const { workspace } = get();
        const tab = workspace.tabs.find((t) => t.id === workspace.activeTab);
        const pane = tab?.panes[tab.activePane];
        if (tab === undefined || pane === undefined) return undefined;
        const result = await open(targetOfPane(pane));
        if (result.ok) edit((w) => splitTab(w, tab.id, direction, paneFor(result.value)));
        return result;
      },

      show: (terminal) => {
        const shown = findTerminal(get().workspace, terminal.id);
        if (shown) {
          edit((w) => selectPane(selectTab(w, shown.tabId), shown.tabId, shown.paneIndex));
          return;
        }
        edit((w) => addTab(w, newTabId(), paneFor(terminal)));
      },

      restartPane: async (tabId, paneIndex) => {
        const pane = get().workspace.tabs.find((t) => t.id === tabId)?.panes[paneIndex];
        if (pane === undefined) return undefined;
        const result = await open(targetOfPane(pane));
        if (result.ok) edit((w) => replacePane(w, tabId, paneIndex, paneFor(result.value)));
        return result;
      },

      closePane: async (tabId, paneIndex, how) => {
        const pane = get().workspace.tabs.find((t) => t.id === tabId)?.panes[paneIndex];
        if (pane === undefined) return { ok: true, value: null };
        const link = get().links[pane.terminalId]?.state;
        // A terminal that ended or is gone has nothing left to close.
        if (how === 'end' && link !== 'ended' && link !== 'missing') {
          const result = await client.request('terminals:close', { id: pane.terminalId });
          if (!result.ok && result.error.code !== 'terminal-not-found') return result;
        }
        edit((w) => removePane(w, tabId, paneIndex));
        set((s) => {
          const { [pane.terminalId]: _gone, ...links } = s.links;
          return { links };
        });
        return { ok: true, value: null };
      },

      selectTab: (tabId) => edit((w) => selectTab(w, tabId)),

      selectPane: (tabId, paneIndex) =>
        edit((w) => selectPane(selectTab(w, tabId), tabId, paneIndex)),

      setLink: (terminalId, link) =>
        set((s) => {
          const was = s.links[terminalId];
          if (
            was?.state === link.state &&
            was.exitCode === link.exitCode &&
            was.droppedBytes === link.droppedBytes &&
            was.error?.code === link.error?.code
          ) {
            return s;
          }
          return { links: { ...s.links, [terminalId]: link } };
        }),

      listRunning: async () => {
        const result = await client.request('terminals:list', {});
        if (!result.ok) return showError(result.error);
        set({ running: result.value });
      },

      saveSettings: async (settings) => {
        const result = await client.request('terminals:save-settings', settings);
        if (result.ok) set({ settings: result.value });
        return result;
      },

      setNewDialog: (open) => set({ newDialogOpen: open }),
    };
  });
}
