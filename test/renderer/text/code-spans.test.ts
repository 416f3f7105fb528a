import { describe, expect, it } from 'vitest';
import { splitCodeSpans } from '../../../renderer/src/text/code-spans';

describe('splitCodeSpans', () => {
  it('marks commands between backticks as code', () => {
    expect(splitCodeSpans('Run `sudo usermod -aG docker $USER`, then log in again.')).toEqual([
      { text: 'Run ', code: false },
      { text: 'sudo usermod -aG docker $USER', code: true },
      { text: ', then log in again.', code: false },
    ]);
  });

  it('handles several spans, spans at the edges and text without any', () => {
    expect(splitCodeSpans('`a` or `b`')).toEqual([
      { text: 'a', code: true },
      { text: ' or ', code: false },
      { text: 'b', code: true },
    ]);
    expect(splitCodeSpans('plain')).toEqual([{ text: 'plain', code: false }]);
    expect(splitCodeSpans('')).toEqual([]);
  });

  it('keeps an unmatched or empty pair of backticks as plain text', () => {
    expect(splitCodeSpans('it`s fine')).toEqual([{ text: 'it`s fine', code: false }]);
    expect(splitCodeSpans('a `` b')).toEqual([{ text: 'a `` b', code: false }]);
  });
});
