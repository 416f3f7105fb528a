import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import {
  LAB_CONFIG_VERSION,
  labConfigSchema,
  mergeLabConfig,
  type LabConfig,
} from '../../common/host-setup/lab-config';
import { installRecordSchema } from '../../common/host-setup/install-record';
import type {
  HostSetupReport,
  SetupCheck,
  SetupMode,
  VolumeRequest,
} from '../../common/host-setup/setup-report';
import {
  LABDECK_GROUP,
  sudoersRule,
  type HelperCommand,
} from '../../common/host-setup/sudoers-rule';
import { systemPaths, type SystemPaths } from '../../common/host-setup/system-paths';
import { AppFailure, toAppError } from '../../common/contract/result';
import { describeIssues } from '../../common/contract/validation';
import { assertRootOwnedPath } from '../privileged/trusted-path';
import { checkDocker, checkNvidiaToolkit, onPath } from './setup-checks';
import { prepareFoldersDir } from './folders-dir';
import { SetupChanges } from './setup-changes';
import { SetupRecord } from './setup-record';
import { withSetupLock } from './setup-lock';
import { undoEntries } from './setup-undo';
import { createGroup, groupExists, groupMembers } from './unix-group';
import { findVolumes, keptVolumeCheck } from './volume-checks';

const run = promisify(execFile);

const DIR_MODE = 0o755;
const PRIVATE_DIR_MODE = 0o700;
const LOG_DIR_MODE = 0o750;
const SUDOERS_DIR_MODE = 0o750;
/** Every user's agent creates and breaks stale leases there (see sessions/lease-dir.ts). */
const LOCKS_DIR_MODE = 0o777;
const FILE_MODE = 0o644;
const NODE_MODE = 0o755;
/** sudo refuses a rule file that is writable by anyone, or readable by others. */
const SUDOERS_FILE_MODE = 0o440;

/** What the running program knows of itself. */
export interface SetupSelf {
  readonly version: string;
  /** This bundle's bytes (what gets installed) and their sha256. */
  readonly bundle: Buffer;
  readonly bundleSha256: string;
  /** The Node running setup (a real path) and its version: named by the rule, or copied. */
  readonly nodePath: string;
  readonly nodeVersion: string;
}

/** A run's input, parsed (see hostSetupRequestSchema). */
export interface SetupInput {
  readonly mode: SetupMode;
  readonly root: string;
  readonly lab?: string;
  readonly volumes: readonly VolumeRequest[];
}

function failure(code: string, message: string, hint: string): AppFailure {
  return new AppFailure({ code, message, hint });
}

/** `/etc/labdeck/config.json` as it is: absent, or parsed. An unreadable file stops setup. */
async function readConfig(paths: SystemPaths): Promise<{ config?: LabConfig; bytes?: Buffer }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(paths.configFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw failure(
      'lab-config-invalid',
      `${paths.configFile} is not JSON (${(error as Error).message}); setup changes nothing rather than overwrite it.`,
      `Fix the file by hand, or move it away (sudo mv ${paths.configFile} ${paths.configFile}.broken) and run setup again.`,
    );
  }
  const written = (json as { version?: unknown } | null)?.version;
  if (typeof written === 'number' && written > LAB_CONFIG_VERSION)
    throw failure(
      'lab-config-newer',
      `${paths.configFile} was written by a newer LabDeck (configuration version ${written}; this one knows ${LAB_CONFIG_VERSION}); setup changes nothing rather than overwrite it.`,
      'Update LabDeck on this computer, then run setup again.',
    );
  const parsed = labConfigSchema.safeParse(json);
  if (!parsed.success)
    throw failure(
      'lab-config-invalid',
      `${paths.configFile} is not a LabDeck configuration: ${describeIssues(parsed.error)}. Setup changes nothing rather than overwrite it.`,
      `Fix the file by hand, or move it away (sudo mv ${paths.configFile} ${paths.configFile}.broken) and run setup again.`,
    );
  return { config: parsed.data, bytes };
}

/** The Node the rule names: the running one when root owns it and its directories, else a copy. */
async function trustedNode(self: SetupSelf): Promise<boolean> {
  try {
    await assertRootOwnedPath(self.nodePath);
    return true;
  } catch {
    return false;
  }
}

/** `visudo -cf FILE`, failing with what visudo said. */
async function visudoCheck(visudo: string, file: string): Promise<void> {
  try {
    await run(visudo, ['-cf', file]);
  } catch (error) {
    const said =
      `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`.trim();
    throw failure(
      'sudoers-invalid',
      `visudo refused the LabDeck sudo rule: ${said}`,
      'Report this as a LabDeck bug; nothing was installed.',
    );
  }
}

/**
 * The helpers of other LabDeck versions set up on this host (their install records), so that
 * the rule keeps letting laptops on those versions in while the lab upgrades.
 */
async function otherHelpers(paths: SystemPaths, version: string): Promise<HelperCommand[]> {
  const dir = dirname(paths.agentDir(version));
  let versions: string[];
  try {
    versions = await readdir(dir);
  } catch {
    return [];
  }
  const helpers: HelperCommand[] = [];
  for (const other of versions.sort()) {
    if (other === version) continue;
    try {
      const record = installRecordSchema.parse(
        JSON.parse(await readFile(paths.installRecord(other), 'utf8')),
      );
      if (record.helper !== paths.agentFile(other)) continue;
      await assertRootOwnedPath(record.helper);
      await assertRootOwnedPath(record.node);
      helpers.push({ nodePath: record.node, helperPath: record.helper });
    } catch {
      // Not a version setup installed (or no longer whole): not named by the rule.
    }
  }
  return helpers;
}

/** The rule's text; a path the rule cannot name (a space in --root) is refused by name. */
function ruleText(nodePath: string, helperPath: string, also: readonly HelperCommand[]): string {
  try {
    return sudoersRule({ nodePath, helperPath, also });
  } catch (error) {
    throw failure(
      'setup-path-unsafe-for-sudo',
      `The sudo rule cannot name ${helperPath} with ${nodePath}: ${(error as Error).message}. Nothing was changed by this step.`,
      'Use a --root (and a Node) whose path has only letters, digits and / . _ + -.',
    );
  }
}

/** Makes (or plans) every change of setup, in order; the checks of what it does not change. */
async function setUp(
  input: SetupInput,
  self: SetupSelf,
  paths: SystemPaths,
  changes: SetupChanges,
): Promise<SetupCheck[]> {
  const { volumes, checks } = await findVolumes(input.volumes);
  const current = await readConfig(paths);
  const merge = mergeLabConfig(
    current.config,
    { lab: input.lab, volumes },
    input.lab ?? (hostname() || 'lab'),
  );
  const named = new Set(volumes.map((volume) => volume.name));
  for (const kept of merge.config.volumes)
    if (!named.has(kept.name)) checks.push(await keptVolumeCheck(kept));

  await changes.ensureDir(paths.stateDir, DIR_MODE, `create ${paths.stateDir} for lab-wide state`);
  await changes.ensureDir(
    paths.setupDir,
    PRIVATE_DIR_MODE,
    `create ${paths.setupDir} to remember what setup changed (for --undo)`,
  );
  await changes.ensureDir(
    paths.locksDir,
    LOCKS_DIR_MODE,
    `create ${paths.locksDir}, the allocation lease every user shares`,
    true,
  );
  await changes.ensureDir(
    paths.logDir,
    LOG_DIR_MODE,
    `create ${paths.logDir} for the privileged helper's log`,
  );

  const agentFile = paths.agentFile(self.version);
  await changes.ensureDir(dirname(agentFile), DIR_MODE, `create ${dirname(agentFile)}`);
  await changes.writeFile(
    agentFile,
    self.bundle,
    FILE_MODE,
    `install the LabDeck ${self.version} agent and helper at ${agentFile}`,
  );

  let node = self.nodePath;
  if (!(await trustedNode(self))) {
    node = paths.nodeFile(self.nodeVersion);
    await changes.ensureDir(dirname(node), DIR_MODE, `create ${dirname(node)}`);
    await changes.writeFile(
      node,
      await readFile(self.nodePath),
      NODE_MODE,
      `install Node ${self.nodeVersion} at ${node} (the host has no root-owned Node)`,
    );
  }
  const record = installRecordSchema.parse({
    version: self.version,
    bundleSha256: self.bundleSha256,
    node,
    helper: agentFile,
  });
  await changes.writeFile(
    paths.installRecord(self.version),
    Buffer.from(`${JSON.stringify(record, null, 2)}\n`),
    FILE_MODE,
    `record the helper's Node and bundle in ${paths.installRecord(self.version)}`,
  );

  await changes.ensureDir(paths.configDir, DIR_MODE, `create ${paths.configDir}`);
  if (merge.changes.length === 0)
    changes.note(
      `${paths.configFile} already holds the lab "${merge.config.lab}" and its volumes`,
      false,
      { path: paths.configFile },
    );
  else {
    if (current.bytes !== undefined)
      await changes.writeFile(
        `${paths.configFile}.bak`,
        current.bytes,
        FILE_MODE,
        `keep the previous configuration as ${paths.configFile}.bak`,
      );
    await changes.writeFile(
      paths.configFile,
      Buffer.from(`${JSON.stringify(merge.config, null, 2)}\n`),
      FILE_MODE,
      `write ${paths.configFile}`,
      undefined,
      merge.changes.join('; '),
    );
  }

  for (const volume of merge.config.volumes) {
    const problem = await prepareFoldersDir(changes, volume);
    if (problem !== undefined) checks.push(problem);
  }

  const groupThere = await groupExists(LABDECK_GROUP);
  const before = groupThere && !changes.createdGroup(LABDECK_GROUP);
  changes.note(
    groupThere
      ? `group ${LABDECK_GROUP} exists${before ? ' (it was there before LabDeck: its members may use the helper)' : ''}`
      : `create the Unix group ${LABDECK_GROUP} (its members may use the helper)`,
    !groupThere,
  );
  if (!groupThere && changes.apply) {
    await changes.remember({ kind: 'group', name: LABDECK_GROUP });
    await createGroup(LABDECK_GROUP);
  }

  const visudo = (await onPath('visudo')) ?? (await onPath('visudo', '/usr/sbin:/sbin'));
  if (visudo === undefined) {
    checks.push({
      check: 'sudo',
      title: 'sudo',
      status: 'fail',
      detail:
        'sudo is not installed, so no user can reach the privileged helper; the rule was not written',
      fix: 'sudo is needed: apt-get install sudo (as root), then run setup again',
    });
  } else {
    await changes.ensureDir(paths.sudoersDir, SUDOERS_DIR_MODE, `create ${paths.sudoersDir}`);
    const rule = ruleText(node, agentFile, await otherHelpers(paths, self.version));
    await changes.writeFile(
      paths.sudoersFile,
      Buffer.from(rule),
      SUDOERS_FILE_MODE,
      `install the sudo rule ${paths.sudoersFile} (checked with visudo -cf)`,
      (temp) => visudoCheck(visudo, temp),
    );
  }
  return checks;
}

/**
 * Who may use the helper now, and how to add someone: the person who ran setup through sudo
 * (`SUDO_USER`) by name when they are not a member yet. Setup never changes membership itself:
 * who may act as the lab's root helper is the admin's call.
 */
async function membersCheck(invoker: string | undefined): Promise<SetupCheck> {
  const members = (await groupMembers(LABDECK_GROUP)) ?? [];
  const title = `Members of ${LABDECK_GROUP}`;
  const add = (user: string) =>
    `sudo usermod -aG ${LABDECK_GROUP} ${user} (they connect again afterwards)`;
  if (invoker !== undefined && invoker !== 'root' && !members.includes(invoker))
    return {
      check: 'group-members',
      title,
      status: 'warn',
      detail: `you (${invoker}) are not a member yet${members.length > 0 ? `; members: ${members.join(', ')}` : ''}`,
      fix: add(invoker),
    };
  return {
    check: 'group-members',
    title,
    status: members.length > 0 ? 'pass' : 'warn',
    detail:
      members.length > 0
        ? members.join(', ')
        : 'nobody yet: folders with quotas and shared dotfiles need membership',
    fix: add('USER'),
  };
}

/**
 * `labdeck-agent setup`: host setup as root (issue 11). `setup` makes the changes, `dry-run` lists
 * them and touches nothing, `undo` takes back everything the record holds. A run that fails
 * part-way takes back what it had done before it reports the failure.
 */
export async function runHostSetup(input: SetupInput, self: SetupSelf): Promise<HostSetupReport> {
  if (process.geteuid?.() !== 0)
    throw failure(
      'setup-needs-root',
      'Host setup must run as root.',
      'Run it with sudo: LabDeck asks for the sudo password when it runs setup for you.',
    );
  const paths = systemPaths(input.root);
  await assertTrustedRoot(paths.root);
  if (input.mode === 'dry-run') return runOnce(input, self, paths);
  return withSetupLock(paths.root, () => runOnce(input, self, paths));
}

/** The root and every directory above it must be root's and writable by nobody else. */
async function assertTrustedRoot(root: string): Promise<void> {
  try {
    await assertRootOwnedPath(root);
  } catch (error) {
    throw failure(
      'setup-directory-untrusted',
      `Setup changes nothing under ${root}: ${toAppError(error).message}`,
      'Put the root in a directory only root may change (for tests: /var/lib/labdeck-test-roots).',
    );
  }
}

async function runOnce(
  input: SetupInput,
  self: SetupSelf,
  paths: SystemPaths,
): Promise<HostSetupReport> {
  const record = await SetupRecord.load(paths.setupDir);
  const base = { mode: input.mode, root: paths.root, version: self.version };
  if (input.mode === 'undo') {
    if (record.entries.length === 0)
      return {
        ...base,
        changed: false,
        changes: [
          { status: 'unchanged', title: `nothing to undo: no setup record in ${paths.setupDir}` },
        ],
        checks: [],
      };
    const options = { recordDir: paths.setupDir, force: false };
    const undone = await undoEntries(record.entries, record, options);
    return { ...base, changed: true, changes: undone, checks: [] };
  }
  const changes = new SetupChanges(input.mode === 'setup', record, paths.root);
  let checks: SetupCheck[];
  try {
    checks = await setUp(input, self, paths, changes);
  } catch (error) {
    if (changes.journal.length === 0) throw error;
    await rollBack(changes, record, paths);
    const failed = toAppError(error);
    throw new AppFailure({
      ...failed,
      message: `${failed.message} The ${changes.journal.length} changes this run had made were taken back.`,
    });
  }
  await dropRunBackups(changes, record);
  checks.push(
    await checkDocker(),
    await checkNvidiaToolkit(),
    await membersCheck(process.env.SUDO_USER || undefined),
  );
  const changed = changes.changes.some((change) => change.status === 'done');
  return { ...base, changed, changes: changes.changes, checks };
}

/**
 * Takes a failed run back: every path it changed as it was before this run (its journal, which
 * holds paths earlier runs recorded too), then the undo record as it was before the run.
 */
async function rollBack(changes: SetupChanges, record: SetupRecord, paths: SystemPaths) {
  await undoEntries(changes.journal, record, { recordDir: paths.setupDir, force: true });
  await dropRunBackups(changes, record);
  await record.revert();
}

/** This run's copies of files that earlier runs had recorded already: not needed once it ends. */
async function dropRunBackups(changes: SetupChanges, record: SetupRecord): Promise<void> {
  for (const entry of changes.journal)
    if (entry.kind === 'file' && entry.before !== 'absent' && !record.holds(entry.before.backup))
      await record.discardBackup(entry.before.backup);
}
