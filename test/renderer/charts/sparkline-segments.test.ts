import { describe, expect, it } from 'vitest';
import {
  sparklineSegments,
  type SparkFrame,
} from '../../../renderer/src/charts/sparkline-segments';

const FRAME: SparkFrame = {
  start: 0,
  end: 10_000,
  max: 100,
  width: 100,
  height: 10,
  maxGapMs: 3_000,
};

describe('sparklineSegments', () => {
  it('maps time to x and value to y, top being the maximum', () => {
    const points = [
      { at: 0, value: 0 },
      { at: 5_000, value: 50 },
      { at: 10_000, value: 100 },
    ];
    expect(sparklineSegments(points, { ...FRAME, maxGapMs: 5_000 })).toEqual(['0,10 50,5 100,0']);
  });

  it('breaks the line at unknown values and at missed ticks', () => {
    const points = [
      { at: 0, value: 10 },
      { at: 1_000, value: 20 },
      { at: 2_000, value: null },
      { at: 3_000, value: 30 },
      { at: 4_000, value: 40 },
      { at: 9_000, value: 90 },
      { at: 10_000, value: 100 },
    ];
    expect(sparklineSegments(points, FRAME)).toEqual(['0,9 10,8', '30,7 40,6', '90,1 100,0']);
  });

  it('draws a lone point as a short dash, clamps values and skips points outside the span', () => {
    const points = [
      { at: -1_000, value: 5 },
      { at: 5_000, value: 250 },
      { at: 6_000, value: null },
    ];
    expect(sparklineSegments(points, FRAME)).toEqual(['49,0 51,0']);
    expect(sparklineSegments([], FRAME)).toEqual([]);
  });
});
