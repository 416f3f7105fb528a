import type { TerminalTarget } from '../../../../common/contract/terminals';
import { uiStore } from '../../stores/stores';
import { terminalsStore } from './terminals-window';

/** "Open terminal" on a host or session card: shows the Terminals page with a new tab there. */
export function openTerminal(target: TerminalTarget): void {
  uiStore.getState().showPage('terminals');
  void terminalsStore.getState().openTab(target);
}
