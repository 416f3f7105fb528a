import { displayDotfilePath } from '../../../../common/dotfiles/dotfile-changes';
import { uiStore } from '../../stores/stores';
import { levelAccess } from './dotfile-form';
import { draftChecks } from './dotfile-draft';
import { listKey } from './dotfiles-store';
import { dotfilesStore } from './dotfiles-window';

/**
 * What the page's buttons and shortcuts do with the window's `dotfiles` store, with the toasts
 * that say it was done: the store itself knows nothing of toasts.
 */

/** Saves the open file and says so; a refusal stays in the editor. */
export async function saveOpenFile(): Promise<void> {
  const state = dotfilesStore.getState();
  const { draft } = state;
  if (draft === null) return;
  const context = state.contexts[draft.hostId];
  if (context?.phase !== 'loaded') return;
  const files = state.lists[listKey(draft.hostId, draft.level)];
  const { canSave } = draftChecks(
    draft,
    context.value,
    levelAccess(context.value, draft.level, ''),
    files?.phase === 'loaded' ? files.value : null,
  );
  if (!canSave) return;
  const result = await state.save();
  if (result?.ok)
    uiStore
      .getState()
      .showToast({ kind: 'success', message: `Saved ${displayDotfilePath(result.value.path)}.` });
}

/** New file at the page's level, or why there cannot be one. */
export function startNewFile(hostName: string): void {
  const state = dotfilesStore.getState();
  const context = state.hostId === null ? undefined : state.contexts[state.hostId];
  if (context?.phase !== 'loaded') {
    uiStore
      .getState()
      .showToast({ kind: 'info', message: 'Connect a host to make a dotfile on it.' });
    return;
  }
  const access = levelAccess(context.value, state.level, hostName);
  if (!access.editable) {
    uiStore.getState().showToast({ kind: 'info', message: access.reason });
    return;
  }
  state.chooseTab('files');
  state.whenClean(() => state.startNew());
}

/** After a conflict: saves mine over theirs, and says so once it is saved. */
export async function overwriteWithMine(): Promise<void> {
  const result = await dotfilesStore.getState().overwrite();
  if (result?.ok)
    uiStore.getState().showToast({
      kind: 'success',
      message: `Saved ${displayDotfilePath(result.value.path)} over the other version.`,
    });
}
