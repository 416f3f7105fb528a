import { describe, expect, it } from 'vitest';
import { encodeLine, LineSplitter, parseLine } from '../../../common/agent/line-codec';

function splitter(maxLineBytes = 64): {
  lines: string[];
  overflows: number;
  push(s: string | Uint8Array): void;
} {
  const result = {
    lines: [] as string[],
    overflows: 0,
    push: (input: string | Uint8Array) =>
      codec.push(typeof input === 'string' ? new TextEncoder().encode(input) : input),
  };
  const codec = new LineSplitter(maxLineBytes, {
    line: (text) => result.lines.push(text),
    overflow: () => (result.overflows += 1),
  });
  return result;
}

describe('LineSplitter', () => {
  it('joins lines split across chunks and splits chunks holding several lines', () => {
    const s = splitter();
    s.push('{"a":');
    s.push('1}\n{"b":2}\n{"c"');
    expect(s.lines).toEqual(['{"a":1}', '{"b":2}']);
    s.push(':3}\n');
    expect(s.lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('decodes a multi-byte character split between chunks', () => {
    const s = splitter();
    const bytes = new TextEncoder().encode('"Müller ✓"\n');
    s.push(bytes.subarray(0, 3));
    s.push(bytes.subarray(3, 12));
    s.push(bytes.subarray(12));
    expect(s.lines).toEqual(['"Müller ✓"']);
  });

  it('drops CR of CRLF and skips empty lines', () => {
    const s = splitter();
    s.push('one\r\n\n\r\ntwo\n');
    expect(s.lines).toEqual(['one', 'two']);
  });

  it('discards a line over the cap up to its newline, then carries on', () => {
    const s = splitter(8);
    s.push('12345');
    s.push('6789');
    expect(s.overflows).toBe(1);
    s.push('more-of-the-long-line');
    s.push('-still\nok\n');
    expect(s.overflows).toBe(1);
    expect(s.lines).toEqual(['ok']);
  });

  it('accepts a line of exactly the cap', () => {
    const s = splitter(4);
    s.push('abcd\nabcde\n');
    expect(s.lines).toEqual(['abcd']);
    expect(s.overflows).toBe(1);
  });
});

describe('encodeLine / parseLine', () => {
  it('round-trips a message containing newlines as exactly one line', () => {
    const line = encodeLine({ text: 'a\nb' });
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(parseLine(line.trimEnd())).toEqual({ text: 'a\nb' });
  });

  it('returns undefined for text that is not JSON', () => {
    expect(parseLine('Welcome to gpu-01!')).toBeUndefined();
  });
});
