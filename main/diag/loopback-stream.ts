import { Duplex } from 'node:stream';

/** Size of each generated chunk: matches the bridge's frame size so generation stays lazy. */
const PATTERN_CHUNK_BYTES = 64 * 1024;

/** The byte at `offset` of the diagnostic pattern; a prime period catches reordered chunks. */
export function patternByte(offset: number): number {
  return offset % 251;
}

/**
 * The `diag:loopback` stream: produces `generateBytes` of a known pattern only as fast as the
 * reader pulls, then echoes whatever is written. Used to check the bridge's order and flow
 * control, and by the benchmark to measure it.
 */
export class LoopbackStream extends Duplex {
  private generated = 0;
  private readonly echoes: Buffer[] = [];
  private wantsData = false;

  constructor(private readonly generateBytes: number) {
    super();
  }

  override _read(): void {
    this.wantsData = true;
    this.pump();
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error) => void,
  ): void {
    this.echoes.push(chunk);
    if (this.wantsData) this.pump();
    callback();
  }

  override _final(callback: (error?: Error) => void): void {
    this.echoes.push(Buffer.alloc(0));
    if (this.wantsData) this.pump();
    callback();
  }

  private pump(): void {
    while (this.wantsData) {
      const next = this.nextChunk();
      if (next === undefined) return;
      if (next.byteLength === 0) {
        this.push(null);
        return;
      }
      this.wantsData = this.push(next);
    }
  }

  private nextChunk(): Buffer | undefined {
    if (this.generated < this.generateBytes) {
      const size = Math.min(PATTERN_CHUNK_BYTES, this.generateBytes - this.generated);
      const chunk = Buffer.allocUnsafe(size);
      for (let i = 0; i < size; i++) chunk[i] = patternByte(this.generated + i);
      this.generated += size;
      return chunk;
    }
    return this.echoes.shift();
  }
}
