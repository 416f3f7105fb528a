import type { JSX, ReactNode } from 'react';
import type { DotfileContext, DotfilePreview } from '../../../../common/dotfiles/dotfile-store';
import { CodeText } from '../../components/CodeText';
import { previewRows, type PreviewRow } from './dotfile-view';
import type { Loadable } from './dotfiles-store';

/** Props of {@link MergedPreview}. */
export interface MergedPreviewProps {
  /** The preview as last asked; undefined before the first ask. */
  readonly preview: Loadable<DotfilePreview> | undefined;
  /** Small, inside a form (the session form's), rather than a page's own view. */
  readonly compact?: boolean;
  /** The failure box's test id. */
  readonly errorTestId: string;
  /** What shows when no level sets a file. */
  readonly empty: ReactNode;
  /** The files, one row each, yours over the group's over the lab's. */
  readonly children: (rows: readonly PreviewRow[]) => ReactNode;
}

/**
 * The files a new session gets for one group, as `dotfiles:preview` merges them: a spinner while
 * the levels merge, the failure with its hint, `empty` when none is set, or `children`'s rows —
 * for the Dotfiles page's preview tab and the session form alike.
 */
export function MergedPreview({
  preview,
  compact = false,
  errorTestId,
  empty,
  children,
}: MergedPreviewProps): JSX.Element {
  if (preview === undefined || preview.phase === 'loading')
    return (
      <p className={compact ? 'muted' : 'loading-line'}>
        <span className={compact ? 'spinner spinner-small' : 'spinner'} aria-hidden="true" />{' '}
        Merging the levels…
      </p>
    );
  if (preview.phase === 'failed')
    return (
      <div
        className={compact ? 'field-errors' : 'form-error'}
        role="alert"
        data-testid={errorTestId}
      >
        <p>
          <CodeText text={preview.error.message} />
        </p>
        {preview.error.hint && (
          <p className={compact ? undefined : 'muted'}>
            <CodeText text={preview.error.hint} />
          </p>
        )}
      </div>
    );
  if (preview.value.files.length === 0) return <>{empty}</>;
  return <>{children(previewRows(preview.value.files))}</>;
}

/** The `<option>`s of a "Dotfiles from group" picker: the user's groups, the primary one marked. */
export function GroupOptions({ context }: { readonly context: DotfileContext }): JSX.Element {
  return (
    <>
      {context.groups.map((name) => (
        <option key={name} value={name}>
          {name}
          {name === context.primaryGroup ? ' (primary)' : ''}
        </option>
      ))}
    </>
  );
}
