import { validateDotfile } from '../../common/dotfiles';
import {
  EMPTY_DOTFILE_STORE,
  type DotfileScopeRef,
  type DotfileStore,
} from '../../common/dotfiles/dotfile-store';
import { groupNameSchema } from '../../common/host-setup/privileged-ops';
import { isGroupAdmin, requireMember, systemPathsOf, type DotfileCaller } from './dotfile-context';
import { readThroughHelper, type DotfileHelperOptions } from './dotfile-helper-call';
import { readDotfileStore, SHARED_STORE_DAMAGED_HINT } from './dotfile-store-file';
import { readUserStore } from './user-dotfile-store';

/**
 * Reading the three levels as the user: their own store, a group's (root's, readable by the
 * group's members only: the file mode decides, the agent adds the same check for a clear
 * message) and the lab's (readable by everyone). A group's store the file's mode keeps from the
 * user though they may read it comes through the privileged helper.
 */

/** `/var/lib/labdeck/dotfiles/…`: where the helper keeps group and lab stores. */
function sharedDir(caller: DotfileCaller): string {
  return `${caller.paths.stateDir}/dotfiles`;
}

/**
 * What a group's store is read for: `view` (list, open) lets the group's admins in too, a
 * `session` (preview, start) only its members.
 */
export type GroupStoreUse = 'view' | 'session';

/**
 * Group `group`'s store, for a member of it (per the user database) or, to `view` it, one of
 * its admins; `dotfile-group-not-member` for anyone else. A member reads the file themself; when
 * its mode refuses them (they joined after this daemon started, so its process lacks the group),
 * and for an admin who is not in the group, the privileged helper reads it.
 */
export async function readGroupStore(
  caller: DotfileCaller,
  helper: DotfileHelperOptions,
  group: string,
  use: GroupStoreUse,
): Promise<DotfileStore> {
  const member = caller.groups.includes(group);
  if (!member && !(use === 'view' && isGroupAdmin(caller, group))) requireMember(caller, group);
  // A group whose name no store can have (`domain users`) has no dotfiles.
  if (!groupNameSchema.safeParse(group).success) return EMPTY_DOTFILE_STORE;
  const throughHelper = () => readThroughHelper(helper, caller, group);
  if (!member && caller.uid !== 0) return throughHelper();
  return readDotfileStore(`${sharedDir(caller)}/groups/${group}.json`, {
    damaged: SHARED_STORE_DAMAGED_HINT,
    unreadable: `An admin can check the file on the host (root:${group} 0640).`,
    denied: throughHelper,
  });
}

/** The lab's store (none on a host whose admins set no lab dotfiles). */
export function readLabStore(caller: DotfileCaller): Promise<DotfileStore> {
  return readDotfileStore(`${sharedDir(caller)}/lab.json`, {
    damaged: SHARED_STORE_DAMAGED_HINT,
    unreadable: 'An admin can check the file on the host (root, 0644).',
  });
}

/** The store `ref` names, to view (list, open). */
export function readLevel(
  caller: DotfileCaller,
  helper: DotfileHelperOptions,
  ref: DotfileScopeRef,
): Promise<DotfileStore> {
  switch (ref.scope) {
    case 'user':
      return readUserStore(caller.home);
    case 'group':
      return readGroupStore(caller, helper, ref.group, 'view');
    case 'domain':
      return readLabStore(caller);
  }
}

/**
 * `store` without the files today's rules refuse at `scope` (a store edited by hand, or a system
 * path the host's configuration no longer allows): what a session is given must pass the same
 * check as what is saved.
 */
export function applicableFiles(
  caller: DotfileCaller,
  scope: DotfileScopeRef['scope'],
  store: DotfileStore,
): DotfileStore {
  const rules = { systemPaths: systemPathsOf(caller) };
  const files = Object.entries(store.files).filter(
    ([path, entry]) =>
      validateDotfile({ scope, path, content: entry.content, mode: entry.mode }, rules).ok,
  );
  return { ...store, files: Object.fromEntries(files) };
}
