import { describe, expect, it } from 'vitest';
import { terminalSafe } from '../../../common/text/terminal-safe';

describe('terminalSafe', () => {
  it('keeps ordinary text, tabs, newlines and non-ASCII letters', () => {
    expect(terminalSafe('GPU 0\tNVIDIA H100\nQuota: 93 % — Grüße')).toBe(
      'GPU 0\tNVIDIA H100\nQuota: 93 % — Grüße',
    );
  });

  it.each([
    ['a window title (OSC, ended by BEL)', 'a\u001b]0;pwned\u0007b', 'ab'],
    ['a hyperlink (OSC, ended by ST)', 'a\u001b]8;;http://x\u001b\\b', 'ab'],
    ['colours and cursor moves (CSI)', '\u001b[31mred\u001b[0m\u001b[2J\u001b[10;1H', 'red'],
    ['an 8-bit CSI', 'a\u009b2Jb', 'ab'],
    ['a device control string', 'a\u001bPq#0;2;0;0;0\u001b\\b', 'ab'],
    [
      'a carriage return that would overwrite the line',
      'Password:\rPassword for root:',
      'Password:Password for root:',
    ],
    ['backspaces and a bell', 'ok\b\b\u0007', 'ok'],
    ['a two-byte escape (reset)', 'a\u001bcb', 'ab'],
    ['a lone ESC at the end', 'a\u001b', 'a'],
  ])('drops %s', (_what, input, expected) => {
    expect(terminalSafe(input)).toBe(expected);
  });
});
