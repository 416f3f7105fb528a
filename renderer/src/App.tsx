import { useEffect, type JSX } from 'react';
import { CommandPalette } from './components/CommandPalette';
import { NoticeBanner } from './components/NoticeBanner';
import { ShortcutsDialog } from './components/ShortcutsDialog';
import { Sidebar } from './components/Sidebar';
import { Toasts } from './components/Toasts';
import { DotfilesPage } from './features/dotfiles/DotfilesPage';
import { dotfilesStore } from './features/dotfiles/dotfiles-window';
import { FoldersPage } from './features/folders/FoldersPage';
import { HostsPage } from './features/hosts/HostsPage';
import { PromptDialog } from './features/prompts/PromptDialog';
import { SessionsPage } from './features/sessions/SessionsPage';
import { TerminalsPage } from './features/terminals/TerminalsPage';
import { terminalsStore } from './features/terminals/terminals-window';
import type { PageId } from './navigation/pages';
import { deepActiveElement, isTextEntry, shortcutFor, type Shortcut } from './navigation/shortcuts';
import { uiStore, useUi } from './stores/stores';
import { useFocusGuard } from './hooks/use-focus-guard';
import { assertNever } from './util/assert-never';

/**
 * The window: sidebar on the left; notices, the current page and toasts on the right; the
 * question a connection is asking, if any, as a dialog over everything; and the overlays the
 * keyboard opens (the command palette, the shortcuts).
 */
export function App(): JSX.Element {
  const page = useUi((s) => s.page);
  const overlay = useUi((s) => s.overlay);
  const closeOverlay = useUi((s) => s.closeOverlay);
  useShortcuts();
  useFocusGuard();

  return (
    <div className="app">
      <Sidebar />
      <main className="content" data-page={page}>
        <NoticeBanner />
        <CurrentPage page={page} />
      </main>
      <Toasts />
      {overlay === 'palette' && <CommandPalette onClose={closeOverlay} />}
      {overlay === 'shortcuts' && <ShortcutsDialog onClose={closeOverlay} />}
      <PromptDialog />
    </div>
  );
}

function CurrentPage({ page }: { readonly page: PageId }): JSX.Element {
  switch (page) {
    case 'hosts':
      return <HostsPage />;
    case 'sessions':
      return <SessionsPage />;
    case 'folders':
      return <FoldersPage />;
    case 'dotfiles':
      return <DotfilesPage />;
    case 'terminals':
      return <TerminalsPage />;
    default:
      return assertNever(page);
  }
}

/**
 * The window's shortcuts (navigation/shortcuts.ts): Ctrl/Cmd+1…5 pages, Ctrl/Cmd+K the palette,
 * Ctrl/Cmd+N or N a new host (a new session on the Sessions page, a new folder on the Folders
 * page, a new file on the Dotfiles page), Ctrl/Cmd+Shift+T a new terminal on the Terminals page,
 * ? the shortcuts — none while typing in a field (the new terminal excepted: it types nothing)
 * or in a dialog. The Dotfiles page adds its own Ctrl/Cmd+S (save).
 */
function useShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.isComposing) return;
      const shortcut = shortcutFor(event, {
        typing: isTextEntry(deepActiveElement(document)),
        modal: document.querySelector('dialog[open]') !== null,
        page: uiStore.getState().page,
      });
      if (shortcut === undefined) return;
      event.preventDefault();
      runShortcut(shortcut);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}

function runShortcut(shortcut: Shortcut): void {
  const ui = uiStore.getState();
  switch (shortcut.kind) {
    case 'page':
      return ui.showPage(shortcut.page);
    case 'palette':
      return ui.openOverlay('palette');
    case 'shortcuts':
      return ui.openOverlay('shortcuts');
    case 'add-host':
      return ui.requestHosts({ kind: 'add' });
    case 'new-session':
      return ui.requestSessions({ kind: 'new' });
    case 'new-folder':
      return ui.requestFolders({ kind: 'new' });
    case 'new-dotfile':
      return dotfilesStore.getState().requestNewFile();
    case 'new-terminal':
      return terminalsStore.getState().setNewDialog(true);
    default:
      return assertNever(shortcut);
  }
}
