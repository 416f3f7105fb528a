/**
 * Focuses the card of host `hostId` once the page has drawn it (the next frame), so a dialog
 * closing in this render gives focus back first and the card takes it after. Does nothing when
 * the Hosts page is not showing.
 */
export function focusHostCard(hostId: string): void {
  requestAnimationFrame(() => {
    const card = document.querySelector<HTMLElement>(
      `article[data-host-id="${CSS.escape(hostId)}"]`,
    );
    card?.focus();
  });
}
