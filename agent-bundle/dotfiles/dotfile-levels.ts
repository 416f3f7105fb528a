import { validateDotfile } from '../../common/dotfiles';
import {
  EMPTY_DOTFILE_STORE,
  type DotfileScopeRef,
  type DotfileStore,
} from '../../common/dotfiles/dotfile-store';
import { groupNameSchema } from '../../common/host-setup/privileged-ops';
import { requireMember, systemPathsOf, type DotfileCaller } from './dotfile-context';
import { readDotfileStore, readUserStore } from './user-dotfile-store';

/**
 * Reading the three levels as the user: their own store, a group's (root's, readable by the
 * group's members only: the file mode decides, the agent adds the same check for a clear
 * message) and the lab's (readable by everyone).
 */

/** `/var/lib/labdeck/dotfiles/…`: where the helper keeps group and lab stores. */
function sharedDir(caller: DotfileCaller): string {
  return `${caller.paths.stateDir}/dotfiles`;
}

/** Group `group`'s store; the user must be in it (`dotfile-group-not-member`). */
export async function readGroupStore(caller: DotfileCaller, group: string): Promise<DotfileStore> {
  requireMember(caller, group);
  // A group whose name no store can have (`Domain Users`) has no dotfiles.
  if (!groupNameSchema.safeParse(group).success) return EMPTY_DOTFILE_STORE;
  return readDotfileStore(
    `${sharedDir(caller)}/groups/${group}.json`,
    `If you joined ${group} after your LabDeck agent started, it cannot read the file yet: disconnect and connect again. Otherwise an admin can check its mode (root:${group} 0640).`,
  );
}

/** The lab's store (none on a host whose admins set no lab dotfiles). */
export function readLabStore(caller: DotfileCaller): Promise<DotfileStore> {
  return readDotfileStore(
    `${sharedDir(caller)}/lab.json`,
    'An admin can check the file on the host (root, 0644).',
  );
}

/** The store `ref` names. */
export function readLevel(caller: DotfileCaller, ref: DotfileScopeRef): Promise<DotfileStore> {
  switch (ref.scope) {
    case 'user':
      return readUserStore(caller.home);
    case 'group':
      return readGroupStore(caller, ref.group);
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
