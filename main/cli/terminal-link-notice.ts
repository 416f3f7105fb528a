import type { TerminalLink } from '../../common/contract/terminals';
import { terminalSafe } from '../../common/text/terminal-safe';

/**
 * The line `labdeck terminal` prints on stderr when its link to the terminal changes:
 * `[reattaching…]` after a drop (with the reason when known), `[attached]` once back. The first
 * `attached` is no change and prints nothing. Output lost beyond the host's buffer is said in the
 * output itself, where it was lost (main/terminals/dropped-notice.ts); `ended` is said by the
 * attach, after the last output.
 */
export function linkNotice(
  previous: TerminalLink | undefined,
  next: TerminalLink,
): string | undefined {
  switch (next.link) {
    case 'reattaching':
      if (previous?.link === 'reattaching') return undefined;
      return next.error ? `[reattaching… ${terminalSafe(next.error.message)}]` : '[reattaching…]';
    case 'attached':
      return previous?.link === 'reattaching' ? '[attached]' : undefined;
    case 'ended':
      return undefined;
  }
}
