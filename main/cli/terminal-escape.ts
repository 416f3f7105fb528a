/** The escape character, typed first on a line: `~.` detaches, as in OpenSSH. */
const TILDE = 0x7e;
const DOT = 0x2e;
const CR = 0x0d;
const LF = 0x0a;

/** What one chunk of keystrokes comes to: the bytes to send on, and whether `~.` was typed. */
export interface EscapeScan {
  /** The keystrokes to write to the terminal, escapes taken out. */
  readonly send: Uint8Array;
  /** `~.` was typed at the start of a line; what followed it in the chunk is dropped. */
  readonly detach: boolean;
}

/**
 * Finds OpenSSH's escapes in keystrokes (ssh(1), ESCAPE CHARACTERS): a `~` right after a newline
 * (Enter is `\r` in raw mode) or as the very first key is held back until the next key; `~.`
 * detaches, `~~` sends one `~`, and `~` followed by anything else sends both. A `~` held at the
 * end of a chunk waits for the next one, so the escape works however the keys arrive.
 */
export class TerminalEscape {
  private atLineStart = true;
  private held = false;

  /** Scans the next chunk of keystrokes. */
  scan(chunk: Uint8Array): EscapeScan {
    const send: number[] = [];
    for (const byte of chunk) {
      if (this.held) {
        this.held = false;
        if (byte === DOT) return { send: Uint8Array.from(send), detach: true };
        if (byte !== TILDE) send.push(TILDE);
        send.push(byte);
        this.atLineStart = byte === CR || byte === LF;
        continue;
      }
      if (this.atLineStart && byte === TILDE) {
        this.held = true;
        continue;
      }
      send.push(byte);
      this.atLineStart = byte === CR || byte === LF;
    }
    return { send: Uint8Array.from(send), detach: false };
  }
}
