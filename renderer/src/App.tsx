import { useEffect, type JSX } from 'react';
import { NoticeBanner } from './components/NoticeBanner';
import { Sidebar } from './components/Sidebar';
import { Toasts } from './components/Toasts';
import { DotfilesPage } from './features/dotfiles/DotfilesPage';
import { FoldersPage } from './features/folders/FoldersPage';
import { HostsPage } from './features/hosts/HostsPage';
import { PromptDialog } from './features/prompts/PromptDialog';
import { SessionsPage } from './features/sessions/SessionsPage';
import { TerminalsPage } from './features/terminals/TerminalsPage';
import { pageForShortcut, type PageId } from './navigation/pages';
import { uiStore, useUi } from './stores/stores';
import { assertNever } from './util/assert-never';

/**
 * The window: sidebar on the left; notices, the current page and toasts on the right; and the
 * question a connection is asking, if any, as a dialog over everything.
 */
export function App(): JSX.Element {
  const page = useUi((s) => s.page);
  usePageShortcuts();

  return (
    <div className="app">
      <Sidebar />
      <main className="content" data-page={page}>
        <NoticeBanner />
        <CurrentPage page={page} />
      </main>
      <Toasts />
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

/** Ctrl/Cmd+1…5 switch pages from anywhere in the window. */
function usePageShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      const target = pageForShortcut(event);
      if (target === undefined) return;
      event.preventDefault();
      uiStore.getState().showPage(target);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
