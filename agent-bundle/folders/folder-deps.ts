import type {
  MethodParams,
  MethodResult,
  UserAgentContract,
} from '../../common/agent/agent-contract';
import type { PrivilegedHelperContract } from '../../common/agent/privileged-helper-contract';
import { AppFailure } from '../../common/contract/result';
import {
  ambiguousFolderName,
  lookupVisible,
  type VisibleFolder,
} from '../../common/folders/folder-store';
import type { AgentFolderView } from '../../common/folders/folder-view';
import type { PrivilegedHelper } from '../privileged/privileged-client';
import type { CloneRunner } from './folder-clone';
import type { QuotaReportCache } from './folder-quota-reports';
import { withHelper, type FolderHelperOptions } from './folder-helper-call';
import type { FolderContext } from './folder-reader';
import type { UsageCache } from './folder-usage';

/** What every folder method shares: the helper, the usage and quota report caches, clones. */
export interface FolderDeps {
  readonly helper: FolderHelperOptions;
  readonly usage: UsageCache;
  readonly reports: QuotaReportCache;
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

/** The folder the user calls `name`, or `folder-not-found` (`folder-name-ambiguous` for two). */
export function visibleNamed(context: FolderContext, name: string): VisibleFolder {
  const found = lookupVisible(context.store, context.viewer, name);
  if (found.kind === 'ambiguous') throw new AppFailure(ambiguousFolderName(name, found.matches));
  if (found.kind === 'none')
    throw new AppFailure({
      code: 'folder-not-found',
      message: `You have no folder "${name}" on this host.`,
      hint: 'labdeck folder ls HOST lists yours.',
    });
  return found.visible;
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

/**
 * What to do about folder `name` in state `cloning`: wait for or stop the clone this agent runs,
 * or — when none fills it any more (its agent was killed, a purge failed) — purge it.
 */
export function cloningHint(deps: FolderDeps, folder: { id: string }, name: string): string {
  return deps.clones.runs(folder.id)
    ? `Wait for it, or stop it: labdeck folder clone-cancel HOST ${name}`
    : `no clone is filling it any more: labdeck folder purge HOST ${name} removes it`;
}

/** Refuses a change to a folder in state `cloning`, saying whether a clone still fills it. */
export function notCloning(deps: FolderDeps, visible: VisibleFolder, action: string): void {
  if (visible.folder.state === 'cloning')
    throw new AppFailure({
      code: 'folder-cloning',
      message: `Folder "${visible.name}" cannot be ${action}: it is being cloned into.`,
      hint: cloningHint(deps, visible.folder, visible.name),
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
