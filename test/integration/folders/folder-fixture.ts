import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabConfig, Volume } from '../../../common/host-setup/lab-config';
import type { PrivilegedHelper } from '../../../agent-bundle/privileged/privileged-client';
import type { TestUser } from '../../harness';
import {
  makeHelperHost,
  mountXfs,
  type InstalledRoot,
  type XfsMount,
} from '../host-setup/privileged-fixture';

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
  const host = await makeHelperHost(
    { scratchPrefix: 'labdeck-folders-', sudoGroup: options.group, users: options.users },
    ({ installed }) => {
      const srv = join(installed.root, 'srv');
      return {
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
    },
  );
  const srv = join(host.installed.root, 'srv');
  const xfs = await mountXfs(host.scratch, join(srv, 'xfs'));
  host.onRemove(() => xfs.unmount().catch(() => {}));
  for (const dir of [join(srv, 'xfs/data'), join(srv, 'xfs/quota'), join(srv, 'plain')]) {
    await mkdir(dir, { recursive: true, mode: 0o755 });
    await chmod(dir, 0o755);
  }
  return {
    installed: host.installed,
    xfs,
    get config() {
      return host.config;
    },
    users: host.users,
    group: options.group,
    scratch: host.scratch,
    volume(name) {
      const found = host.config.volumes.find((volume) => volume.name === name);
      if (found === undefined) throw new Error(`no volume ${name}`);
      return found;
    },
    connect: host.connect,
    reconfigure: host.reconfigure,
    remove: host.remove,
  };
}

/** The helper's refusal of a call (shared with the helper's own tests). */
export { refusalOf } from '../host-setup/privileged-fixture';
