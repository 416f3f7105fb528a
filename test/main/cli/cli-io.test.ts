import { describe, expect, it } from 'vitest';
import { jsonText, oneLine } from '../../../main/cli/cli-io';

describe('the JSON every --json prints', () => {
  it('escapes DEL, the C1 controls and the line separators a host may put in a name, and is still the same JSON', () => {
    const value = {
      path: '.bashrc\u009b2J\u0085x',
      reason: 'a\u007fb\u0080c\u009fd\u2028e\u2029f',
      plain: 'é ✓ 🙂 "quoted" \\ \n\t\u001b',
      n: 3,
      none: null,
    };
    const text = jsonText(value, 2);
    expect(text).not.toMatch(/[\u007f-\u009f\u2028\u2029]/);
    expect(text).toContain('".bashrc\\u009b2J\\u0085x"');
    expect(text).toContain('"a\\u007fb\\u0080c\\u009fd\\u2028e\\u2029f"');
    // What JSON.stringify already escapes, or leaves as harmless text, is as before.
    expect(text).toContain('"é ✓ 🙂 \\"quoted\\" \\\\ \\n\\t\\u001b"');
    expect(JSON.parse(text)).toEqual(value);
    expect(jsonText({ k: 'a\u0085b' }, 2)).toBe('{\n  "k": "a\\u0085b"\n}');
    expect(jsonText({ a: [1, 'x'] })).toBe('{"a":[1,"x"]}');
    expect(jsonText(['\u0090'])).toBe('["\\u0090"]');
  });
});

describe('a host value on one line', () => {
  it('drops escape sequences and controls, and makes newlines and tabs spaces', () => {
    expect(oneLine('a\nb\tc\r\nd\u001b[31me\u2028f')).toBe('a b c de f');
    expect(oneLine('~/.bashrc')).toBe('~/.bashrc');
  });
});
