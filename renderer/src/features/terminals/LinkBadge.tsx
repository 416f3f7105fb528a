import type { JSX } from 'react';
import { formatBytes } from '../../../../common/contract/pull-progress';
import { linkView } from './link-view';
import type { PaneLink } from './terminals-store';

/** Props of {@link LinkBadge}. */
export interface LinkBadgeProps {
  readonly link: PaneLink;
  readonly testId?: string;
}

/**
 * A terminal's link as a small badge: attached, reattaching…, ended (exit code N), not found;
 * its tooltip says how much output was lost beyond the host's buffer while away, if any (the
 * terminal itself shows a notice line where it was).
 */
export function LinkBadge({ link, testId }: LinkBadgeProps): JSX.Element {
  const view = linkView(link);
  return (
    <span
      className={`badge badge-${view.tone} terminal-link`}
      data-testid={testId}
      data-link={link.state}
      title={
        link.droppedBytes > 0
          ? `${formatBytes(link.droppedBytes)} of output was lost while away (beyond the host's buffer)`
          : undefined
      }
    >
      {view.busy ? (
        <span className="spinner spinner-small" aria-hidden="true" />
      ) : (
        <span className="badge-dot" aria-hidden="true" />
      )}
      {view.label}
    </span>
  );
}
