import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WINDOW_HEIGHT_PX,
  DEFAULT_WINDOW_WIDTH_PX,
  MIN_WINDOW_HEIGHT_PX,
  MIN_WINDOW_WIDTH_PX,
  visibleBounds,
} from '../../../main/electron/visible-bounds';

const laptop = { workArea: { x: 0, y: 25, width: 1440, height: 875 } };
const rightMonitor = { workArea: { x: 1440, y: 0, width: 2560, height: 1440 } };

describe('visibleBounds', () => {
  it('opens a first window centred at the default size', () => {
    expect(visibleBounds(undefined, [laptop])).toEqual({
      width: DEFAULT_WINDOW_WIDTH_PX,
      height: DEFAULT_WINDOW_HEIGHT_PX,
    });
  });

  it('restores a position that is on a connected display', () => {
    const saved = { x: 1600, y: 100, width: 1200, height: 800 };
    expect(visibleBounds(saved, [laptop, rightMonitor])).toEqual(saved);
  });

  it('drops a position on a monitor that is no longer connected, keeping the size', () => {
    const saved = { x: 1600, y: 100, width: 1200, height: 800 };
    expect(visibleBounds(saved, [laptop])).toEqual({ width: 1200, height: 800 });
  });

  it('drops a position whose title bar is above the display or barely on its edge', () => {
    expect(
      visibleBounds({ x: 100, y: -200, width: 1000, height: 700 }, [laptop]),
    ).not.toHaveProperty('x');
    expect(
      visibleBounds({ x: 1400, y: 100, width: 1000, height: 700 }, [laptop]),
    ).not.toHaveProperty('x');
  });

  it('keeps a window that hangs partly off the screen but can still be grabbed', () => {
    const saved = { x: -600, y: 100, width: 1000, height: 700 };
    expect(visibleBounds(saved, [laptop])).toEqual(saved);
  });

  it('shrinks a window larger than every display and grows one below the minimum', () => {
    expect(visibleBounds({ x: 0, y: 25, width: 3000, height: 2000 }, [laptop])).toEqual({
      x: 0,
      y: 25,
      width: 1440,
      height: 875,
    });
    expect(visibleBounds({ width: 200, height: 100 }, [laptop])).toEqual({
      width: MIN_WINDOW_WIDTH_PX,
      height: MIN_WINDOW_HEIGHT_PX,
    });
  });

  it('ignores saved values that are not numbers', () => {
    expect(visibleBounds({ width: Number.NaN, height: 700 }, [laptop])).toEqual({
      width: DEFAULT_WINDOW_WIDTH_PX,
      height: DEFAULT_WINDOW_HEIGHT_PX,
    });
    expect(
      visibleBounds({ x: Number.POSITIVE_INFINITY, y: 0, width: 1000, height: 700 }, [laptop]),
    ).toEqual({
      width: 1000,
      height: 700,
    });
  });

  it('places nothing when no display is reported', () => {
    expect(visibleBounds({ x: 0, y: 0, width: 1000, height: 700 }, [])).toEqual({
      width: 1000,
      height: 700,
    });
  });
});
