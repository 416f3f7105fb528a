import { useEffect, useId, type JSX } from 'react';
import type { DotfileContext } from '../../../../common/dotfiles/dotfile-store';
import { GroupOptions, MergedPreview } from './MergedPreview';
import { previewKey } from './dotfiles-store';
import { dotfilesStore, useDotfiles } from './dotfiles-window';

/** Props of {@link DotfilePreviewTab}. */
export interface DotfilePreviewTabProps {
  readonly hostId: string;
  readonly context: DotfileContext;
}

/**
 * "What a new session gets": for the group chosen (the primary one unless another is picked,
 * as `--group` does), every file of the merged set — yours over the group's over the lab's —
 * with the level it comes from and the levels it overrides. Asked again each time it shows.
 */
export function DotfilePreviewTab({ hostId, context }: DotfilePreviewTabProps): JSX.Element {
  const chosen = useDotfiles((s) => s.previewGroup);
  const group = chosen !== null && context.groups.includes(chosen) ? chosen : context.primaryGroup;
  const preview = useDotfiles((s) => s.previews[previewKey(hostId, group)]);
  const groupId = useId();

  useEffect(() => {
    void dotfilesStore.getState().loadPreview(hostId, group);
  }, [hostId, group]);

  return (
    <section
      className="dotfile-preview"
      aria-label="What a new session gets"
      data-testid="dotfile-preview"
    >
      <div className="field dotfile-preview-group">
        <label className="field-label" htmlFor={groupId}>
          Dotfiles from group
        </label>
        <select
          id={groupId}
          className="input"
          value={group}
          data-testid="dotfile-preview-group"
          onChange={(e) => dotfilesStore.getState().choosePreviewGroup(e.target.value)}
        >
          <GroupOptions context={context} />
        </select>
        <p className="field-help">
          A session gets your files, this group’s and the lab’s; where two set the same path, yours
          win over the group’s, the group’s over the lab’s. Home files go into the session’s home,
          system files into /etc, before its first process runs.
        </p>
      </div>
      <MergedPreview
        preview={preview}
        errorTestId="dotfile-preview-error"
        empty={
          <p className="muted" data-testid="dotfile-preview-empty">
            A new session gets no dotfiles: none is set at any level.
          </p>
        }
      >
        {(rows) => (
          <table className="dotfile-preview-table" data-testid="dotfile-preview-list">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">From</th>
                <th scope="col">Overrides</th>
                <th scope="col">Mode and size</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr
                  key={row.path}
                  data-testid="dotfile-preview-row"
                  data-path={row.path}
                  data-scope={row.scope}
                >
                  <td className="dotfile-row-path">{row.shown}</td>
                  <td data-testid="dotfile-preview-source">
                    <span className={`badge dotfile-level-badge dotfile-level-${row.scope}`}>
                      {row.source}
                    </span>
                  </td>
                  <td className="muted" data-testid="dotfile-preview-overrides">
                    {row.overrides || '—'}
                  </td>
                  <td className="muted">{row.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </MergedPreview>
    </section>
  );
}
