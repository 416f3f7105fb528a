import type { PaneLink } from './terminals-store';

/** How a pane's link reads on its tab and pane: words and a badge tone. */
export interface LinkView {
  readonly label: string;
  readonly tone: 'ok' | 'warning' | 'danger' | 'neutral';
  /** A spinner goes with it: something is under way. */
  readonly busy: boolean;
}

/**
 * The words for a link: attached; reattaching… (after a drop, until main has replayed what was
 * missed); ended (exit code N); not found when the terminal is gone.
 */
export function linkView(link: PaneLink): LinkView {
  switch (link.state) {
    case 'attaching':
      return { label: 'attaching…', tone: 'neutral', busy: true };
    case 'attached':
      return { label: 'attached', tone: 'ok', busy: false };
    case 'reattaching':
      return { label: 'reattaching…', tone: 'warning', busy: true };
    case 'ended':
      return {
        label: link.exitCode === null ? 'ended' : `ended (exit code ${link.exitCode})`,
        tone: link.exitCode === 0 || link.exitCode === null ? 'neutral' : 'danger',
        busy: false,
      };
    case 'missing':
      return { label: 'not found', tone: 'danger', busy: false };
  }
}

/** The state a tab shows for its panes: the one that most needs the user's eye. */
export function tabLink(links: readonly PaneLink[]): PaneLink | undefined {
  const rank: Record<PaneLink['state'], number> = {
    missing: 4,
    ended: 3,
    reattaching: 2,
    attaching: 1,
    attached: 0,
  };
  let worst: PaneLink | undefined;
  for (const link of links)
    if (worst === undefined || rank[link.state] > rank[worst.state]) worst = link;
  return worst;
}
