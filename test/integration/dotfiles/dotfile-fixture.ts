import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LabConfig } from '../../../common/host-setup/lab-config';
import type { PrivilegedHelper } from '../../../agent-bundle/privileged/privileged-client';
import type { TestUser } from '../../harness';
import { makeHelperHost, type InstalledRoot } from '../host-setup/privileged-fixture';

const run = promisify(execFile);

/** The parts a dotfile host needs (for describeWithParts; add 'sshd', 'dockerd' as you use them). */
export const DOTFILE_HOST_PARTS = ['root', 'sudo', 'ssh-keygen'] as const;

/** What {@link makeDotfileHost} makes; every name from the test file's own prefix. */
export interface DotfileHostOptions {
  /** The sudo rule's group (`labdeck-test-PREFIX`, never the real `labdeck`); every user is in it. */
  readonly sudoGroup: string;
  /** The Unix group whose dotfiles the test uses (`PREFIX-grp`). */
  readonly group: string;
  /** Test user NAME (`labdeck-test-NAME`): in {@link group}, its admin and the lab's admin. */
  readonly admin: string;
  /** Test user NAME: in {@link group}, admin of nothing. */
  readonly member: string;
  /** Test user NAMEs in the sudo group only: not in {@link group}, admin of nothing. */
  readonly outsiders?: readonly string[];
  /** Make {@link group} the primary group of the admin and the member (a session's default). */
  readonly primaryGroup?: boolean;
  /** The configuration's extra system paths (`dotfileSystemPaths`). */
  readonly dotfileSystemPaths?: readonly string[];
}

/**
 * A system root with the privileged helper installed (built from the working tree), the real sudo
 * rule for {@link DotfileHostOptions.sudoGroup}, a lab configuration naming the admin as the
 * lab's and the group's admin, and real Unix users and a group.
 */
export interface DotfileHost {
  readonly installed: InstalledRoot;
  /** The bundle the helper was installed from: also the agent to push (`agentBundlePath`). */
  readonly bundle: string;
  readonly config: LabConfig;
  readonly admin: TestUser;
  readonly member: TestUser;
  readonly outsiders: readonly TestUser[];
  readonly group: string;
  readonly sudoGroup: string;
  /** A directory of the test's own, removed with the host. */
  readonly scratch: string;
  /**
   * The environment the user's agent needs to serve this root (for sshd's `SetEnv`):
   * `LABDECK_SYSTEM_ROOT=… LABDECK_HELPER_GROUP=…`.
   */
  readonly agentEnv: string;
  /** `ROOT/var/lib/labdeck/dotfiles/groups/GROUP.json` ({@link group} by default). */
  groupStorePath(group?: string): string;
  /** `ROOT/var/lib/labdeck/dotfiles/lab.json`. */
  readonly labStorePath: string;
  /** `HOME/.labdeck/dotfiles.json` of `user`. */
  userStorePath(user: TestUser): string;
  /** Opens the helper as `user` through the real sudo rule (closed by {@link remove}). */
  connect(user: TestUser): Promise<PrivilegedHelper>;
  /** Rewrites the configuration; the next helper and agent call read it. */
  reconfigure(config: LabConfig): Promise<void>;
  /** Removes the rule, the root, the users and the groups. */
  remove(): Promise<void>;
}

/** Builds the bundle and makes a {@link DotfileHost}. Needs root. */
export async function makeDotfileHost(options: DotfileHostOptions): Promise<DotfileHost> {
  const host = await makeHelperHost(
    {
      scratchPrefix: 'labdeck-dotfiles-',
      sudoGroup: options.sudoGroup,
      users: [options.admin, options.member, ...(options.outsiders ?? [])],
      groups: [options.group],
    },
    ({ users: [admin] }) => {
      if (admin === undefined) throw new Error('no admin');
      return {
        version: 1,
        lab: 'dotfile test lab',
        volumes: [],
        gpuQuantum: '0.01',
        reservedPorts: [],
        groupAdmins: { [options.group]: [admin.username] },
        labAdmins: [admin.username],
        ...(options.dotfileSystemPaths === undefined
          ? {}
          : { dotfileSystemPaths: [...options.dotfileSystemPaths] }),
      };
    },
  );
  const [admin, member, ...outsiders] = host.users;
  if (admin === undefined || member === undefined) throw new Error('no admin or member');
  for (const user of [admin, member]) {
    await run('usermod', ['-aG', options.group, user.username]);
    if (options.primaryGroup === true) await run('usermod', ['-g', options.group, user.username]);
  }
  const { installed } = host;
  const dotfilesDir = join(installed.paths.stateDir, 'dotfiles');
  return {
    installed,
    bundle: host.bundle,
    get config() {
      return host.config;
    },
    admin,
    member,
    outsiders,
    group: options.group,
    sudoGroup: options.sudoGroup,
    scratch: host.scratch,
    agentEnv: `LABDECK_SYSTEM_ROOT=${installed.root} LABDECK_HELPER_GROUP=${options.sudoGroup}`,
    groupStorePath: (group = options.group) => join(dotfilesDir, 'groups', `${group}.json`),
    labStorePath: join(dotfilesDir, 'lab.json'),
    userStorePath: (user) => join(user.home, '.labdeck', 'dotfiles.json'),
    connect: host.connect,
    reconfigure: host.reconfigure,
    remove: host.remove,
  };
}

/** The helper's refusal of a call (shared with the helper's own tests). */
export { refusalOf } from '../host-setup/privileged-fixture';
