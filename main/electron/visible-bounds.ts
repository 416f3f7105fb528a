import type { Rectangle } from 'electron';

/** A window's size, and its position when it should be placed rather than centred. */
export interface WindowBounds {
  readonly x?: number;
  readonly y?: number;
  readonly width: number;
  readonly height: number;
}

/** The part of Electron's `Display` we need: where windows may go on it. */
export interface DisplayArea {
  readonly workArea: Rectangle;
}

/** Size of a first window: fits a 1366×768 laptop screen with room for the OS's bars. */
export const DEFAULT_WINDOW_WIDTH_PX = 1280;
export const DEFAULT_WINDOW_HEIGHT_PX = 720;

/** Smallest window that still shows the host list beside a terminal. */
export const MIN_WINDOW_WIDTH_PX = 800;
export const MIN_WINDOW_HEIGHT_PX = 500;

/** Height of the strip at the top of a window that the user grabs to move it. */
const TITLE_BAR_HEIGHT_PX = 32;

/** How much of that strip must be on a display for the window to count as reachable. */
const MIN_GRABBABLE_WIDTH_PX = 100;
const MIN_GRABBABLE_HEIGHT_PX = 24;

function overlap(start: number, length: number, areaStart: number, areaLength: number): number {
  return Math.min(start + length, areaStart + areaLength) - Math.max(start, areaStart);
}

function clampSize(value: number, min: number, max: number): number {
  return Math.round(Math.max(min, Math.min(value, Math.max(min, max))));
}

/**
 * The bounds to open the window with, from the saved ones and the displays connected now. A
 * saved position is kept only if enough of the title bar lies on some display to grab it; one
 * on a monitor that was unplugged is dropped, so the window opens centred instead of invisible.
 * Sizes are clamped between the minimum and the largest display.
 */
export function visibleBounds(
  saved: WindowBounds | undefined,
  displays: readonly DisplayArea[],
): WindowBounds {
  const widest = Math.max(0, ...displays.map((d) => d.workArea.width));
  const tallest = Math.max(0, ...displays.map((d) => d.workArea.height));
  const fit = (width: number, height: number): WindowBounds => ({
    width: clampSize(width, MIN_WINDOW_WIDTH_PX, widest || width),
    height: clampSize(height, MIN_WINDOW_HEIGHT_PX, tallest || height),
  });
  if (!saved || !Number.isFinite(saved.width) || !Number.isFinite(saved.height)) {
    return fit(DEFAULT_WINDOW_WIDTH_PX, DEFAULT_WINDOW_HEIGHT_PX);
  }
  const size = fit(saved.width, saved.height);
  const { x, y } = saved;
  if (x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) return size;
  const reachable = displays.some(
    ({ workArea }) =>
      overlap(x, size.width, workArea.x, workArea.width) >= MIN_GRABBABLE_WIDTH_PX &&
      overlap(y, TITLE_BAR_HEIGHT_PX, workArea.y, workArea.height) >= MIN_GRABBABLE_HEIGHT_PX,
  );
  return reachable ? { x: Math.round(x), y: Math.round(y), ...size } : size;
}
