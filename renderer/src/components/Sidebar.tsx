import { useRef, useState, type JSX, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ariaShortcut, nextListIndex, PAGES, shortcutLabel } from '../navigation/pages';
import { runModeLabel, secretsNote } from '../stores/app-store';
import { useApp, useFolders, useUi } from '../stores/stores';
import { pendingCount } from '../features/folders/folder-view';
import { IS_MAC } from '../util/platform';
import { Icon } from './Icon';

/**
 * The window's navigation: wordmark, one button per page, and a quiet footer about the process
 * behind the window. The list is one Tab stop; Up/Down/Home/End move between pages (roving
 * tabindex, as WAI-ARIA's toolbar pattern), Enter or Space opens one.
 */
export function Sidebar(): JSX.Element {
  const { page, showPage } = useUi(useShallow((s) => ({ page: s.page, showPage: s.showPage })));
  const info = useApp((s) => s.info);
  const invitations = useFolders((s) =>
    pendingCount(Object.values(s.byHost).map((e) => (e.phase === 'loaded' ? e.listing : null))),
  );
  const [focused, setFocused] = useState<number | null>(null);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const current = PAGES.findIndex((p) => p.id === page);
  const tabStop = focused ?? current;

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>): void => {
    const next = nextListIndex(tabStop, event.key, PAGES.length);
    if (next === undefined) return;
    event.preventDefault();
    setFocused(next);
    buttons.current[next]?.focus();
  };

  const modeLabel = runModeLabel(info);
  const note = secretsNote(info);

  return (
    <nav className="sidebar" aria-label="Pages">
      <div className="wordmark">
        <span className="wordmark-mark" aria-hidden="true">
          L
        </span>
        LabDeck
      </div>
      <ul
        className="nav-list"
        onKeyDown={onKeyDown}
        onBlur={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget)) setFocused(null);
        }}
      >
        {PAGES.map((p, i) => (
          <li key={p.id}>
            <button
              ref={(el) => {
                buttons.current[i] = el;
              }}
              type="button"
              className="nav-item"
              tabIndex={i === tabStop ? 0 : -1}
              aria-current={p.id === page ? 'page' : undefined}
              aria-keyshortcuts={ariaShortcut(p.id)}
              title={`${p.label} (${shortcutLabel(p.id, IS_MAC)})`}
              data-testid={`nav-${p.id}`}
              onFocus={() => setFocused(i)}
              onClick={() => showPage(p.id)}
            >
              <Icon name={p.id} />
              <span className="nav-label">{p.label}</span>
              {p.id === 'folders' && invitations > 0 && (
                <span
                  className="count-badge"
                  data-testid="nav-folders-badge"
                  aria-label={`${invitations} pending invitation${invitations === 1 ? '' : 's'}`}
                >
                  {invitations}
                </span>
              )}
              <kbd className="nav-shortcut" aria-hidden="true">
                {shortcutLabel(p.id, IS_MAC)}
              </kbd>
            </button>
          </li>
        ))}
      </ul>
      <footer className="sidebar-footer">
        {modeLabel && (
          <span className="mode-pill" data-testid="run-mode">
            {modeLabel}
          </span>
        )}
        {note && (
          <p className="secrets-note" data-testid="secrets-note">
            {note}
          </p>
        )}
        {info && <p className="version">LabDeck {info.version}</p>}
      </footer>
    </nav>
  );
}
