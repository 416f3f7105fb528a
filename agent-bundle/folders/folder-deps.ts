import type {
  MethodParams,
  MethodResult,
  UserAgentContract,
} from '../../common/agent/agent-contract';
import type { PrivilegedHelperContract } from '../../common/agent/privileged-helper-contract';
import { AppFailure } from '../../common/contract/result';
import { findVisible, type VisibleFolder } from '../../common/folders/folder-store';
import type { AgentFolderView } from '../../common/folders/folder-view';
import type { PrivilegedHelper } from '../privileged/privileged-client';
import type { CloneRunner } from './folder-clone';
import { withHelper, type FolderHelperOptions } from './folder-helper-call';
import type { FolderContext } from './folder-reader';
import type { UsageCache } from './folder-usage';

/** What every folder method shares: where the system files are, the helper, caches, clones. */
export interface FolderDeps {
  readonly helper: FolderHelperOptions;
  readonly usage: UsageCache;
  readonly clones: CloneRunner;
}

/** The parsed params of the user agent's method `M`. */
export type FolderParams<M extends keyof UserAgentContract['methods']> = MethodParams<
  UserAgentContract,
  M
>;

/** A folder after a helper's change: `privileged.folder.create` and friends answer this. */
export type FolderOutcome = MethodResult<PrivilegedHelperContract, 'privileged.folder.create'>;

/** Runs `work` with the helper, as the user `context` names. */
export function callHelper<T>(
  deps: FolderDeps,
  context: FolderContext,
  work: (helper: PrivilegedHelper) => Promise<T>,
): Promise<T> {
  return withHelper(deps.helper, context.user, context.viewer.groups, work);
}

/** The folder the user calls `name`, or `folder-not-found`. */
export function visibleNamed(context: FolderContext, name: string): VisibleFolder {
  const visible = findVisible(context.store, context.viewer, name);
  if (visible === undefined)
    throw new AppFailure({
      code: 'folder-not-found',
      message: `You have no folder "${name}" on this host.`,
      hint: 'labdeck folder ls HOST lists yours.',
    });
  return visible;
}

/** The folder the user calls `name` and owns, or why it is not theirs to `action`. */
export function ownedNamed(context: FolderContext, name: string, action: string): VisibleFolder {
  const visible = visibleNamed(context, name);
  if (visible.permission !== 'owner')
    throw new AppFailure({
      code: 'folder-not-owner',
      message: `Only its owner (${visible.folder.owner}) can ${action} folder "${name}".`,
      hint:
        visible.via === 'invitation'
          ? `It is shared with you; to drop it from your list: labdeck folder leave HOST ${name}`
          : 'Ask its owner.',
    });
  return visible;
}

/** Refuses a change to a folder a clone is still filling. */
export function notCloning(visible: VisibleFolder, action: string): void {
  if (visible.folder.state === 'cloning')
    throw new AppFailure({
      code: 'folder-cloning',
      message: `Folder "${visible.name}" cannot be ${action}: a clone is still filling it.`,
      hint: `Wait for it, or stop it: labdeck folder clone-cancel HOST ${visible.name}`,
    });
}

/**
 * A folder the user owns as a helper's change left it; `usedBytes` when known without a walk
 * (a folder just made is empty — not cached, since its owner fills it next).
 */
export function outcomeView(
  deps: FolderDeps,
  outcome: FolderOutcome,
  usedBytes?: number,
): AgentFolderView {
  const { folder, path, quota } = outcome;
  const limitBytes = folder.quotaBytes;
  return {
    id: folder.id,
    name: folder.name,
    owner: folder.owner,
    volume: folder.volume,
    path,
    permission: 'owner',
    group: folder.group,
    via: 'own',
    quota: {
      limitBytes,
      usedBytes: usedBytes ?? deps.usage.usage(folder.id, path),
      enforced: limitBytes > 0 && quota.enforced,
      reason: limitBytes > 0 && !quota.enforced ? quota.reason : null,
    },
    cloneable: folder.cloneable,
    state: folder.state,
  };
}
