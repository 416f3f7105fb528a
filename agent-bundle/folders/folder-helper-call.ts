import { readFile } from 'node:fs/promises';
import { installRecordSchema, type InstallRecord } from '../../common/host-setup/install-record';
import { LABDECK_GROUP } from '../../common/host-setup/sudoers-rule';
import type { SystemPaths } from '../../common/host-setup/system-paths';
import { AppFailure } from '../../common/contract/result';
import { openPrivilegedHelper, type PrivilegedHelper } from '../privileged/privileged-client';
import { databaseGroups } from './folder-reader';

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

async function installRecord(paths: SystemPaths, version: string): Promise<InstallRecord> {
  const path = paths.installRecord(version);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new AppFailure({
      code: 'folders-need-setup',
      message: `Folders on this host need LabDeck ${version}'s privileged helper, and it is not installed (${path}).`,
      hint: 'Someone who can sudo runs host setup once: labdeck host setup HOST',
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = installRecordSchema.safeParse(json);
  if (!parsed.success)
    throw new AppFailure({
      code: 'folders-need-setup',
      message: `${path} is damaged.`,
      hint: 'Run labdeck host setup HOST again.',
    });
  return parsed.data;
}

/**
 * Runs `work` with the privileged helper, opened for this one call and closed after, the way
 * setup.status checks the rule: the install record of this version names what sudo may run;
 * sudo is asked only for a member of the group (a refused sudo mails the admin an incident
 * report), and through `sg GROUP` when the user joined after this daemon started (sudo matches
 * the process's own groups, which the database's may have outgrown).
 */
export async function withHelper<T>(
  options: FolderHelperOptions,
  user: string,
  processGroups: ReadonlySet<string>,
  work: (helper: PrivilegedHelper) => Promise<T>,
): Promise<T> {
  const record = await installRecord(options.paths, options.version);
  const group = options.group ?? LABDECK_GROUP;
  const isRoot = process.geteuid?.() === 0;
  const member = isRoot || processGroups.has(group);
  const stale = !member && (await databaseGroups(user)).has(group);
  if (!member && !stale)
    throw new AppFailure({
      code: 'privileged-not-member',
      message: `You (${user}) are not in the ${group} group, so LabDeck's privileged helper, which makes and changes folders, is not yours to use on this host.`,
      hint: `ask an administrator: sudo usermod -aG ${group} ${user}, then reconnect`,
    });
  const helper = await openPrivilegedHelper(record, {
    ...(options.sudo === undefined ? {} : { sudo: options.sudo }),
    userName: user,
    ...(stale ? { viaGroup: group } : {}),
  });
  try {
    return await work(helper);
  } finally {
    helper.close();
  }
}
