import { useEffect, useId, useRef, useState, type JSX } from 'react';
import { CodeText } from '../../components/CodeText';
import { GroupOptions, MergedPreview } from '../dotfiles/MergedPreview';
import { previewKey } from '../dotfiles/dotfiles-store';
import { dotfilesStore, useDotfiles } from '../dotfiles/dotfiles-window';

/** Props of {@link SessionDotfiles}. */
export interface SessionDotfilesProps {
  readonly hostId: string;
  /** The group chosen; empty for the user's primary group. */
  readonly group: string;
  /** Why Start was refused over the dotfiles (a group the user is not in…), with the hint. */
  readonly errors?: readonly string[];
  readonly onChange: (group: string) => void;
}

/**
 * The session form's dotfiles: the group whose dotfiles apply (the user's groups on the host,
 * the primary one preselected) and, on demand, the files this session gets with the level each
 * comes from — what `dotfiles:preview` merges for that group. A Start refused over the dotfiles
 * says why here, beside the group, scrolled into view (the form's foot may be far below).
 */
export function SessionDotfiles({
  hostId,
  group,
  errors = [],
  onChange,
}: SessionDotfilesProps): JSX.Element {
  const context = useDotfiles((s) => s.contexts[hostId]);
  const [open, setOpen] = useState(false);
  const selectId = useId();
  const listId = useId();
  const errorsId = useId();
  const shownErrors = useRef<HTMLUListElement>(null);
  const invalid = errors.length > 0;
  const loaded = context?.phase === 'loaded' ? context.value : null;
  const chosen = group !== '' ? group : (loaded?.primaryGroup ?? '');
  const preview = useDotfiles((s) => s.previews[previewKey(hostId, chosen || null)]);

  useEffect(() => {
    void dotfilesStore.getState().loadContext(hostId);
  }, [hostId]);
  const errorText = errors.join('\n');
  useEffect(() => {
    if (errorText !== '') shownErrors.current?.scrollIntoView({ block: 'nearest' });
  }, [errorText]);
  useEffect(() => {
    if (open) void dotfilesStore.getState().loadPreview(hostId, chosen || null);
  }, [open, hostId, chosen]);

  const errorList = invalid && (
    <ul
      ref={shownErrors}
      className="field-errors"
      id={errorsId}
      role="alert"
      data-testid="session-form-group-errors"
    >
      {errors.map((error) => (
        <li key={error}>
          <CodeText text={error} />
        </li>
      ))}
    </ul>
  );

  return (
    <fieldset className="fieldset session-dotfiles" data-testid="session-form-dotfiles">
      <legend>Dotfiles</legend>
      {context === undefined || context.phase === 'loading' ? (
        <>
          <p className="muted">
            <span className="spinner spinner-small" aria-hidden="true" /> Asking the host for your
            groups…
          </p>
          {errorList}
        </>
      ) : context.phase === 'failed' ? (
        <>
          <p className="muted" data-testid="session-dotfiles-error">
            Your dotfiles cannot be listed here: <CodeText text={context.error.message} />
          </p>
          {errorList}
        </>
      ) : (
        <div className="field">
          <label className="field-label" htmlFor={selectId}>
            Dotfiles from group
          </label>
          <select
            id={selectId}
            className="input"
            value={chosen}
            aria-invalid={invalid || undefined}
            aria-describedby={invalid ? errorsId : undefined}
            data-testid="session-form-group"
            onChange={(e) => onChange(e.target.value)}
          >
            <GroupOptions context={context.value} />
          </select>
          {errorList}
          <p className="field-help">
            Yours, this group’s and the lab’s dotfiles are written into the session before it
            starts; yours win over the group’s, the group’s over the lab’s.
          </p>
        </div>
      )}
      <button
        type="button"
        className="disclosure"
        aria-expanded={open}
        aria-controls={listId}
        data-testid="session-dotfiles-toggle"
        onClick={() => setOpen(!open)}
      >
        <span className="disclosure-arrow" aria-hidden="true" />
        What this session gets
      </button>
      {open && (
        <div id={listId} data-testid="session-dotfiles-preview">
          <MergedPreview
            preview={preview}
            compact
            errorTestId="session-dotfiles-preview-error"
            empty={<p className="muted">No dotfiles: none is set at any level.</p>}
          >
            {(rows) => (
              <ul className="session-dotfile-list">
                {rows.map((row) => (
                  <li key={row.path} data-testid="session-dotfile" data-path={row.path}>
                    <code>{row.shown}</code> <span className="muted">from {row.source}</span>
                  </li>
                ))}
              </ul>
            )}
          </MergedPreview>
        </div>
      )}
    </fieldset>
  );
}
