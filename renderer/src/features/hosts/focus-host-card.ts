import { focusInHome } from '../../components/focus-home';

/**
 * Focuses the card of host `hostId` once the page has drawn it (the next frame), so a dialog
 * closing in this render gives focus back first and the card takes it after: the card itself
 * (`'card'`, which reads out the host's name — a host just added) or its Connect or Disconnect
 * (`'primary'`, after acting on it from the palette). Does nothing when the card is not shown.
 */
export function focusHostCard(hostId: string, where: 'card' | 'primary'): void {
  requestAnimationFrame(() => {
    const card = document.querySelector<HTMLElement>(
      `article[data-host-id="${CSS.escape(hostId)}"]`,
    );
    if (card === null) return;
    if (where === 'card') card.focus();
    else focusInHome(card);
  });
}
