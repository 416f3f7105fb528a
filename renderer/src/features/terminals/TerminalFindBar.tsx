import { useEffect, useRef, useState, type JSX, type KeyboardEvent } from 'react';
import { terminalRegistry } from './terminals-window';

/** Props of {@link TerminalFindBar}. */
export interface TerminalFindBarProps {
  readonly terminalId: string;
  readonly onClose: () => void;
}

/**
 * Find in a terminal's scrollback: Enter finds the next match, Shift+Enter the previous one,
 * Escape closes the bar and gives the keyboard back to the terminal.
 */
export function TerminalFindBar({ terminalId, onClose }: TerminalFindBarProps): JSX.Element {
  const input = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  const [missed, setMissed] = useState(false);

  useEffect(() => {
    input.current?.focus();
    return () => terminalRegistry.search(terminalId)?.clear();
  }, [terminalId]);

  const find = (backwards: boolean): void => {
    const search = terminalRegistry.search(terminalId);
    if (!search || query === '') return;
    setMissed(!(backwards ? search.findPrevious(query) : search.findNext(query)));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Enter') {
      event.preventDefault();
      find(event.shiftKey);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
    }
  };

  return (
    <div className="terminal-find" role="search" data-testid="terminal-find">
      <input
        ref={input}
        className="input input-small"
        type="search"
        aria-label="Find in terminal"
        placeholder="Find"
        value={query}
        spellCheck={false}
        data-testid="terminal-find-input"
        onChange={(event) => {
          setQuery(event.target.value);
          setMissed(false);
        }}
        onKeyDown={onKeyDown}
      />
      <button type="button" className="button button-small" onClick={() => find(true)}>
        Previous
      </button>
      <button type="button" className="button button-small" onClick={() => find(false)}>
        Next
      </button>
      {missed && (
        <span className="muted" role="status">
          No match
        </span>
      )}
      <button
        type="button"
        className="button button-small button-quiet"
        aria-label="Close find"
        onClick={onClose}
      >
        ×
      </button>
    </div>
  );
}
