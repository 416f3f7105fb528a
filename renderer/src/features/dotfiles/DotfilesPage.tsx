import { useEffect, useId, useRef, type JSX, type KeyboardEvent as KeyPress } from 'react';
import { displayDotfilePath } from '../../../../common/dotfiles/dotfile-changes';
import { CodeText } from '../../components/CodeText';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useHosts } from '../../stores/stores';
import { DotfileFiles } from './DotfileFiles';
import { DotfileHostPicker } from './DotfileHostPicker';
import { DotfilePreviewTab } from './DotfilePreviewTab';
import { saveOpenFile, startNewFile } from './dotfile-actions';
import type { DotfilesTab } from './dotfiles-store';
import { dotfilesStore, useDotfiles } from './dotfiles-window';

/** The page's tabs, in order. */
const TABS: readonly { readonly id: DotfilesTab; readonly label: string }[] = [
  { id: 'files', label: 'Files' },
  { id: 'preview', label: 'What a new session gets' },
];

/**
 * The user's, their groups' and the lab's dotfiles on one connected host: each level's files,
 * an editor with highlighting, inline errors, a diff and conflict-safe saves (Ctrl/Cmd+S), and
 * the merged set a new session gets. Levels the user may not change are shown read-only with
 * the reason. N opens a new file; unsaved text is never dropped without asking.
 */
export function DotfilesPage(): JSX.Element {
  const hostId = useDotfiles((s) => s.hostId);
  const tab = useDotfiles((s) => s.tab);
  const context = useDotfiles((s) => (s.hostId === null ? undefined : s.contexts[s.hostId]));
  const discardAsk = useDotfiles((s) => s.discardAsk);
  const draftPath = useDotfiles((s) => s.draft?.path ?? '');
  const hostName = useHosts((s) => s.hosts.find((h) => h.id === hostId)?.name ?? hostId ?? '');

  useEffect(() => dotfilesStore.getState().watch(), []);
  const panelId = useId();
  useSaveShortcut();
  useNewFileShortcut(hostName);

  return (
    <div className="page dotfiles-page">
      <header className="page-header page-header-actions">
        <div>
          <h1>Dotfiles</h1>
          <p className="page-lede">
            Your shell, vim, tmux and git settings — and your group’s and the lab’s — written into
            every session before it starts.
          </p>
        </div>
        <div className="page-actions">
          <DotfileHostPicker />
        </div>
      </header>
      <DotfileTabs tab={tab} panelId={panelId} />
      <div
        role="tabpanel"
        id={panelId}
        aria-labelledby={`${panelId}-${tab}`}
        className="dotfile-panel"
      >
        {hostId === null ? (
          <div className="empty-state" data-testid="dotfiles-no-host">
            <p className="empty-title">No host is connected.</p>
            <p>Connect one on the Hosts page; its dotfiles show here.</p>
          </div>
        ) : context === undefined || context.phase === 'loading' ? (
          <p className="loading-line" data-testid="dotfiles-loading">
            <span className="spinner" aria-hidden="true" /> Asking {hostName} for your dotfiles…
          </p>
        ) : context.phase === 'failed' ? (
          <div className="empty-state empty-state-error" role="alert" data-testid="dotfiles-error">
            <p className="empty-title">The dotfiles of {hostName} could not be read.</p>
            <p>
              <CodeText text={context.error.message} />
            </p>
            {context.error.hint && (
              <p className="muted">
                <CodeText text={context.error.hint} />
              </p>
            )}
            <button
              type="button"
              className="button"
              onClick={() => dotfilesStore.getState().chooseHost(hostId)}
            >
              Try again
            </button>
          </div>
        ) : tab === 'files' ? (
          <DotfileFiles hostId={hostId} hostName={hostName} context={context.value} />
        ) : (
          <DotfilePreviewTab hostId={hostId} context={context.value} />
        )}
      </div>
      {discardAsk && (
        <ConfirmDialog
          title="Discard your changes?"
          body={
            <>
              {draftPath === '' ? 'The new file' : displayDotfilePath(draftPath)} has changes that
              are not saved. Discard them?
            </>
          }
          confirmLabel="Discard changes"
          onConfirm={async () => ({ ok: true, value: null })}
          onConfirmed={() => dotfilesStore.getState().answerDiscard(true)}
          onClose={() => dotfilesStore.getState().answerDiscard(false)}
          testId="dotfile-discard-dialog"
          confirmTestId="dotfile-discard-confirm"
        />
      )}
    </div>
  );
}

/**
 * Files and the preview as tabs: the chosen one is the Tab stop, ←/→ (and Home/End) move to
 * the others and show them.
 */
function DotfileTabs({ tab, panelId }: { readonly tab: DotfilesTab; readonly panelId: string }) {
  const onKeyDown = (event: KeyPress<HTMLDivElement>): void => {
    const at = TABS.findIndex((t) => t.id === tab);
    const moves: Readonly<Record<string, number>> = {
      ArrowRight: (at + 1) % TABS.length,
      ArrowLeft: (at - 1 + TABS.length) % TABS.length,
      Home: 0,
      End: TABS.length - 1,
    };
    const to = TABS[moves[event.key] ?? -1];
    if (to === undefined) return;
    event.preventDefault();
    dotfilesStore.getState().chooseTab(to.id);
    document.getElementById(`${panelId}-${to.id}`)?.focus();
  };
  return (
    <div className="dotfile-tabs" role="tablist" aria-label="Dotfiles" onKeyDown={onKeyDown}>
      {TABS.map(({ id, label }) => (
        <button
          key={id}
          id={`${panelId}-${id}`}
          type="button"
          role="tab"
          className="dotfile-tab"
          aria-selected={tab === id}
          aria-controls={panelId}
          tabIndex={tab === id ? 0 : -1}
          data-testid={`dotfiles-tab-${id}`}
          onClick={() => dotfilesStore.getState().chooseTab(id)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}

/** Ctrl/Cmd+S saves the open file from anywhere on the page (not while a dialog is open). */
function useSaveShortcut(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      const mod = event.ctrlKey !== event.metaKey && !event.altKey && !event.shiftKey;
      if (!mod || event.key.toLowerCase() !== 's') return;
      // The browser's own "save page" never helps here.
      event.preventDefault();
      if (document.querySelector('dialog[open]') !== null) return;
      void saveOpenFile();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}

/** Opens a new file for each New file shortcut pressed while the page shows. */
function useNewFileShortcut(hostName: string): void {
  const asks = useDotfiles((s) => s.newFileAsks);
  const seen = useRef(asks);
  useEffect(() => {
    if (asks === seen.current) return;
    seen.current = asks;
    startNewFile(hostName);
  }, [asks, hostName]);
}
