/**
 * Newline-delimited JSON framing for the agent protocol, shared by the agent and LabDeck's client.
 * Works on bytes (`Uint8Array`) so a multi-byte character split across chunks decodes correctly,
 * and caps each line so a peer that never sends a newline cannot exhaust memory.
 */

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** What a {@link LineSplitter} reports. */
export interface LineSink {
  /** One complete line, without its newline (a trailing `\r` is removed too). */
  line(text: string): void;
  /** A line grew past the cap; its bytes up to the next newline are discarded. */
  overflow(): void;
}

/** Splits a byte stream into lines of at most `maxLineBytes` bytes each. */
export class LineSplitter {
  private parts: Uint8Array[] = [];
  private size = 0;
  private discarding = false;
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly maxLineBytes: number,
    private readonly sink: LineSink,
  ) {}

  /** Feeds the next chunk; calls the sink for every line it completes. */
  push(chunk: Uint8Array): void {
    let start = 0;
    while (start <= chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      if (!this.discarding) this.append(chunk.subarray(start, end));
      if (newline === -1) return;
      if (!this.discarding) this.flushLine();
      this.discarding = false;
      start = newline + 1;
    }
  }

  private append(piece: Uint8Array): void {
    if (piece.length === 0) return;
    if (this.size + piece.length > this.maxLineBytes) {
      this.parts = [];
      this.size = 0;
      this.discarding = true;
      this.sink.overflow();
      return;
    }
    this.parts.push(piece);
    this.size += piece.length;
  }

  private flushLine(): void {
    const bytes = new Uint8Array(this.size);
    let offset = 0;
    for (const part of this.parts) {
      bytes.set(part, offset);
      offset += part.length;
    }
    this.parts = [];
    this.size = 0;
    const trimmed = bytes.at(-1) === CARRIAGE_RETURN ? bytes.subarray(0, -1) : bytes;
    if (trimmed.length > 0) this.sink.line(this.decoder.decode(trimmed));
  }
}

/** Encodes one message as a line. `JSON.stringify` escapes newlines, so it is exactly one. */
export function encodeLine(message: unknown): string {
  return `${JSON.stringify(message)}\n`;
}

/** Parses a line as JSON; `undefined` when it is not JSON (the caller still validates the shape). */
export function parseLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}
