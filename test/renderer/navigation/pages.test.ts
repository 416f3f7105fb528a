import { describe, expect, it } from 'vitest';
import {
  nextListIndex,
  pageForShortcut,
  PAGES,
  shortcutLabel,
  type KeyPress,
} from '../../../renderer/src/navigation/pages';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('pageForShortcut', () => {
  it('maps Ctrl+1…5 and Cmd+1…5 to the pages in sidebar order', () => {
    expect(PAGES.map((p) => p.label)).toEqual([
      'Hosts',
      'Sessions',
      'Folders',
      'Dotfiles',
      'Terminals',
    ]);
    expect(pageForShortcut(press('1', { ctrlKey: true }))).toBe('hosts');
    expect(pageForShortcut(press('5', { metaKey: true }))).toBe('terminals');
  });

  it('ignores plain digits, other modifiers and digits without a page', () => {
    expect(pageForShortcut(press('2'))).toBeUndefined();
    expect(pageForShortcut(press('2', { ctrlKey: true, shiftKey: true }))).toBeUndefined();
    expect(pageForShortcut(press('2', { ctrlKey: true, altKey: true }))).toBeUndefined();
    expect(pageForShortcut(press('2', { ctrlKey: true, metaKey: true }))).toBeUndefined();
    expect(pageForShortcut(press('6', { ctrlKey: true }))).toBeUndefined();
    expect(pageForShortcut(press('0', { ctrlKey: true }))).toBeUndefined();
    expect(pageForShortcut(press('k', { ctrlKey: true }))).toBeUndefined();
  });
});

describe('shortcutLabel', () => {
  it('reads the way the platform writes shortcuts', () => {
    expect(shortcutLabel('folders', false)).toBe('Ctrl+3');
    expect(shortcutLabel('folders', true)).toBe('⌘3');
  });
});

describe('nextListIndex', () => {
  it('moves with the arrows, wrapping at the ends, and jumps with Home/End', () => {
    expect(nextListIndex(0, 'ArrowDown', 5)).toBe(1);
    expect(nextListIndex(4, 'ArrowDown', 5)).toBe(0);
    expect(nextListIndex(0, 'ArrowUp', 5)).toBe(4);
    expect(nextListIndex(3, 'Home', 5)).toBe(0);
    expect(nextListIndex(1, 'End', 5)).toBe(4);
  });

  it('leaves other keys, and empty lists, alone', () => {
    expect(nextListIndex(2, 'Tab', 5)).toBeUndefined();
    expect(nextListIndex(0, 'ArrowDown', 0)).toBeUndefined();
  });
});
