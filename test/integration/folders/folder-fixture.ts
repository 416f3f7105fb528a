import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LabConfig, Volume } from '../../../common/host-setup/lab-config';
import {
  openPrivilegedHelper,
  type PrivilegedHelper,
} from '../../../agent-bundle/privileged/privileged-client';
import { createTestUser, type TestUser } from '../../harness';
import {
  buildBundle,
  installRoot,
  installSudoRule,
  mountXfs,
  writeConfig,
  type InstalledRoot,
  type XfsMount,
} from '../host-setup/privileged-fixture';

const run = promisify(execFile);

/** The parts a folder host needs (for describeWithParts). */
export const FOLDER_HOST_PARTS = ['root', 'sudo', 'acl', 'xfs', 'ssh-keygen'] as const;

/** What {@link makeFolderHost} makes. */
export interface FolderHostOptions {
  /** The sudo rule's group (one of the test file's own, never the real `labdeck`). */
  readonly group: string;
  /** Test user names (`labdeck-test-NAME`); all are put in {@link group}. */
  readonly users: readonly string[];
}

/**
 * A test root with the helper installed and the sudo rule for its group, a real XFS filesystem
 * on a loop device (mounted without prjquota on a kernel that has no XFS quota), and volumes:
 * `xfs` (kind `xfs`) and `quota` (kind `xfs-prjquota`) on it, `plain` on the root's own disk.
 */
export interface FolderHost {
  readonly installed: InstalledRoot;
  readonly xfs: XfsMount;
  readonly config: LabConfig;
  /** The users, in the order asked for. */
  readonly users: readonly TestUser[];
  readonly group: string;
  /** A directory of the test's own, removed with the host. */
  readonly scratch: string;
  /** The configured volume `name`. */
  volume(name: 'xfs' | 'quota' | 'plain'): Volume;
  /** Opens the helper as `user` through the real sudo rule (closed by {@link remove}). */
  connect(user: TestUser): Promise<PrivilegedHelper>;
  /** Rewrites the configuration (a test that changes volumes); the next helper reads it. */
  reconfigure(config: LabConfig): Promise<void>;
  /** Unmounts, removes the root, the rule, the users and the group. */
  remove(): Promise<void>;
}

/** Builds the bundle and makes a {@link FolderHost}. Needs root. */
export async function makeFolderHost(options: FolderHostOptions): Promise<FolderHost> {
  const scratch = await mkdtemp(join(tmpdir(), 'labdeck-folders-'));
  const bundle = join(scratch, 'labdeck-agent.cjs');
  await buildBundle(bundle);
  const installed = await installRoot(bundle);
  const users = await Promise.all(options.users.map((name) => createTestUser(name)));
  await run('groupadd', ['-f', options.group]);
  for (const user of users) await run('usermod', ['-aG', options.group, user.username]);
  const removeRule = await installSudoRule(installed.record, options.group, scratch);
  const srv = join(installed.root, 'srv');
  const xfs = await mountXfs(scratch, join(srv, 'xfs'));
  for (const dir of [join(srv, 'xfs/data'), join(srv, 'xfs/quota'), join(srv, 'plain')]) {
    await mkdir(dir, { recursive: true, mode: 0o755 });
    await chmod(dir, 0o755);
  }
  let config: LabConfig = {
    version: 1,
    lab: 'folder test lab',
    volumes: [
      { name: 'xfs', path: join(srv, 'xfs/data'), kind: 'xfs' },
      { name: 'quota', path: join(srv, 'xfs/quota'), kind: 'xfs-prjquota' },
      { name: 'plain', path: join(srv, 'plain'), kind: 'plain' },
    ],
    gpuQuantum: '0.01',
    reservedPorts: [],
    groupAdmins: {},
    labAdmins: [],
  };
  await writeConfig(installed.paths, config);
  const open: PrivilegedHelper[] = [];
  return {
    installed,
    xfs,
    get config() {
      return config;
    },
    users,
    group: options.group,
    scratch,
    volume(name) {
      const found = config.volumes.find((volume) => volume.name === name);
      if (found === undefined) throw new Error(`no volume ${name}`);
      return found;
    },
    async connect(user) {
      const helper = await openPrivilegedHelper(installed.record, {
        wrapper: ['runuser', '-u', user.username, '--'],
        userName: user.username,
      });
      open.push(helper);
      return helper;
    },
    async reconfigure(next) {
      config = next;
      await writeConfig(installed.paths, next);
    },
    async remove() {
      for (const helper of open) helper.close();
      await removeRule();
      await xfs.unmount().catch(() => {});
      await installed.remove();
      for (const user of users) {
        await user.dispose();
        await run('userdel', ['-r', user.username]).catch(() => {});
      }
      await run('groupdel', [options.group]).catch(() => {});
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

/** The helper's refusal of a call (shared with the helper's own tests). */
export { refusalOf } from '../host-setup/privileged-fixture';
