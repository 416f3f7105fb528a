/** A box on screen, in CSS pixels from the viewport's top left corner. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The corners the toast stack may sit in, in the order tried. */
export const TOAST_PLACEMENTS = ['bottom-right', 'top-right', 'bottom-left', 'top-left'] as const;

/** One corner of the window for the toast stack. */
export type ToastPlacement = (typeof TOAST_PLACEMENTS)[number];

/** Space between the stack and the edges of the window or the content column, in px. */
export const TOAST_MARGIN_PX = 16;

/** Where the stack may go: the viewport and the left edge of the content (right of the sidebar). */
export interface ToastArea {
  readonly viewportWidth: number;
  readonly viewportHeight: number;
  readonly contentLeft: number;
}

/** The box the stack takes in `placement`. */
export function toastBox(
  placement: ToastPlacement,
  area: ToastArea,
  stack: { readonly width: number; readonly height: number },
): Box {
  const right = area.viewportWidth - TOAST_MARGIN_PX - stack.width;
  const left = area.contentLeft + TOAST_MARGIN_PX;
  const bottom = area.viewportHeight - TOAST_MARGIN_PX - stack.height;
  const x = placement.endsWith('right') ? right : left;
  const y = placement.startsWith('bottom') ? bottom : TOAST_MARGIN_PX;
  return { x, y, width: stack.width, height: stack.height };
}

/** The area two boxes share, 0 when they do not meet. */
export function overlapArea(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * The corner for the toast stack that covers none of `keepClear` (the buttons of the host card
 * a toast is about): the usual bottom right when it is clear, else the first clear corner, else
 * the one covering least. A toast about a host must never hide the buttons that act on it.
 */
export function toastPlacement(
  area: ToastArea,
  stack: { readonly width: number; readonly height: number },
  keepClear: readonly Box[],
): ToastPlacement {
  let best: ToastPlacement = TOAST_PLACEMENTS[0];
  let bestCovered = Number.POSITIVE_INFINITY;
  for (const placement of TOAST_PLACEMENTS) {
    const box = toastBox(placement, area, stack);
    const covered = keepClear.reduce((sum, button) => sum + overlapArea(box, button), 0);
    if (covered === 0) return placement;
    if (covered < bestCovered) {
      best = placement;
      bestCovered = covered;
    }
  }
  return best;
}
