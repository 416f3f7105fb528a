import { describe, expect, it } from 'vitest';
import { TerminalEscape } from '../../../main/cli/terminal-escape';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (data: Uint8Array): string => new TextDecoder().decode(data);

/** Feeds the chunks in order; what was sent and whether (and at which chunk) it detached. */
function typed(...chunks: string[]): { sent: string; detachedAt: number | null } {
  const escape = new TerminalEscape();
  let sent = '';
  for (const [index, chunk] of chunks.entries()) {
    const scan = escape.scan(bytes(chunk));
    sent += text(scan.send);
    if (scan.detach) return { sent, detachedAt: index };
  }
  return { sent, detachedAt: null };
}

describe('the ~. escape of `labdeck terminal`, as OpenSSH reads it', () => {
  it('detaches on ~. right after Enter, sending what came before and nothing after', () => {
    expect(typed('echo hi\r~.ls\r')).toEqual({ sent: 'echo hi\r', detachedAt: 0 });
  });

  it('detaches on ~. as the very first keys, and after a newline', () => {
    expect(typed('~.')).toEqual({ sent: '', detachedAt: 0 });
    expect(typed('a\n~.')).toEqual({ sent: 'a\n', detachedAt: 0 });
  });

  it('works however the keys arrive: one per chunk, the ~ at the end of a chunk', () => {
    expect(typed('e', 'c', '\r', '~', '.')).toEqual({ sent: 'ec\r', detachedAt: 4 });
    expect(typed('x\r~', 'y')).toEqual({ sent: 'x\r~y', detachedAt: null });
  });

  it('sends ~ and ~. typed in the middle of a line as they are', () => {
    expect(typed('cd ~/data; echo ~.', '\r')).toEqual({
      sent: 'cd ~/data; echo ~.\r',
      detachedAt: null,
    });
  });

  it('sends one ~ for ~~, and then the line has begun: a following ~. is sent too', () => {
    expect(typed('~~')).toEqual({ sent: '~', detachedAt: null });
    expect(typed('\r~~.')).toEqual({ sent: '\r~.', detachedAt: null });
  });

  it('sends both keys of any other ~X, and ~ then Enter starts a new line', () => {
    expect(typed('~x')).toEqual({ sent: '~x', detachedAt: null });
    expect(typed('~\r~.')).toEqual({ sent: '~\r', detachedAt: 0 });
  });

  it('holds a lone ~ back until the next key decides', () => {
    const escape = new TerminalEscape();
    expect(text(escape.scan(bytes('\r~')).send)).toBe('\r');
    expect(text(escape.scan(bytes('a')).send)).toBe('~a');
  });

  it('passes bytes that are not UTF-8 text through unchanged', () => {
    const escape = new TerminalEscape();
    const raw = Uint8Array.from([0x03, 0xff, 0x00, 0x1b, 0x5b, 0x41]);
    expect(escape.scan(raw)).toEqual({ send: raw, detach: false });
  });
});
