import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { AppFailure } from '../../common/contract/result';
import { describeIssues } from '../../common/contract/validation';
import { groupAdminsOf } from '../../common/dotfiles/dotfile-admins';
import type { DotfileContext, DotfileScopeRef } from '../../common/dotfiles/dotfile-store';
import { labConfigSchema, type LabConfig } from '../../common/host-setup/lab-config';
import type { SystemPaths } from '../../common/host-setup/system-paths';
import { databaseGroups } from '../folders/folder-reader';

/** Who asks and what the host's configuration says, read afresh for each call. */
export interface DotfileCaller {
  readonly paths: SystemPaths;
  readonly user: string;
  readonly uid: number;
  readonly home: string;
  readonly primaryGroup: string;
  /** Every group the user database lists for the user, the primary first. */
  readonly groups: readonly string[];
  /** The lab configuration; undefined on a host without setup. */
  readonly config: LabConfig | undefined;
}

/** The lab configuration, undefined when there is none; `setup-config-invalid` when broken. */
async function readLabConfig(paths: SystemPaths): Promise<LabConfig | undefined> {
  let text: string;
  try {
    text = await readFile(paths.configFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AppFailure({
      code: 'setup-config-invalid',
      message: `${paths.configFile} cannot be read (${(error as NodeJS.ErrnoException).code}).`,
      hint: 'Run labdeck host setup HOST again, or ask an admin to check its mode (0644).',
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppFailure({
      code: 'setup-config-invalid',
      message: `${paths.configFile} is not JSON.`,
      hint: 'Run labdeck host setup HOST again.',
    });
  }
  const parsed = labConfigSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new AppFailure({
    code: 'setup-config-invalid',
    message: `${paths.configFile}: ${describeIssues(parsed.error)}.`,
    hint: 'Run labdeck host setup HOST again.',
  });
}

/**
 * The user's groups as the user database has them now (`databaseGroups`: `id -Gnz`, the primary
 * first). Membership decides which groups' dotfiles a session may use.
 */
async function groupsOf(user: string): Promise<{ primary: string; groups: string[] }> {
  const groups = [...(await databaseGroups(user))];
  return { primary: groups[0] ?? '', groups };
}

/** Reads who asks, their groups and the configuration. */
export async function loadDotfileCaller(paths: SystemPaths, home: string): Promise<DotfileCaller> {
  const user = userInfo().username;
  const [{ primary, groups }, config] = await Promise.all([groupsOf(user), readLabConfig(paths)]);
  return {
    paths,
    user,
    uid: process.getuid?.() ?? -1,
    home,
    primaryGroup: primary,
    groups,
    config,
  };
}

/** The host's extra system files for `validateDotfile`. */
export function systemPathsOf(caller: DotfileCaller): readonly string[] {
  return caller.config?.dotfileSystemPaths ?? [];
}

/** Whether the caller may change group `group`'s dotfiles: root, or listed in groupAdmins. */
export function isGroupAdmin(caller: DotfileCaller, group: string): boolean {
  if (caller.config === undefined) return false;
  return caller.uid === 0 || groupAdminsOf(caller.config, group).includes(caller.user);
}

/** What the user may do with dotfiles here: `dotfiles.context`. */
export function dotfileContext(caller: DotfileCaller): DotfileContext {
  const { config, user } = caller;
  const groupAdmin = Object.keys(config?.groupAdmins ?? {})
    .filter((group) => isGroupAdmin(caller, group))
    .sort();
  return {
    user,
    primaryGroup: caller.primaryGroup,
    groups: [...caller.groups],
    configured: config !== undefined,
    lab: config?.lab ?? null,
    domainAdmin: config !== undefined && (caller.uid === 0 || config.labAdmins.includes(user)),
    groupAdmin,
    systemPaths: [...systemPathsOf(caller)],
  };
}

/** The store of `ref` in words: "your dotfiles", "group lab's dotfiles", "the lab's dotfiles". */
export function storeLabel(ref: DotfileScopeRef): string {
  switch (ref.scope) {
    case 'user':
      return 'your dotfiles';
    case 'group':
      return `group ${ref.group}'s dotfiles`;
    case 'domain':
      return "the lab's dotfiles";
  }
}

/** Refuses a group the user is not in: its dotfiles are its members' only. */
export function requireMember(caller: DotfileCaller, group: string): void {
  if (caller.groups.includes(group)) return;
  throw new AppFailure({
    code: 'dotfile-group-not-member',
    message: `You (${caller.user}) are not in group ${group}, so its dotfiles are not yours to read or start a session with.`,
    hint: `Your groups here: ${caller.groups.join(', ')}. Pick one of them, or ask an admin to add you: sudo usermod -aG ${group} ${caller.user}`,
  });
}

/** Refuses a group or lab write on a host without a lab configuration. */
export function requireConfigured(caller: DotfileCaller): LabConfig {
  if (caller.config !== undefined) return caller.config;
  throw new AppFailure({
    code: 'dotfiles-need-setup',
    message: `LabDeck is not set up on this host (there is no ${caller.paths.configFile}): group and lab dotfiles need host setup, once, by someone who can sudo.`,
    hint: 'Your own dotfiles work without it. For the others: labdeck host setup HOST',
  });
}
