import type { RunMode } from '../../../common/app/app-info';
import { pageForShortcut, type KeyPress, type PageId } from './pages';

/** What a key press anywhere in the window asks for. */
export type Shortcut =
  | { readonly kind: 'page'; readonly page: PageId }
  | { readonly kind: 'palette' }
  | { readonly kind: 'shortcuts' }
  | { readonly kind: 'new-terminal' }
  | { readonly kind: NewShortcut };

/**
 * What Ctrl/⌘+N (or N) makes: a host, or on the Sessions page a session, on Folders a folder,
 * on Dotfiles a dotfile.
 */
export type NewShortcut = 'add-host' | 'new-session' | 'new-folder' | 'new-dotfile';

/**
 * What Ctrl/⌘+N and N make on each page: the page's own "new" where it has one, a host
 * elsewhere (the Hosts page then shows to add it). A page with a new kind of thing to make gets
 * its own entry here, and its `Shortcut` case where shortcuts run.
 */
export const NEW_ON_PAGE: Readonly<Record<PageId, NewShortcut>> = {
  hosts: 'add-host',
  sessions: 'new-session',
  folders: 'new-folder',
  dotfiles: 'new-dotfile',
  terminals: 'add-host',
};

/** Where the key press happened, as far as shortcuts care. */
export interface ShortcutContext {
  /** Focus is in a text field (an input, a textarea, the terminal): keys are the user's text. */
  readonly typing: boolean;
  /** A modal dialog is open: it owns the keyboard (Escape closes it itself). */
  readonly modal: boolean;
  /** The page shown: Ctrl/⌘+N and N make what {@link NEW_ON_PAGE} says for it. */
  readonly page: PageId;
}

/**
 * The shortcut a key press asks for, or undefined. None fires while a dialog is open (it owns
 * the keyboard; Escape is handled by the dialogs and toasts themselves). While typing in a text
 * field only the page shortcuts do, as they type no text: `n` and `?` are text there, and
 * Ctrl+K and Ctrl+N belong to the field's editing keys and to the terminal's shell.
 * Ctrl and ⌘ are both accepted on every platform, as for the page shortcuts.
 */
export function shortcutFor(press: KeyPress, context: ShortcutContext): Shortcut | undefined {
  if (context.modal) return undefined;
  const page = pageForShortcut(press);
  if (page !== undefined) return { kind: 'page', page };
  // Types no text and means nothing to a shell, so it works from inside a terminal too.
  if (context.page === 'terminals' && isNewTerminalPress(press)) return { kind: 'new-terminal' };
  if (context.typing) return undefined;
  const oneModifier = press.ctrlKey !== press.metaKey && !press.altKey && !press.shiftKey;
  if (oneModifier) {
    const key = press.key.toLowerCase();
    if (key === 'k') return { kind: 'palette' };
    if (key === 'n') return { kind: NEW_ON_PAGE[context.page] };
    return undefined;
  }
  if (press.ctrlKey || press.metaKey || press.altKey) return undefined;
  // `?` is Shift+/ on some layouts and a key of its own on others: look at the character only.
  if (press.key === '?') return { kind: 'shortcuts' };
  // A browser keeps Ctrl+N for a new window, so a plain N does the same there too.
  if (press.key === 'n') return { kind: NEW_ON_PAGE[context.page] };
  return undefined;
}

/** Ctrl/⌘+Shift+T: a new terminal tab, as in terminal apps and browsers. */
function isNewTerminalPress(press: KeyPress): boolean {
  return (
    press.ctrlKey !== press.metaKey &&
    press.shiftKey &&
    !press.altKey &&
    press.key.toLowerCase() === 't'
  );
}

/** The parts of a focused element that tell whether keys typed there are text. */
export interface FocusedElement {
  readonly tagName: string;
  readonly type?: string;
  readonly isContentEditable?: boolean;
}

/** Where focus is: a document, or a shadow root inside it. */
export interface FocusScope {
  readonly activeElement: (FocusedElement & { readonly shadowRoot?: FocusScope | null }) | null;
}

/**
 * The element keys go to: `document.activeElement`, or, when that hosts a shadow root (the
 * dotfile editor is mounted in one), the element focused inside it — so typing there is typing.
 */
export function deepActiveElement(scope: FocusScope): FocusedElement | null {
  let element = scope.activeElement;
  while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
  return element;
}

/** Input types whose keys are not text: a shortcut typed on a checkbox still works. */
const NON_TEXT_INPUTS = new Set([
  'button',
  'checkbox',
  'color',
  'file',
  'image',
  'radio',
  'range',
  'reset',
  'submit',
]);

/**
 * True when keys typed into `element` are text: a text-like input, a textarea (xterm's input is
 * one), a select (its letters jump between options) or anything content-editable.
 */
export function isTextEntry(element: FocusedElement | null): boolean {
  if (element === null) return false;
  if (element.isContentEditable) return true;
  switch (element.tagName.toUpperCase()) {
    case 'TEXTAREA':
    case 'SELECT':
      return true;
    case 'INPUT':
      return !NON_TEXT_INPUTS.has((element.type ?? 'text').toLowerCase());
    default:
      return false;
  }
}

/** One line of the shortcuts overlay: the keys to press and what they do. */
export interface ShortcutHelp {
  readonly keys: readonly string[];
  readonly what: string;
}

/**
 * The shortcuts overlay's lines, in the words of the platform (⌘ on macOS) and of the run mode:
 * in a browser tab Ctrl+N opens a new browser window before the page sees it, so N is shown.
 */
export function shortcutHelp(isMac: boolean, mode: RunMode | null): readonly ShortcutHelp[] {
  const mod = isMac ? '⌘' : 'Ctrl+';
  const browser = mode === 'browser';
  const newKeys = browser ? ['N'] : [`${mod}N`, 'N'];
  return [
    { keys: [`${mod}K`], what: 'Command palette: connect, check or edit a host, go to a page' },
    {
      keys: newKeys,
      what: browser ? 'Add a host (Ctrl+N is the browser’s new window)' : 'Add a host',
    },
    { keys: newKeys, what: 'On the Sessions page: New session' },
    { keys: newKeys, what: 'On the Folders page: New folder' },
    { keys: newKeys, what: 'On the Dotfiles page: New file' },
    { keys: [`${mod}S`], what: 'On the Dotfiles page: save the open file' },
    {
      keys: [isMac ? '⌘⇧T' : 'Ctrl+Shift+T'],
      what: browser
        ? 'On the Terminals page: New terminal (in the desktop app; a browser keeps it)'
        : 'On the Terminals page: New terminal',
    },
    {
      keys: isMac ? ['⌘C', '⌘V', '⌘F'] : ['Ctrl+Shift+C', 'Ctrl+Shift+V', 'Ctrl+Shift+F'],
      what: 'In a terminal: copy, paste, find',
    },
    {
      keys: [`${mod}1`, '…', `${mod}5`],
      what: 'Go to Hosts, Sessions, Folders, Dotfiles, Terminals',
    },
    { keys: ['?'], what: 'Show these shortcuts' },
    { keys: ['Esc'], what: 'Close the dialog, or the newest notification' },
    { keys: ['↑', '↓', 'Enter'], what: 'Move through the sidebar or the palette, and choose' },
  ];
}
