import type { JSX } from 'react';
import { linkView } from './link-view';
import type { PaneLink } from './terminals-store';

/** Props of {@link LinkBadge}. */
export interface LinkBadgeProps {
  readonly link: PaneLink;
  readonly testId?: string;
}

/** A terminal's link as a small badge: attached, reattaching…, ended (exit code N), not found. */
export function LinkBadge({ link, testId }: LinkBadgeProps): JSX.Element {
  const view = linkView(link);
  return (
    <span
      className={`badge badge-${view.tone} terminal-link`}
      data-testid={testId}
      data-link={link.state}
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
