import { formatBytes } from '../../common/contract/pull-progress';
import type { TerminalLink } from '../../common/contract/terminals';
import { terminalSafe } from '../../common/text/terminal-safe';

/**
 * The line `labdeck terminal` prints on stderr when its link to the terminal changes:
 * `[reattaching…]` after a drop, `[attached]` once back (saying how much output was lost beyond
 * the host's buffer, if any). The first `attached` is no change and prints nothing; `ended` is
 * said by the attach itself, once the last output is shown.
 */
export function linkNotice(
  previous: TerminalLink | undefined,
  next: TerminalLink,
): string | undefined {
  switch (next.link) {
    case 'reattaching':
      if (previous?.link === 'reattaching') return undefined;
      return next.error ? `[reattaching… ${terminalSafe(next.error.message)}]` : '[reattaching…]';
    case 'attached': {
      if (previous?.link !== 'reattaching') return undefined;
      const lost = next.droppedBytes - previous.droppedBytes;
      return lost > 0
        ? `[attached; ${formatBytes(lost)} of output was lost beyond the host's buffer]`
        : '[attached]';
    }
    case 'ended':
      return undefined;
  }
}
