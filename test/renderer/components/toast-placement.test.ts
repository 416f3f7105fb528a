import { describe, expect, it } from 'vitest';
import {
  overlapArea,
  toastBox,
  toastPlacement,
  type Box,
} from '../../../renderer/src/components/toast-placement';

/** The window of the issue: 900×700, the sidebar's 220 px on the left. */
const AREA = { viewportWidth: 900, viewportHeight: 700, contentLeft: 220 };
const STACK = { width: 380, height: 70 };

describe('toastBox', () => {
  it('puts the stack 16 px from the corner it is given', () => {
    expect(toastBox('bottom-right', AREA, STACK)).toEqual({
      x: 504,
      y: 614,
      width: 380,
      height: 70,
    });
    expect(toastBox('top-left', AREA, STACK)).toEqual({ x: 236, y: 16, width: 380, height: 70 });
  });
});

describe('toastPlacement', () => {
  it('keeps the usual bottom right corner when nothing there must stay clear', () => {
    expect(toastPlacement(AREA, STACK, [])).toBe('bottom-right');
    const high: Box = { x: 780, y: 300, width: 80, height: 30 };
    expect(toastPlacement(AREA, STACK, [high])).toBe('bottom-right');
  });

  it("moves up when it would cover the card's Connect at the bottom right", () => {
    const connect: Box = { x: 700, y: 630, width: 90, height: 30 };
    expect(overlapArea(toastBox('bottom-right', AREA, STACK), connect)).toBeGreaterThan(0);
    expect(toastPlacement(AREA, STACK, [connect])).toBe('top-right');
  });

  it('tries the left corners when buttons sit on the right at the top and the bottom', () => {
    const buttons: Box[] = [
      { x: 700, y: 630, width: 90, height: 30 },
      { x: 700, y: 40, width: 90, height: 30 },
    ];
    expect(toastPlacement(AREA, STACK, buttons)).toBe('bottom-left');
  });

  it('covers as little as it can when no corner is clear', () => {
    const everywhere: Box[] = [
      { x: 236, y: 16, width: 648, height: 20 }, // a thin strip under the top corners
      { x: 236, y: 614, width: 648, height: 70 }, // the whole bottom row
    ];
    expect(toastPlacement(AREA, STACK, everywhere)).toBe('top-right');
  });
});
