import type { KeyPress } from '../../navigation/pages';

/** What a key press inside a terminal means to LabDeck rather than to the shell. */
export type TerminalKey = 'copy' | 'paste' | 'find' | 'new-tab';

/**
 * The LabDeck meaning of a key pressed in a terminal, or undefined for the shell's keys. On Linux
 * and Windows Ctrl+C, Ctrl+V and Ctrl+F belong to the shell (interrupt, literal next, forward),
 * so copy, paste and find take Shift as well, as GNOME Terminal and Windows Terminal do; on
 * macOS they are ⌘C, ⌘V and ⌘F (⌘ is not sent to the shell), with ⌘⇧F too. A new tab is
 * Ctrl/⌘+Shift+T everywhere.
 */
export function terminalKeyFor(press: KeyPress, isMac: boolean): TerminalKey | undefined {
  if (press.altKey) return undefined;
  const key = press.key.toLowerCase();
  if (isMac ? press.metaKey && !press.ctrlKey : press.ctrlKey && !press.metaKey) {
    if (press.shiftKey) {
      if (key === 't') return 'new-tab';
      if (key === 'f') return 'find';
    }
    if (press.shiftKey || isMac) {
      if (key === 'c') return 'copy';
      if (key === 'v') return 'paste';
      if (key === 'f' && isMac) return 'find';
    }
  }
  return undefined;
}
