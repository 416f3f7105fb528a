import { readFile } from 'node:fs/promises';
import type { DotfileWriteParams } from '../../common/agent/privileged-helper-contract';
import { AppFailure } from '../../common/contract/result';
import type { DotfileStore, DotfileSummary } from '../../common/dotfiles/dotfile-store';
import { installRecordSchema, type InstallRecord } from '../../common/host-setup/install-record';
import { LABDECK_GROUP } from '../../common/host-setup/sudoers-rule';
import { databaseGroups, processGroups } from '../folders/folder-reader';
import { openPrivilegedHelper, type PrivilegedHelper } from '../privileged/privileged-client';
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

const SETUP_HINT = 'Someone who can sudo runs host setup once: labdeck host setup HOST';

async function installRecord(caller: DotfileCaller, version: string): Promise<InstallRecord> {
  const path = caller.paths.installRecord(version);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined)
    throw new AppFailure({
      code: 'dotfiles-need-setup',
      message: `Group and lab dotfiles on this host need LabDeck ${version}'s privileged helper, and it is not installed (${path}).`,
      hint: SETUP_HINT,
    });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = installRecordSchema.safeParse(json);
  if (!parsed.success)
    throw new AppFailure({
      code: 'dotfiles-need-setup',
      message: `${path} is damaged.`,
      hint: 'Run labdeck host setup HOST again.',
    });
  return parsed.data;
}

/**
 * Runs `work` with the privileged helper, opened for this one call through `sudo -n` exactly as
 * the install record names it (the words the sudo rule allows) — the way the folder methods do:
 * sudo only for a member of the rule's group, through `sg GROUP` when the user joined after this
 * daemon started. The helper decides who may do what.
 */
async function withHelper<T>(
  options: DotfileHelperOptions,
  caller: DotfileCaller,
  work: (helper: PrivilegedHelper) => Promise<T>,
): Promise<T> {
  const record = await installRecord(caller, options.version);
  const group = options.group ?? LABDECK_GROUP;
  const member = caller.uid === 0 || (await processGroups()).has(group);
  const stale = !member && (await databaseGroups(caller.user)).has(group);
  if (!member && !stale)
    throw new AppFailure({
      code: 'privileged-not-member',
      message: `You (${caller.user}) are not in the ${group} group, so LabDeck's privileged helper, which reads and writes group and lab dotfiles for you, is not yours to use on this host.`,
      hint: `ask an administrator: sudo usermod -aG ${group} ${caller.user}, then reconnect`,
    });
  const helper = await openPrivilegedHelper(record, {
    ...(options.sudo === undefined ? {} : { sudo: options.sudo }),
    userName: caller.user,
    ...(stale ? { viaGroup: group } : {}),
  });
  try {
    return await work(helper);
  } finally {
    helper.close();
  }
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
