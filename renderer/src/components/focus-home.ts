/**
 * Where focus goes when the control that had it disappears: a button replaced by another (Connect
 * by Disconnect), or a dialog's opener gone while the dialog was open. A region marked
 * `data-focus-home` (a host card; every dialog, so a control gone from a dialog that stays open
 * leaves the focus in it) takes it back, on its element marked `data-focus-primary` (the
 * card's Connect or Disconnect) or else on itself — never on the page body, where a keyboard
 * user would have to start again from the top.
 */

/** Marks a region that takes focus back from a control of it that went away. */
export const FOCUS_HOME = 'data-focus-home';

/** Marks the control of a region that takes focus back first (the first one in the region). */
export const FOCUS_PRIMARY = 'data-focus-primary';

/** The region `element` belongs to, or null. */
export function focusHomeOf(element: Element | null): HTMLElement | null {
  return element?.closest<HTMLElement>(`[${FOCUS_HOME}]`) ?? null;
}

/**
 * Focuses a region: its primary control when it has one, else the region itself. A primary of a
 * region inside it (a dialog opened from a card) is that region's, not this one's.
 */
export function focusInHome(home: HTMLElement): void {
  const primary = [...home.querySelectorAll<HTMLElement>(`[${FOCUS_PRIMARY}]`)].find(
    (element) => focusHomeOf(element) === home,
  );
  (primary ?? home).focus();
}

/**
 * Gives focus back after a dialog closed: to `opener` when it is still on the page, else to the
 * region it was in, when that is.
 */
export function returnFocus(opener: HTMLElement | null, home: HTMLElement | null): void {
  if (opener?.isConnected && opener !== document.body) opener.focus();
  else if (home?.isConnected) focusInHome(home);
}

/** True when nothing has focus: the page body (or nothing at all) is the active element. */
export function focusIsLost(): boolean {
  return document.activeElement === null || document.activeElement === document.body;
}
