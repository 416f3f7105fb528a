import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import { Terminal } from '@xterm/xterm';
import type { Client } from '../../../../common/contract/client';
import type { StreamControl } from '../../../../common/contract/transport';
import type { TerminalSettings } from '../../../../common/terminals/terminal-settings';
import { IS_MAC } from '../../util/platform';
import { createTerminalFlowControl } from './terminal-flow-control';
import { terminalKeyFor } from './terminal-keys';
import { adoptXtermStyles } from './xterm-csp-styles';
import { terminalTheme } from './terminal-themes';
import type { PaneLink } from './terminals-store';

/** How long a pane's size must stay still before the pty is told: a drag is one resize. */
export const TERMINAL_RESIZE_DEBOUNCE_MS = 100;

/** What a mounted pane lets the terminal ask of it. */
export interface PaneHooks {
  /** Ctrl/⌘+Shift+F in the terminal: show the find bar. */
  readonly onFind: () => void;
}

/** The find bar's view of one terminal's search addon. */
export interface TerminalSearch {
  findNext(query: string): boolean;
  findPrevious(query: string): boolean;
  clear(): void;
}

/** What the registry needs from the window. */
export interface XtermRegistryDeps {
  readonly client: Client;
  /** Every change of a terminal's link, for its tab and pane to show. */
  readonly onLink: (terminalId: string, link: PaneLink) => void;
  readonly settings: () => TerminalSettings;
}

/**
 * The xterm.js instances of the window, keyed by terminal id, with their attach streams, flow
 * control and resizes — outside React and zustand, so no terminal byte passes through either
 * (STYLE.md; Tabby keeps its frontend outside change detection the same way). A pane mounts a
 * terminal's element into its div and unmounts it again (a tab switch keeps the terminal and its
 * stream); {@link XtermRegistry.dispose} ends both.
 */
export interface XtermRegistry {
  /** Shows terminal `id` in `container`, creating and attaching it on first use; returns the unmount. */
  mount(id: string, container: HTMLElement, hooks: PaneHooks): () => void;
  /** Closes the terminal's stream and frees its xterm. */
  dispose(id: string): void;
  /** Disposes every terminal whose id is not in `keep`. */
  retain(keep: ReadonlySet<string>): void;
  /** Applies font, size, theme and scrollback to every open terminal. */
  applySettings(settings: TerminalSettings): void;
  /**
   * Attaches again after the link gave up (its host went away): the screen is cleared and the
   * agent's buffer replayed into it, so nothing shows twice.
   */
  reattach(id: string): void;
  /** Gives the terminal the keyboard. */
  focus(id: string): void;
  /** The terminal's search, for the find bar. */
  search(id: string): TerminalSearch | undefined;
}

interface Entry {
  readonly term: Terminal;
  readonly element: HTMLDivElement;
  readonly fit: FitAddon;
  readonly searchAddon: SearchAddon;
  opened: boolean;
  stream: StreamControl | null;
  unlisten: () => void;
  link: PaneLink;
  hooks: PaneHooks | null;
  observer: ResizeObserver | null;
  resizeTimer: ReturnType<typeof setTimeout> | undefined;
  /** Stops mirroring xterm's `<style>` elements (see xterm-csp-styles.ts). */
  stopStyles: () => void;
}

const SEARCH_DECORATIONS = {
  matchOverviewRuler: '#e5c07b',
  activeMatchColorOverviewRuler: '#e06c75',
  activeMatchBackground: '#e06c75',
  matchBackground: '#8a6100',
} as const;

/** Opens a link from the terminal through the app's one safe external opener. */
function openLink(_event: MouseEvent, uri: string): void {
  // Electron's window-open handler decides what may open; in a browser this is a new tab.
  window.open(uri, '_blank', 'noopener,noreferrer');
}

/** Creates the window's registry. */
export function createXtermRegistry({
  client,
  onLink,
  settings,
}: XtermRegistryDeps): XtermRegistry {
  const entries = new Map<string, Entry>();
  const encoder = new TextEncoder();
  const darkQuery = window.matchMedia('(prefers-color-scheme: dark)');

  const optionsOf = (s: TerminalSettings) => ({
    fontFamily: s.fontFamily,
    fontSize: s.fontSize,
    scrollback: s.scrollback,
    theme: terminalTheme(s.theme, darkQuery.matches),
  });

  darkQuery.addEventListener('change', () => registry.applySettings(settings()));

  const setLink = (id: string, entry: Entry, link: PaneLink): void => {
    entry.link = link;
    entry.term.options.disableStdin = link.state !== 'attached';
    entry.element.dataset.link = link.state;
    onLink(id, link);
  };

  const send = (entry: Entry, bytes: Uint8Array): void => {
    if (entry.link.state === 'attached') entry.stream?.write(bytes);
  };

  const attach = (id: string, entry: Entry): void => {
    const { term } = entry;
    const flow = createTerminalFlowControl((bytes) => entry.stream?.ack(bytes));
    entry.unlisten = client.listen(
      'terminals:link',
      { id },
      {
        event: (event) =>
          setLink(id, entry, {
            state: event.link,
            exitCode: event.exitCode,
            droppedBytes: event.droppedBytes,
            ...(event.error === undefined ? {} : { error: event.error }),
          }),
      },
    );
    entry.stream = client.openStream(
      'terminals:attach',
      { id, cols: term.cols, rows: term.rows },
      {
        data: (bytes) => {
          // Output arriving is the surest sign of a link, should its event come later.
          if (entry.link.state === 'attaching')
            setLink(id, entry, { ...entry.link, state: 'attached' });
          const length = bytes.byteLength;
          flow.written(length);
          term.write(bytes, () => flow.parsed(length));
        },
        end: (error) => {
          entry.stream = null;
          if (error?.code === 'terminal-not-found') {
            setLink(id, entry, { ...entry.link, state: 'missing', error });
          } else {
            setLink(id, entry, {
              ...entry.link,
              state: 'ended',
              ...(error === undefined ? {} : { error }),
            });
          }
        },
      },
    );
  };

  const create = (id: string): Entry => {
    const term = new Terminal({
      ...optionsOf(settings()),
      allowProposedApi: true,
      cursorBlink: true,
      disableStdin: true,
    });
    const element = document.createElement('div');
    element.className = 'terminal-xterm';
    element.dataset.terminalId = id;
    const fit = new FitAddon();
    const searchAddon = new SearchAddon();
    term.loadAddon(fit);
    term.loadAddon(searchAddon);
    term.loadAddon(new WebLinksAddon(openLink));
    term.loadAddon(new Unicode11Addon());
    term.unicode.activeVersion = '11';
    const entry: Entry = {
      term,
      element,
      fit,
      searchAddon,
      opened: false,
      stream: null,
      unlisten: () => {},
      link: { state: 'attaching', exitCode: null, droppedBytes: 0 },
      hooks: null,
      observer: null,
      resizeTimer: undefined,
      // Before term.open, so the first styles xterm writes are mirrored too.
      stopStyles: adoptXtermStyles(element),
    };
    term.onData((data) => send(entry, encoder.encode(data)));
    term.onBinary((data) =>
      send(
        entry,
        Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff),
      ),
    );
    term.onResize(({ cols, rows }) => {
      clearTimeout(entry.resizeTimer);
      entry.resizeTimer = setTimeout(() => {
        if (entry.stream === null) return;
        void client.request('terminals:resize', { id, cols, rows });
      }, TERMINAL_RESIZE_DEBOUNCE_MS);
    });
    term.attachCustomKeyEventHandler((event) => {
      if (event.type !== 'keydown') return true;
      switch (terminalKeyFor(event, IS_MAC)) {
        case 'copy':
          // The copy event on xterm's textarea puts the selection on the clipboard; no
          // clipboard permission is needed for that (Electron's handler refuses them all).
          if (term.hasSelection()) document.execCommand('copy');
          event.preventDefault();
          return false;
        case 'paste':
          // The browser's own paste event follows; xterm pastes it with term.paste(), so
          // bracketed paste mode is honoured.
          return false;
        case 'find':
          event.preventDefault();
          entry.hooks?.onFind();
          return false;
        case 'new-tab':
          // Not for the shell: the window's shortcut handler opens the tab.
          return false;
        case undefined:
          return true;
      }
    });
    entries.set(id, entry);
    return entry;
  };

  /** Tries the WebGL renderer; the DOM renderer stays when WebGL is missing or its context is lost. */
  const loadRenderer = (entry: Entry): void => {
    entry.element.dataset.renderer = 'dom';
    try {
      const webgl = new WebglAddon();
      webgl.onContextLoss(() => {
        webgl.dispose();
        entry.element.dataset.renderer = 'dom';
      });
      entry.term.loadAddon(webgl);
      entry.element.dataset.renderer = 'webgl';
    } catch {
      // No WebGL2 here (a headless browser, a blocked GPU): the DOM renderer draws.
    }
  };

  const fitNow = (entry: Entry): void => {
    if (entry.element.clientWidth === 0 || entry.element.clientHeight === 0) return;
    try {
      entry.fit.fit();
    } catch {
      // Not measurable yet (the renderer has no cell size): the next resize fits.
    }
  };

  const registry: XtermRegistry = {
    mount(id, container, hooks) {
      const entry = entries.get(id) ?? create(id);
      entry.hooks = hooks;
      container.append(entry.element);
      if (!entry.opened) {
        entry.opened = true;
        entry.term.open(entry.element);
        loadRenderer(entry);
        fitNow(entry);
        attach(id, entry);
      } else {
        fitNow(entry);
      }
      const observer = new ResizeObserver(() => fitNow(entry));
      observer.observe(container);
      entry.observer = observer;
      return () => {
        observer.disconnect();
        if (entry.observer === observer) entry.observer = null;
        if (entry.hooks === hooks) entry.hooks = null;
        if (entry.element.parentElement === container) entry.element.remove();
      };
    },

    dispose(id) {
      const entry = entries.get(id);
      if (entry === undefined) return;
      entries.delete(id);
      clearTimeout(entry.resizeTimer);
      entry.observer?.disconnect();
      entry.unlisten();
      const stream = entry.stream;
      entry.stream = null;
      stream?.close();
      entry.term.dispose();
      entry.stopStyles();
      entry.element.remove();
    },

    retain(keep) {
      for (const id of [...entries.keys()]) if (!keep.has(id)) registry.dispose(id);
    },

    applySettings(s) {
      const options = optionsOf(s);
      for (const entry of entries.values()) {
        Object.assign(entry.term.options, options);
        fitNow(entry);
      }
    },

    reattach(id) {
      const entry = entries.get(id);
      if (entry === undefined || entry.stream !== null) return;
      entry.unlisten();
      entry.term.reset();
      setLink(id, entry, { state: 'attaching', exitCode: null, droppedBytes: 0 });
      attach(id, entry);
    },

    focus(id) {
      entries.get(id)?.term.focus();
    },

    search(id) {
      const entry = entries.get(id);
      if (entry === undefined) return undefined;
      const { searchAddon } = entry;
      return {
        findNext: (query) => searchAddon.findNext(query, { decorations: SEARCH_DECORATIONS }),
        findPrevious: (query) =>
          searchAddon.findPrevious(query, { decorations: SEARCH_DECORATIONS }),
        clear: () => searchAddon.clearDecorations(),
      };
    },
  };
  return registry;
}
