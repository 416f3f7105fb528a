/**
 * A terminal's recent output: a fixed-size circular byte buffer addressed by absolute offsets
 * (bytes the process has written since it started), so that a client can say "I have shown
 * everything before offset N" and get exactly what follows — or learn how much is gone.
 */
export class RingBuffer {
  private readonly bytes: Buffer;
  private written = 0;

  constructor(readonly capacity: number) {
    this.bytes = Buffer.alloc(capacity);
  }

  /** The offset after the newest byte: everything the process has written. */
  get end(): number {
    return this.written;
  }

  /** The offset of the oldest byte still held. */
  get start(): number {
    return Math.max(0, this.written - this.capacity);
  }

  /** Appends `chunk`; the oldest bytes make room. */
  write(chunk: Uint8Array): void {
    let data = chunk;
    if (data.length > this.capacity) {
      this.written += data.length - this.capacity;
      data = data.subarray(data.length - this.capacity);
    }
    const at = this.written % this.capacity;
    const first = Math.min(data.length, this.capacity - at);
    this.bytes.set(data.subarray(0, first), at);
    if (first < data.length) this.bytes.set(data.subarray(first), 0);
    this.written += data.length;
  }

  /**
   * A copy of up to `max` bytes from offset `from` (clamped to {@link start}); empty at the end.
   */
  read(from: number, max: number): Buffer {
    const begin = Math.max(from, this.start);
    const length = Math.max(0, Math.min(max, this.written - begin));
    const out = Buffer.allocUnsafe(length);
    const at = begin % this.capacity;
    const first = Math.min(length, this.capacity - at);
    this.bytes.copy(out, 0, at, at + first);
    if (first < length) this.bytes.copy(out, first, 0, length - first);
    return out;
  }
}
