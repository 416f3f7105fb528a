import { describe, expect, it } from 'vitest';
import { terminalKeyFor } from '../../../../renderer/src/features/terminals/terminal-keys';

const press = (
  key: string,
  mods: Partial<Record<'ctrl' | 'meta' | 'shift' | 'alt', boolean>> = {},
) => ({
  key,
  ctrlKey: mods.ctrl ?? false,
  metaKey: mods.meta ?? false,
  shiftKey: mods.shift ?? false,
  altKey: mods.alt ?? false,
});

describe('terminal keys', () => {
  it('leaves Ctrl+C, Ctrl+V and Ctrl+F to the shell on Linux and Windows', () => {
    expect(terminalKeyFor(press('c', { ctrl: true }), false)).toBeUndefined();
    expect(terminalKeyFor(press('v', { ctrl: true }), false)).toBeUndefined();
    expect(terminalKeyFor(press('f', { ctrl: true }), false)).toBeUndefined();
    expect(terminalKeyFor(press('t', { ctrl: true }), false)).toBeUndefined();
  });

  it('copies, pastes and finds with Ctrl+Shift there (Shift makes the key upper case)', () => {
    expect(terminalKeyFor(press('C', { ctrl: true, shift: true }), false)).toBe('copy');
    expect(terminalKeyFor(press('V', { ctrl: true, shift: true }), false)).toBe('paste');
    expect(terminalKeyFor(press('F', { ctrl: true, shift: true }), false)).toBe('find');
    expect(terminalKeyFor(press('T', { ctrl: true, shift: true }), false)).toBe('new-tab');
    // ⌘ means nothing there, and Alt keeps its own meaning.
    expect(terminalKeyFor(press('c', { meta: true }), false)).toBeUndefined();
    expect(
      terminalKeyFor(press('C', { ctrl: true, shift: true, alt: true }), false),
    ).toBeUndefined();
  });

  it('uses ⌘ on macOS and leaves Ctrl to the shell', () => {
    expect(terminalKeyFor(press('c', { meta: true }), true)).toBe('copy');
    expect(terminalKeyFor(press('v', { meta: true }), true)).toBe('paste');
    expect(terminalKeyFor(press('f', { meta: true }), true)).toBe('find');
    expect(terminalKeyFor(press('F', { meta: true, shift: true }), true)).toBe('find');
    expect(terminalKeyFor(press('T', { meta: true, shift: true }), true)).toBe('new-tab');
    expect(terminalKeyFor(press('c', { ctrl: true }), true)).toBeUndefined();
    expect(terminalKeyFor(press('C', { ctrl: true, shift: true }), true)).toBeUndefined();
  });
});
