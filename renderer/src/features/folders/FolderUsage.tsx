import type { JSX } from 'react';
import type { FolderQuota } from '../../../../common/folders/folder-view';
import { usageView } from './folder-view';

/** Props of {@link FolderUsage}. */
export interface FolderUsageProps {
  readonly quota: FolderQuota;
}

/**
 * A folder's usage against its quota: the words, a bar when there is a limit, and — when the
 * filesystem cannot hold the limit — "not enforced: …" in the folder's own words, never hidden.
 */
export function FolderUsage({ quota }: FolderUsageProps): JSX.Element {
  const view = usageView(quota);
  return (
    <div className="folder-usage" data-testid="folder-usage">
      <span className="folder-usage-text" data-testid="folder-usage-text">
        {view.text}
      </span>
      {view.fraction !== null && (
        <div
          className={view.full ? 'bar folder-usage-bar folder-usage-full' : 'bar folder-usage-bar'}
          role="meter"
          aria-label="Used of the quota"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(view.fraction * 100)}
        >
          <div className="bar-fill" style={{ width: `${view.fraction * 100}%` }} />
        </div>
      )}
      {view.notEnforced && (
        <p className="folder-quota-note" data-testid="folder-quota-note">
          <span aria-hidden="true">⚠ </span>
          {view.notEnforced}
        </p>
      )}
    </div>
  );
}
