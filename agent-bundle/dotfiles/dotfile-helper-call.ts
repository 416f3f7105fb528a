import type { DotfileWriteParams } from '../../common/agent/privileged-helper-contract';
import type { DotfileStore, DotfileSummary } from '../../common/dotfiles/dotfile-store';
import { processGroups } from '../folders/folder-reader';
import { withPrivilegedHelper, type HelperDomain } from '../privileged/helper-call';
import type { PrivilegedHelper } from '../privileged/privileged-client';
import type { DotfileCaller } from './dotfile-context';

/** How the dotfile methods reach the privileged helper. */
export interface DotfileHelperOptions {
  /** This agent's version: the helper of the same version is the one to run. */
  readonly version: string;
  /** The sudo binary; `/usr/bin/sudo` by default. */
  readonly sudo?: string;
  /** The group whose members the sudo rule lets run the helper; `labdeck` by default. */
  readonly group?: string;
}

const DOTFILES: HelperDomain = {
  setupCode: 'dotfiles-need-setup',
  needing: 'Group and lab dotfiles on this host',
  doing: 'reads and writes group and lab dotfiles for you',
};

/** Runs `work` with the privileged helper, opened for this one call, as the folder methods do. */
function withHelper<T>(
  options: DotfileHelperOptions,
  caller: DotfileCaller,
  work: (helper: PrivilegedHelper) => Promise<T>,
): Promise<T> {
  const call = {
    ...options,
    paths: caller.paths,
    user: caller.user,
    isRoot: caller.uid === 0,
    processGroups,
  };
  return withPrivilegedHelper(DOTFILES, call, work);
}

/** Asks the privileged helper to write one group or lab dotfile; it checks the caller is an admin. */
export function writeThroughHelper(
  options: DotfileHelperOptions,
  caller: DotfileCaller,
  params: DotfileWriteParams,
): Promise<DotfileSummary> {
  return withHelper(options, caller, (helper) => helper.call('privileged.dotfile.write', params));
}

/**
 * Group `group`'s store as the privileged helper reads it, for a user the file's mode refuses
 * though they may read it (they joined after this daemon started, or are its admin and not in
 * it); the helper checks which, against the user database and the configuration.
 */
export async function readThroughHelper(
  options: DotfileHelperOptions,
  caller: DotfileCaller,
  group: string,
): Promise<DotfileStore> {
  const answer = await withHelper(options, caller, (helper) =>
    helper.call('privileged.dotfile.read', { group }),
  );
  const files = answer.files.map(
    ({ path, content, mode, revision, updatedAt, updatedBy }) =>
      [path, { content, mode, revision, updatedAt, updatedBy }] as const,
  );
  return { version: 1, revision: answer.revision, files: Object.fromEntries(files) };
}
