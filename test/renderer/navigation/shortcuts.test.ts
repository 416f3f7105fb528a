import { describe, expect, it } from 'vitest';
import type { KeyPress } from '../../../renderer/src/navigation/pages';
import { PAGES } from '../../../renderer/src/navigation/pages';
import {
  deepActiveElement,
  isTextEntry,
  NEW_ON_PAGE,
  shortcutFor,
  shortcutHelp,
  type ShortcutContext,
} from '../../../renderer/src/navigation/shortcuts';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});
const FREE: ShortcutContext = { typing: false, modal: false, page: 'hosts' };
const TYPING: ShortcutContext = { typing: true, modal: false, page: 'hosts' };
const MODAL: ShortcutContext = { typing: false, modal: true, page: 'hosts' };
const ON_SESSIONS: ShortcutContext = { ...FREE, page: 'sessions' };

describe('shortcutFor', () => {
  it('opens a new terminal with Ctrl/⌘+Shift+T on the Terminals page, even from inside a terminal', () => {
    const onTerminals: ShortcutContext = { ...FREE, page: 'terminals' };
    for (const mods of [{ ctrlKey: true }, { metaKey: true }]) {
      const key = press('T', { ...mods, shiftKey: true });
      expect(shortcutFor(key, onTerminals)).toEqual({ kind: 'new-terminal' });
      expect(shortcutFor(key, { ...onTerminals, typing: true })).toEqual({ kind: 'new-terminal' });
      expect(shortcutFor(key, { ...onTerminals, modal: true })).toBeUndefined();
      expect(shortcutFor(key, FREE)).toBeUndefined();
    }
    // Ctrl+T without Shift is the shell's (transpose characters).
    expect(shortcutFor(press('t', { ctrlKey: true }), { ...onTerminals, typing: true })).toBe(
      undefined,
    );
  });

  it('opens the palette with Ctrl+K or ⌘K, and adds a host with Ctrl+N, ⌘N or N', () => {
    expect(shortcutFor(press('k', { ctrlKey: true }), FREE)).toEqual({ kind: 'palette' });
    expect(shortcutFor(press('K', { metaKey: true }), FREE)).toEqual({ kind: 'palette' });
    expect(shortcutFor(press('n', { ctrlKey: true }), FREE)).toEqual({ kind: 'add-host' });
    expect(shortcutFor(press('n', { metaKey: true }), FREE)).toEqual({ kind: 'add-host' });
    expect(shortcutFor(press('n'), FREE)).toEqual({ kind: 'add-host' });
  });

  it('starts a new session with Ctrl+N, ⌘N or N on the Sessions page, and adds a host elsewhere', () => {
    for (const key of [press('n', { ctrlKey: true }), press('n', { metaKey: true }), press('n')]) {
      expect(shortcutFor(key, ON_SESSIONS), JSON.stringify(key)).toEqual({ kind: 'new-session' });
      expect(shortcutFor(key, { ...FREE, page: 'terminals' })).toEqual({ kind: 'add-host' });
    }
    // Only the N keys follow the page: the palette and the page switches stay as they are.
    expect(shortcutFor(press('k', { ctrlKey: true }), ON_SESSIONS)).toEqual({ kind: 'palette' });
    expect(shortcutFor(press('n', { ctrlKey: true }), { ...ON_SESSIONS, typing: true })).toBe(
      undefined,
    );
    expect(shortcutFor(press('n'), { ...ON_SESSIONS, modal: true })).toBeUndefined();
  });

  it('makes a new folder with N on the Folders page, not while typing', () => {
    const onFolders = { ...FREE, page: 'folders' } as const;
    expect(shortcutFor(press('n'), onFolders)).toEqual({ kind: 'new-folder' });
    expect(shortcutFor(press('n', { ctrlKey: true }), onFolders)).toEqual({ kind: 'new-folder' });
    expect(shortcutFor(press('n'), { ...onFolders, typing: true })).toBeUndefined();
  });

  it('has a new-thing for every page, a session only on the Sessions page', () => {
    expect(Object.keys(NEW_ON_PAGE).sort()).toEqual(PAGES.map((p) => p.id).sort());
    expect(Object.entries(NEW_ON_PAGE).filter(([, what]) => what === 'new-session')).toEqual([
      ['sessions', 'new-session'],
    ]);
  });

  it('shows the shortcuts on ?, whichever keys the layout types it with', () => {
    expect(shortcutFor(press('?', { shiftKey: true }), FREE)).toEqual({ kind: 'shortcuts' });
    expect(shortcutFor(press('?'), FREE)).toEqual({ kind: 'shortcuts' });
  });

  it('keeps the page shortcuts, and leaves every other key alone', () => {
    expect(shortcutFor(press('2', { ctrlKey: true }), FREE)).toEqual({
      kind: 'page',
      page: 'sessions',
    });
    for (const other of [
      press('k'),
      press('N', { shiftKey: true }), // Shift+N types a capital N
      press('n', { ctrlKey: true, shiftKey: true }), // Ctrl+Shift+N: the browser's private window
      press('k', { ctrlKey: true, metaKey: true }),
      press('k', { altKey: true, ctrlKey: true }),
      press('/', { ctrlKey: true }),
      press('Escape'),
    ]) {
      expect(shortcutFor(other, FREE), JSON.stringify(other)).toBeUndefined();
    }
  });

  it('fires nothing but page switches while typing in a field', () => {
    expect(shortcutFor(press('n'), TYPING)).toBeUndefined();
    expect(shortcutFor(press('?', { shiftKey: true }), TYPING)).toBeUndefined();
    // Ctrl+K kills the line in a shell, Ctrl+N is its next history entry: the terminal's keys.
    expect(shortcutFor(press('k', { ctrlKey: true }), TYPING)).toBeUndefined();
    expect(shortcutFor(press('n', { ctrlKey: true }), TYPING)).toBeUndefined();
    expect(shortcutFor(press('1', { ctrlKey: true }), TYPING)).toEqual({
      kind: 'page',
      page: 'hosts',
    });
  });

  it('fires nothing while a dialog is open: it owns the keyboard', () => {
    for (const key of [press('n'), press('k', { ctrlKey: true }), press('1', { ctrlKey: true })]) {
      expect(shortcutFor(key, MODAL)).toBeUndefined();
    }
  });
});

describe('isTextEntry', () => {
  it('counts text inputs, textareas (the terminal), selects and editable content as typing', () => {
    expect(isTextEntry({ tagName: 'INPUT', type: 'text' })).toBe(true);
    expect(isTextEntry({ tagName: 'input', type: 'password' })).toBe(true);
    expect(isTextEntry({ tagName: 'INPUT', type: 'search' })).toBe(true);
    expect(isTextEntry({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTextEntry({ tagName: 'SELECT' })).toBe(true);
    expect(isTextEntry({ tagName: 'DIV', isContentEditable: true })).toBe(true);
  });

  it('does not count buttons, checkboxes or the page itself', () => {
    expect(isTextEntry({ tagName: 'BUTTON' })).toBe(false);
    expect(isTextEntry({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTextEntry({ tagName: 'BODY' })).toBe(false);
    expect(isTextEntry(null)).toBe(false);
  });
});

describe('shortcutHelp', () => {
  it("lists the terminal's copy, paste and find in each platform's keys", () => {
    const terminal = (isMac: boolean) =>
      shortcutHelp(isMac, 'electron').find((line) => line.what.startsWith('In a terminal'))?.keys;
    expect(terminal(false)).toEqual(['Ctrl+Shift+C', 'Ctrl+Shift+V', 'Ctrl+Shift+F']);
    expect(terminal(true)).toEqual(['⌘C', '⌘V', '⌘F']);
  });

  it('writes ⌘ on macOS and Ctrl+ elsewhere', () => {
    expect(shortcutHelp(true, 'electron')[0]?.keys).toEqual(['⌘K']);
    expect(shortcutHelp(false, 'electron')[0]?.keys).toEqual(['Ctrl+K']);
  });

  it("shows N for adding a host in a browser tab, where Ctrl+N is the browser's", () => {
    const add = (mode: 'browser' | 'electron') =>
      shortcutHelp(false, mode).find((line) => line.what.startsWith('Add a host'));
    expect(add('electron')?.keys).toEqual(['Ctrl+N', 'N']);
    expect(add('browser')?.keys).toEqual(['N']);
    expect(add('browser')?.what).toContain('Ctrl+N');
  });

  it('lists New session on the Sessions page under the same keys as adding a host', () => {
    for (const mode of ['browser', 'electron'] as const) {
      const lines = shortcutHelp(true, mode);
      const session = lines.find((line) => line.what.includes('New session'));
      const add = lines.find((line) => line.what.startsWith('Add a host'));
      expect(session?.what).toBe('On the Sessions page: New session');
      expect(session?.keys).toEqual(add?.keys);
    }
    expect(shortcutHelp(true, 'electron').find((l) => l.what.includes('New'))?.keys).toEqual([
      '⌘N',
      'N',
    ]);
  });
});

describe('deepActiveElement', () => {
  it('looks into the shadow root of the focused element, where the dotfile editor types', () => {
    const content = { tagName: 'DIV', isContentEditable: true };
    const host = { tagName: 'DIV', shadowRoot: { activeElement: content } };
    expect(deepActiveElement({ activeElement: host })).toBe(content);
    expect(isTextEntry(deepActiveElement({ activeElement: host }))).toBe(true);
    expect(isTextEntry(host)).toBe(false);
  });

  it('is the focused element itself without a shadow root, or one focusing nothing', () => {
    const input = { tagName: 'INPUT', type: 'text' };
    expect(deepActiveElement({ activeElement: input })).toBe(input);
    const empty = { tagName: 'DIV', shadowRoot: { activeElement: null } };
    expect(deepActiveElement({ activeElement: empty })).toBe(empty);
    expect(deepActiveElement({ activeElement: null })).toBeNull();
  });
});
