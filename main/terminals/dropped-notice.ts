import { formatBytes } from '../../common/contract/pull-progress';

/**
 * The line written into a terminal where output was lost: the client was away (or behind) for
 * longer than the agent's buffer holds. Dim, on a line of its own, so it reads as LabDeck's and
 * not the program's; it never enters the agent's buffer.
 */
export function droppedNotice(bytes: number): Buffer {
  return Buffer.from(
    `\r\n\x1b[2m[LabDeck: ${formatBytes(bytes)} of output lost here; it was more than the terminal's buffer holds]\x1b[0m\r\n`,
  );
}
