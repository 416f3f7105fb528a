import { readFile } from 'node:fs/promises';
import { AppFailure } from '../../common/contract/result';
import { installRecordSchema, type InstallRecord } from '../../common/host-setup/install-record';
import { LABDECK_GROUP } from '../../common/host-setup/sudoers-rule';
import type { SystemPaths } from '../../common/host-setup/system-paths';
import { databaseGroups } from '../folders/folder-reader';
import { openPrivilegedHelper, type PrivilegedHelper } from './privileged-client';

/** The words a domain (folders, dotfiles) puts in the failures of reaching the helper. */
export interface HelperDomain {
  /** The failure's code when this version's helper is not installed, or its record is damaged. */
  readonly setupCode: string;
  /** What needs the helper, as the sentence's subject: `Folders on this host`. */
  readonly needing: string;
  /** What the helper does for this domain: `makes and changes folders`. */
  readonly doing: string;
}

/** Who calls the helper, and which helper: everything `withPrivilegedHelper` reads. */
export interface HelperCaller {
  readonly paths: SystemPaths;
  /** This agent's version: the helper of the same version is the one to run. */
  readonly version: string;
  /** The sudo binary; `/usr/bin/sudo` by default. */
  readonly sudo?: string | undefined;
  /** The group whose members the sudo rule lets run the helper; `labdeck` by default. */
  readonly group?: string | undefined;
  readonly user: string;
  readonly isRoot: boolean;
  /** This process's own groups, asked only when the caller is not root. */
  readonly processGroups: () => Promise<ReadonlySet<string>>;
}

async function installRecord(
  domain: HelperDomain,
  paths: SystemPaths,
  version: string,
): Promise<InstallRecord> {
  const path = paths.installRecord(version);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined)
    throw new AppFailure({
      code: domain.setupCode,
      message: `${domain.needing} need LabDeck ${version}'s privileged helper, and it is not installed (${path}).`,
      hint: 'Someone who can sudo runs host setup once: labdeck host setup HOST',
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
      code: domain.setupCode,
      message: `${path} is damaged.`,
      hint: 'Run labdeck host setup HOST again.',
    });
  return parsed.data;
}

/**
 * Runs `work` with the privileged helper, opened for this one call through `sudo -n` exactly as
 * this version's install record names it (the words the sudo rule allows), and closed after, the
 * way setup.status checks the rule: sudo is asked only for a member of the rule's group (a refused
 * sudo mails the admin an incident report), and through `sg GROUP` when the user joined after this
 * daemon started (sudo matches the process's own groups, which the database's may have outgrown).
 * The helper decides who may do what.
 */
export async function withPrivilegedHelper<T>(
  domain: HelperDomain,
  caller: HelperCaller,
  work: (helper: PrivilegedHelper) => Promise<T>,
): Promise<T> {
  const record = await installRecord(domain, caller.paths, caller.version);
  const group = caller.group ?? LABDECK_GROUP;
  const member = caller.isRoot || (await caller.processGroups()).has(group);
  const stale = !member && (await databaseGroups(caller.user)).has(group);
  if (!member && !stale)
    throw new AppFailure({
      code: 'privileged-not-member',
      message: `You (${caller.user}) are not in the ${group} group, so LabDeck's privileged helper, which ${domain.doing}, is not yours to use on this host.`,
      hint: `ask an administrator: sudo usermod -aG ${group} ${caller.user}, then reconnect`,
    });
  const helper = await openPrivilegedHelper(record, {
    ...(caller.sudo === undefined ? {} : { sudo: caller.sudo }),
    userName: caller.user,
    ...(stale ? { viaGroup: group } : {}),
  });
  try {
    return await work(helper);
  } finally {
    helper.close();
  }
}
