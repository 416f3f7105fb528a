import type { SystemPaths } from '../../common/host-setup/system-paths';
import { withPrivilegedHelper, type HelperDomain } from '../privileged/helper-call';
import type { PrivilegedHelper } from '../privileged/privileged-client';

/** How the folder methods reach the privileged helper. */
export interface FolderHelperOptions {
  readonly paths: SystemPaths;
  /** This agent's version: the helper of the same version is the one to run. */
  readonly version: string;
  /** The sudo binary; `/usr/bin/sudo` by default. */
  readonly sudo?: string;
  /** The group whose members the sudo rule lets run the helper; `labdeck` by default. */
  readonly group?: string;
}

const FOLDERS: HelperDomain = {
  setupCode: 'folders-need-setup',
  needing: 'Folders on this host',
  doing: 'makes and changes folders',
};

/** Runs `work` with the privileged helper, opened for this one call and closed after. */
export function withHelper<T>(
  options: FolderHelperOptions,
  user: string,
  processGroups: ReadonlySet<string>,
  work: (helper: PrivilegedHelper) => Promise<T>,
): Promise<T> {
  const caller = {
    ...options,
    user,
    isRoot: process.geteuid?.() === 0,
    processGroups: () => Promise.resolve(processGroups),
  };
  return withPrivilegedHelper(FOLDERS, caller, work);
}
