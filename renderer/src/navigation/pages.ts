/** The pages of the window, in sidebar order; Ctrl/Cmd+1… follow this order. */
export const PAGES = [
  { id: 'hosts', label: 'Hosts' },
  { id: 'sessions', label: 'Sessions' },
  { id: 'folders', label: 'Folders' },
  { id: 'dotfiles', label: 'Dotfiles' },
  { id: 'terminals', label: 'Terminals' },
] as const;

/** One page of the window. */
export type PageId = (typeof PAGES)[number]['id'];

/** The page shown at start. */
export const DEFAULT_PAGE: PageId = 'hosts';

/** The parts of a keyboard event that navigation looks at; met by DOM and React events. */
export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
}

/**
 * The page a Ctrl+N (or Cmd+N on macOS) shortcut asks for, or undefined when the key press is
 * not one. Either modifier is accepted on every platform: the app has no other use for them.
 */
export function pageForShortcut(press: KeyPress): PageId | undefined {
  if (press.ctrlKey === press.metaKey || press.altKey || press.shiftKey) return undefined;
  if (!/^[1-9]$/.test(press.key)) return undefined;
  return PAGES[Number(press.key) - 1]?.id;
}

/** The label of a page's shortcut as shown to the user, e.g. "Ctrl+2" or "⌘2". */
export function shortcutLabel(page: PageId, isMac: boolean): string {
  const n = PAGES.findIndex((p) => p.id === page) + 1;
  return isMac ? `⌘${n}` : `Ctrl+${n}`;
}

/** The `aria-keyshortcuts` value of a page's shortcut (both modifiers work). */
export function ariaShortcut(page: PageId): string {
  const n = PAGES.findIndex((p) => p.id === page) + 1;
  return `Control+${n} Meta+${n}`;
}

/**
 * Where focus goes in a vertical list (the sidebar's roving tabindex) after `key`: Up/Down move
 * one item and wrap, Home/End jump to the ends. Undefined means the key is not for the list.
 */
export function nextListIndex(current: number, key: string, count: number): number | undefined {
  if (count === 0) return undefined;
  switch (key) {
    case 'ArrowDown':
      return (current + 1) % count;
    case 'ArrowUp':
      return (current - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return undefined;
  }
}
