import { describe, expect, it } from 'vitest';
import { sparklineShapes, type SparkFrame } from '../../../renderer/src/charts/sparkline-segments';

const FRAME: SparkFrame = {
  start: 0,
  end: 10_000,
  max: 100,
  width: 100,
  height: 12,
  inset: 1,
  maxGapMs: 3_000,
};

describe('sparklineShapes', () => {
  it('maps time to x and value to y inside the inset: 100 % is drawn below the top edge', () => {
    const points = [
      { at: 0, value: 0 },
      { at: 5_000, value: 50 },
      { at: 10_000, value: 100 },
    ];
    const shapes = sparklineShapes(points, { ...FRAME, maxGapMs: 5_000 });
    expect(shapes.lines).toEqual(['0,11 50,6 100,1']);
    expect(shapes.top).toBe(1);
    expect(shapes.bottom).toBe(11);
    // The area under the line closes down to zero, so a flat 100 % reads as full.
    expect(shapes.areas).toEqual(['0,11 0,11 50,6 100,1 100,11']);
    expect(shapes.gaps).toEqual([]);
  });

  it('breaks the line at unknown values and at missed ticks, and shades what is missing', () => {
    const points = [
      { at: 0, value: 10 },
      { at: 1_000, value: 20 },
      { at: 2_000, value: null },
      { at: 3_000, value: 30 },
      { at: 4_000, value: 40 },
      { at: 9_000, value: 90 },
      { at: 10_000, value: 100 },
    ];
    const shapes = sparklineShapes(points, FRAME);
    expect(shapes.lines).toEqual(['0,10 10,9', '30,8 40,7', '90,2 100,1']);
    expect(shapes.gaps).toEqual([
      { x1: 10, x2: 30 },
      { x1: 40, x2: 90 },
    ]);
  });

  it('draws a lone point after a reconnect as a dot, not a dash, with the gap before it', () => {
    const points = [
      { at: 0, value: 50 },
      { at: 1_000, value: 50 },
      { at: 8_000, value: 100 },
    ];
    const shapes = sparklineShapes(points, FRAME);
    expect(shapes.lines).toEqual(['0,6 10,6']);
    expect(shapes.dots).toEqual([{ x: 80, y: 1 }]);
    expect(shapes.gaps).toEqual([{ x1: 10, x2: 80 }]);
  });

  it('clamps values, skips points outside the span, and draws nothing for no points', () => {
    const shapes = sparklineShapes(
      [
        { at: -1_000, value: 5 },
        { at: 5_000, value: 250 },
        { at: 6_000, value: null },
      ],
      FRAME,
    );
    expect(shapes.dots).toEqual([{ x: 50, y: 1 }]);
    expect(shapes.gaps).toEqual([{ x1: 50, x2: 60 }]);
    expect(sparklineShapes([], FRAME)).toMatchObject({ lines: [], dots: [], gaps: [] });
  });
});
