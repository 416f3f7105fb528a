import { readFile } from 'node:fs/promises';
import type { DotfileWriteParams } from '../../common/agent/privileged-helper-contract';
import { AppFailure } from '../../common/contract/result';
import type { DotfileSummary } from '../../common/dotfiles/dotfile-store';
import { installRecordSchema, type InstallRecord } from '../../common/host-setup/install-record';
import { LABDECK_GROUP } from '../../common/host-setup/sudoers-rule';
import { databaseGroups, processGroups } from '../folders/folder-reader';
import { openPrivilegedHelper } from '../privileged/privileged-client';
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
 * Asks the privileged helper to write one group or lab dotfile, opened for this one call through
 * `sudo -n` exactly as the install record names it (the words the sudo rule allows) — the way
 * the folder methods do: sudo only for a member of the rule's group, through `sg GROUP` when the
 * user joined after this daemon started. The helper decides who is an admin.
 */
export async function writeThroughHelper(
  options: DotfileHelperOptions,
  caller: DotfileCaller,
  params: DotfileWriteParams,
): Promise<DotfileSummary> {
  const record = await installRecord(caller, options.version);
  const group = options.group ?? LABDECK_GROUP;
  const member = caller.uid === 0 || (await processGroups()).has(group);
  const stale = !member && (await databaseGroups(caller.user)).has(group);
  if (!member && !stale)
    throw new AppFailure({
      code: 'privileged-not-member',
      message: `You (${caller.user}) are not in the ${group} group, so LabDeck's privileged helper, which writes group and lab dotfiles, is not yours to use on this host.`,
      hint: `ask an administrator: sudo usermod -aG ${group} ${caller.user}, then reconnect`,
    });
  const helper = await openPrivilegedHelper(record, {
    ...(options.sudo === undefined ? {} : { sudo: options.sudo }),
    userName: caller.user,
    ...(stale ? { viaGroup: group } : {}),
  });
  try {
    return await helper.call('privileged.dotfile.write', params);
  } finally {
    helper.close();
  }
}
