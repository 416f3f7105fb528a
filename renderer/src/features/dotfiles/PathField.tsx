import { useId, type JSX } from 'react';

/** Props of {@link PathField}. */
export interface PathFieldProps {
  readonly value: string;
  readonly errors: readonly string[] | undefined;
  /** Paths offered as the user types (system files only at group and lab level). */
  readonly suggestions: readonly string[];
  /** Whether the level may also set system files (group and lab). */
  readonly systemFiles: boolean;
  readonly onChange: (path: string) => void;
}

/**
 * A new dotfile's path, relative to the home (`.bashrc`, `.config/git/config`) or, at group
 * and lab level, an allowed system file; common ones are offered as it is typed. Its errors
 * sit under it and are read out with it.
 */
export function PathField({
  value,
  errors = [],
  suggestions,
  systemFiles,
  onChange,
}: PathFieldProps): JSX.Element {
  const id = useId();
  const listId = `${id}-paths`;
  const helpId = `${id}-help`;
  const errorId = `${id}-errors`;
  const invalid = errors.length > 0;
  return (
    <div className="field dotfile-path-field">
      <label className="field-label" htmlFor={id}>
        Path
      </label>
      <p className="field-help" id={helpId}>
        Relative to the home directory, like .bashrc or .config/git/config
        {systemFiles && ', or a system file such as /etc/bash.bashrc or /etc/profile.d/lab.sh'}.
      </p>
      <input
        id={id}
        className="input"
        value={value}
        list={listId}
        placeholder=".bashrc"
        autoComplete="off"
        spellCheck={false}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? `${helpId} ${errorId}` : helpId}
        data-testid="dotfile-path"
        onChange={(event) => onChange(event.target.value)}
      />
      <datalist id={listId}>
        {suggestions.map((path) => (
          <option key={path} value={path} />
        ))}
      </datalist>
      {invalid && (
        <ul className="field-errors" id={errorId} data-testid="dotfile-path-errors">
          {errors.map((error) => (
            <li key={error}>{error}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
