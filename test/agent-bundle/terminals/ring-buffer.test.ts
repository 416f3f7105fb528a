import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../../../agent-bundle/terminals/ring-buffer';

describe('RingBuffer', () => {
  it('gives back exactly what was written from any offset it still holds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.uint8Array({ maxLength: 100 }), { maxLength: 30 }),
        fc.nat(),
        (capacity, chunks, pick) => {
          const ring = new RingBuffer(capacity);
          const all = Buffer.concat(chunks);
          for (const chunk of chunks) ring.write(chunk);
          expect(ring.end).toBe(all.length);
          expect(ring.start).toBe(Math.max(0, all.length - capacity));
          const from = ring.start + (pick % (ring.end - ring.start + 1));
          expect([...ring.read(from, capacity)]).toEqual([...all.subarray(from)]);
        },
      ),
    );
  });

  it('clamps a read from before its start to what it holds, and reads nothing at its end', () => {
    const ring = new RingBuffer(4);
    ring.write(Buffer.from('abcdef'));
    expect(ring.start).toBe(2);
    expect(ring.read(0, 10).toString()).toBe('cdef');
    expect(ring.read(3, 2).toString()).toBe('de');
    expect(ring.read(6, 10).length).toBe(0);
  });
});
