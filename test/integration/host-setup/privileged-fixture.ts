import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  realpath,
  rename,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { version } from '../../../package.json';
import { AppFailure, type AppError } from '../../../common/contract/result';
import {
  openPrivilegedHelper,
  type PrivilegedHelper,
} from '../../../agent-bundle/privileged/privileged-client';
import type { InstallRecord } from '../../../common/host-setup/install-record';
import type { LabConfig } from '../../../common/host-setup/lab-config';
import { sudoersRule } from '../../../common/host-setup/sudoers-rule';
import { systemPaths, type SystemPaths } from '../../../common/host-setup/system-paths';
import { createTestUser, REPO_ROOT, type TestUser } from '../../harness';

const run = promisify(execFile);

/** Parent of every test root: root's, 0755, so the helper's trusted-path check passes. */
export const TEST_ROOTS_DIR = '/var/lib/labdeck-test-roots';
/** Where sudo reads rules from: the real one (sudo has no root prefix). */
const SUDOERS_DIR = '/etc/sudoers.d';
const VISUDO = '/usr/sbin/visudo';
/** The smallest filesystem mkfs.xfs agrees to make. */
const XFS_IMAGE_BYTES = 300 * 1024 * 1024;

/** Runs a command as `user` (runuser, argv); its exit code and output, never throwing. */
export async function runAs(
  user: string,
  argv: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('runuser', ['-u', user, '--', ...argv]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === 'number' ? failed.code : -1,
      stdout: failed.stdout ?? '',
      stderr: failed.stderr ?? '',
    };
  }
}

/**
 * Builds the agent bundle with the release's options (scripts/build-node.mjs: one minified
 * CommonJS file for Node 18), into the test's own directory so no other run's out/ is touched.
 */
export async function buildBundle(outfile: string): Promise<void> {
  await build({
    entryPoints: [join(REPO_ROOT, 'agent-bundle/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

/** A system root with the helper installed as host setup installs it. */
export interface InstalledRoot {
  readonly root: string;
  readonly paths: SystemPaths;
  readonly record: InstallRecord;
  remove(): Promise<void>;
}

/**
 * Makes a root under {@link TEST_ROOTS_DIR} and installs `bundle` at
 * `ROOT/opt/labdeck/agent/VERSION/labdeck-agent.cjs` (0644 root, directories 0755), with its
 * install record, `/var/lib/labdeck` (0755) and `/var/log/labdeck` (0750).
 */
export async function installRoot(bundle: string): Promise<InstalledRoot> {
  await mkdir(TEST_ROOTS_DIR, { recursive: true, mode: 0o755 });
  await chmod(TEST_ROOTS_DIR, 0o755);
  const root = await mkdtemp(join(TEST_ROOTS_DIR, 'priv-'));
  await chmod(root, 0o755);
  const paths = systemPaths(root);
  for (const dir of [paths.agentDir(version), paths.configDir, paths.stateDir])
    await mkdir(dir, { recursive: true, mode: 0o755 });
  await mkdir(paths.logDir, { recursive: true, mode: 0o750 });
  const helper = paths.agentFile(version);
  const text = await readFile(bundle);
  await writeFile(helper, text, { mode: 0o644 });
  const node = await realpath(process.execPath);
  const record: InstallRecord = {
    version,
    bundleSha256: createHash('sha256').update(text).digest('hex'),
    node,
    helper,
  };
  await writeFile(paths.installRecord(version), JSON.stringify(record), { mode: 0o644 });
  return { root, paths, record, remove: () => rm(root, { recursive: true, force: true }) };
}

/** Writes the lab configuration (0644). */
export async function writeConfig(paths: SystemPaths, config: LabConfig): Promise<void> {
  await writeFile(paths.configFile, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o644 });
}

/**
 * Installs the generated sudo rule for `group` into the real /etc/sudoers.d after `visudo -cf`
 * passed, under a name without a dot (sudo skips those); returns its remover.
 */
export async function installSudoRule(
  record: InstallRecord,
  group: string,
  scratch: string,
): Promise<() => Promise<void>> {
  const draft = join(scratch, 'sudoers-draft');
  await writeFile(draft, sudoersRule({ nodePath: record.node, helperPath: record.helper, group }), {
    mode: 0o440,
  });
  await run(VISUDO, ['-cf', draft]);
  const name = `${group}-${randomBytes(6).toString('hex')}`;
  const target = join(SUDOERS_DIR, name);
  const staged = join(SUDOERS_DIR, `.${name}.tmp`);
  await writeFile(staged, await readFile(draft), { mode: 0o440 });
  await chmod(staged, 0o440);
  await rename(staged, target);
  return () => rm(target, { force: true });
}

/** What {@link makeHelperHost} makes; every name from the test file's own prefix. */
export interface HelperHostOptions {
  /** The scratch directory's prefix under the OS's temporary directory (`labdeck-folders-`). */
  readonly scratchPrefix: string;
  /** The sudo rule's group (one of the test file's own, never the real `labdeck`); every user is in it. */
  readonly sudoGroup: string;
  /** Test user names (`labdeck-test-NAME`). */
  readonly users: readonly string[];
  /** Further groups to make, removed with the host. */
  readonly groups?: readonly string[];
}

/**
 * A test root with the helper installed (built from the working tree), the real sudo rule for
 * {@link HelperHostOptions.sudoGroup}, a lab configuration, and real Unix users in that group:
 * what the folder and dotfile hosts share.
 */
export interface HelperHost {
  readonly installed: InstalledRoot;
  /** The bundle the helper was installed from. */
  readonly bundle: string;
  /** A directory of the test's own, removed with the host. */
  readonly scratch: string;
  /** The users, in the order asked for. */
  readonly users: readonly TestUser[];
  readonly config: LabConfig;
  /** Opens the helper as `user` through the real sudo rule (closed by {@link remove}). */
  connect(user: TestUser): Promise<PrivilegedHelper>;
  /** Rewrites the configuration; the next helper (and agent) call reads it. */
  reconfigure(config: LabConfig): Promise<void>;
  /** Adds a step to {@link remove}, run after the rule goes and before the root (an unmount). */
  onRemove(step: () => Promise<void>): void;
  /** Removes the rule, the root, the users (and the group of each) and the groups. */
  remove(): Promise<void>;
}

/** Builds the bundle and makes a {@link HelperHost} configured with `config`'s. Needs root. */
export async function makeHelperHost(
  options: HelperHostOptions,
  config: (made: { installed: InstalledRoot; users: readonly TestUser[] }) => LabConfig,
): Promise<HelperHost> {
  const scratch = await mkdtemp(join(tmpdir(), options.scratchPrefix));
  const bundle = join(scratch, 'labdeck-agent.cjs');
  await buildBundle(bundle);
  const installed = await installRoot(bundle);
  const users = await Promise.all(options.users.map((name) => createTestUser(name)));
  const groups = [options.sudoGroup, ...(options.groups ?? [])];
  for (const group of groups) await run('groupadd', ['-f', group]);
  for (const user of users) await run('usermod', ['-aG', options.sudoGroup, user.username]);
  const removeRule = await installSudoRule(installed.record, options.sudoGroup, scratch);
  let current = config({ installed, users });
  await writeConfig(installed.paths, current);
  const open: PrivilegedHelper[] = [];
  const steps: (() => Promise<void>)[] = [];
  return {
    installed,
    bundle,
    scratch,
    users,
    get config() {
      return current;
    },
    connect: async (user) => {
      const helper = await openPrivilegedHelper(installed.record, {
        wrapper: ['runuser', '-u', user.username, '--'],
        userName: user.username,
      });
      open.push(helper);
      return helper;
    },
    reconfigure: async (next) => {
      current = next;
      await writeConfig(installed.paths, next);
    },
    onRemove: (step) => {
      steps.push(step);
    },
    remove: async () => {
      for (const helper of open) helper.close();
      await removeRule();
      for (const step of steps) await step();
      await installed.remove();
      for (const user of users) {
        await user.dispose();
        await run('userdel', ['-r', user.username]).catch(() => {});
        // A user given another primary group leaves its own group behind.
        await run('groupdel', [user.username]).catch(() => {});
      }
      for (const group of [...groups].reverse()) await run('groupdel', [group]).catch(() => {});
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

/** A loop-mounted XFS filesystem; `projectQuota` tells whether it could be mounted with prjquota. */
export interface XfsMount {
  readonly mountPoint: string;
  readonly projectQuota: boolean;
  unmount(): Promise<void>;
}

/**
 * Makes an XFS image in `scratch` and mounts it at `mountPoint`, with prjquota when this kernel
 * has XFS quota (this machine's has not: then without).
 */
export async function mountXfs(scratch: string, mountPoint: string): Promise<XfsMount> {
  const image = join(scratch, 'xfs.img');
  await writeFile(image, '');
  await run('truncate', ['-s', String(XFS_IMAGE_BYTES), image]);
  await run('mkfs.xfs', ['-q', image]);
  await mkdir(mountPoint, { recursive: true, mode: 0o755 });
  let projectQuota = true;
  try {
    await run('mount', ['-o', 'loop,prjquota', image, mountPoint]);
  } catch {
    projectQuota = false;
    await run('mount', ['-o', 'loop', image, mountPoint]);
  }
  await chmod(mountPoint, 0o755);
  return { mountPoint, projectQuota, unmount: () => run('umount', [mountPoint]).then(() => {}) };
}

/** One entry of a tree snapshot: everything a change on disk would alter. */
type SnapshotEntry = string;

/**
 * Every path under `root` (symlinks not followed) with its type, mode, owner and a hash of its
 * content or link target, plus every ACL (`getfacl -R -P`) and the XFS project of everything on
 * `xfsMounts` (`lsproj -R`) — to compare before and after.
 * `except` paths (the log, which grows by design) are left out.
 */
export async function snapshotTree(
  root: string,
  except: readonly string[],
  xfsMounts: readonly string[] = [],
): Promise<SnapshotEntry[]> {
  const entries: SnapshotEntry[] = [];
  const walk = async (path: string): Promise<void> => {
    if (except.includes(path)) return;
    const info = await lstat(path);
    const mode = (info.mode & 0o7777).toString(8);
    let content = '';
    if (info.isSymbolicLink()) content = `-> ${await readlink(path)}`;
    else if (info.isFile())
      content = createHash('sha256')
        .update(await readFile(path))
        .digest('hex');
    entries.push(`${path} ${info.mode >> 12} ${mode} ${info.uid}:${info.gid} ${content}`);
    if (info.isDirectory())
      for (const name of (await readdir(path)).sort()) await walk(join(path, name));
  };
  await walk(root);
  const { stdout } = await run('getfacl', ['-R', '-P', '-n', '-p', '--skip-base', root]);
  entries.push(`acl ${createHash('sha256').update(stdout).digest('hex')}`);
  for (const mountPoint of xfsMounts) {
    const projects = await run('xfs_io', ['-r', '-c', 'lsproj -R', '--', mountPoint]);
    entries.push(...projects.stdout.trim().split('\n').sort());
  }
  return entries;
}

/** The helper's refusal (or failure) of a call: its error, or a test failure when it succeeded. */
export async function refusalOf(
  helper: PrivilegedHelper,
  method: string,
  params: unknown,
): Promise<AppError> {
  try {
    await helper.call(method as never, params as never);
  } catch (error) {
    if (error instanceof AppFailure) return error.toAppError();
    throw error;
  }
  throw new Error(`${method} ${JSON.stringify(params)} was not refused`);
}
