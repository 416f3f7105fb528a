import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { installRecordSchema, type InstallRecord } from '../../common/host-setup/install-record';
import { labConfigSchema, type LabConfig } from '../../common/host-setup/lab-config';
import type { SetupStatus } from '../../common/host-setup/setup-status';
import { LABDECK_GROUP } from '../../common/host-setup/sudoers-rule';
import { systemPaths, type SystemPaths } from '../../common/host-setup/system-paths';
import { toAppError } from '../../common/contract/result';
import { describeIssues } from '../../common/contract/validation';
import { databaseGroups, processGroups } from '../folders/folder-reader';
import { openPrivilegedHelper } from '../privileged/privileged-client';
import { groupMembers } from './unix-group';
import {
  findVolume,
  hasProjectQuota,
  projectQuotaNotEnforced,
  xfsNotMounted,
} from './volume-mounts';

const run = promisify(execFile);
/** Groups whose members Debian, Ubuntu, Fedora and macOS let use sudo by default. */
const SUDO_GROUPS = ['sudo', 'wheel', 'admin'];
/** Bound on `sudo -n true`. */
const SUDO_PROBE_TIMEOUT_MS = 5_000;

/** What setup.status needs: the agent's version and where the system paths are. */
export interface SetupStatusOptions {
  readonly version: string;
  /** `LABDECK_SYSTEM_ROOT`, `/` when unset. */
  readonly root: string;
  /** The sudo binary (tests may point elsewhere); `/usr/bin/sudo` by default. */
  readonly sudo?: string;
  /** This agent's own bundle's SHA-256: the helper installed should be this very build. */
  readonly bundleSha256?: string;
}

/** The names of the groups this process has (the login's) and the ones the database lists now. */
async function groupsOf(user: string): Promise<{ session: Set<string>; database: Set<string> }> {
  // NUL-separated (`-z`), so a directory service's "domain users" stays one group.
  const [session, database] = await Promise.all([
    processGroups().catch(() => new Set<string>()),
    databaseGroups(user),
  ]);
  return { session, database };
}

/**
 * How this user could become root for setup, asking sudo only when the user is in a group that
 * may use it: a `sudo` by someone outside sudoers mails the administrator an incident report.
 */
async function sudoAccess(groups: Set<string>, sudo: string): Promise<SetupStatus['sudo']> {
  if (process.geteuid?.() === 0) return 'root';
  if (!SUDO_GROUPS.some((group) => groups.has(group))) return 'none';
  try {
    await run(sudo, ['-n', 'true'], { timeout: SUDO_PROBE_TIMEOUT_MS });
    return 'nopasswd';
  } catch {
    return 'password';
  }
}

async function readRecord(paths: SystemPaths, version: string) {
  try {
    const text = await readFile(paths.installRecord(version), 'utf8');
    const parsed = installRecordSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : ('invalid' as const);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : ('invalid' as const);
  }
}

async function installedVersions(paths: SystemPaths, version: string): Promise<string[]> {
  try {
    return (await readdir(dirname(paths.agentDir(version)))).sort();
  } catch {
    return [];
  }
}

/** The SHA-256 of `file`, or why it cannot be read. */
async function sha256Of(file: string): Promise<{ sha256: string } | { reason: string }> {
  try {
    return {
      sha256: createHash('sha256')
        .update(await readFile(file))
        .digest('hex'),
    };
  } catch (error) {
    return { reason: (error as NodeJS.ErrnoException).code ?? String(error) };
  }
}

/**
 * Whether the helper file an install record names is the one setup installed (its hash is the
 * record's) and this agent's own build; undefined when it is, else what the Doctor says.
 */
async function installedHelperProblem(
  record: InstallRecord,
  bundleSha256: string | undefined,
  installed: string[],
): Promise<SetupStatus['helper'] | undefined> {
  const found = await sha256Of(record.helper);
  if ('reason' in found)
    return {
      state: 'invalid',
      installedVersions: installed,
      detail: `The helper setup installed at ${record.helper} cannot be read (${found.reason}); run host setup again.`,
    };
  if (found.sha256 !== record.bundleSha256)
    return {
      state: 'invalid',
      installedVersions: installed,
      detail: `The helper at ${record.helper} is not the file setup installed (its SHA-256 differs from the install record): it was changed or damaged since; run host setup again.`,
    };
  if (bundleSha256 !== undefined && found.sha256 !== bundleSha256)
    return {
      state: 'other-version',
      installedVersions: installed,
      detail: `The helper at ${record.helper} is another build of LabDeck ${record.version} than this one (SHA-256 ${found.sha256.slice(0, 12)}, this one ${bundleSha256.slice(0, 12)}): run host setup again to install this one.`,
    };
  return undefined;
}

async function helperStatus(
  paths: SystemPaths,
  version: string,
  bundleSha256?: string,
): Promise<{ helper: SetupStatus['helper']; record?: InstallRecord }> {
  const installed = await installedVersions(paths, version);
  const record = await readRecord(paths, version);
  if (record === 'invalid')
    return {
      helper: {
        state: 'invalid',
        installedVersions: installed,
        detail: `${paths.installRecord(version)} is damaged; run host setup again.`,
      },
    };
  if (record !== undefined)
    return {
      record,
      helper: (await installedHelperProblem(record, bundleSha256, installed)) ?? {
        state: 'installed',
        installedVersions: installed,
        detail: `LabDeck ${version}'s helper is installed at ${record.helper}.`,
      },
    };
  const others = installed.filter((other) => other !== version);
  return {
    helper:
      others.length > 0
        ? {
            state: 'other-version',
            installedVersions: installed,
            detail: `The host is set up for LabDeck ${others.join(', ')}, not ${version}: run host setup again to install this version's helper.`,
          }
        : {
            state: 'missing',
            installedVersions: installed,
            detail:
              'LabDeck is not set up on this host: folders with quotas and group and lab dotfiles need host setup, once, by someone who can sudo.',
          },
  };
}

/** Whether this user reaches the helper: asked through sudo only for members of the group. */
async function ruleStatus(
  record: InstallRecord | undefined,
  user: string,
  groups: { session: Set<string>; database: Set<string> },
  sudo: string,
): Promise<SetupStatus['rule']> {
  if (record === undefined)
    return { state: 'no-helper', detail: 'No helper for this version to run.' };
  const isRoot = process.geteuid?.() === 0;
  // Joined after this agent started: its own groups lack it, sg takes it on (see viaGroup).
  const stale = !isRoot && !groups.session.has(LABDECK_GROUP) && groups.database.has(LABDECK_GROUP);
  if (!isRoot && !groups.session.has(LABDECK_GROUP) && !stale) {
    const members = (await groupMembers(LABDECK_GROUP)) ?? [];
    return {
      state: 'not-member',
      detail: `${user} is not in the ${LABDECK_GROUP} group (${members.length} members), so the helper is not theirs to use.`,
    };
  }
  try {
    const helper = await openPrivilegedHelper(record, {
      sudo,
      userName: user,
      ...(stale ? { viaGroup: LABDECK_GROUP } : {}),
    });
    try {
      const ping = await helper.call('privileged.ping', {});
      return {
        state: 'ok',
        detail: `sudo -n runs the helper (LabDeck ${helper.hello.agentVersion}) as uid ${ping.euid} for ${user}.`,
      };
    } finally {
      helper.close();
    }
  } catch (error) {
    const appError = toAppError(error);
    return {
      state: appError.code === 'privileged-sudo-denied' ? 'denied' : 'failed',
      detail: appError.message,
    };
  }
}

async function configStatus(
  paths: SystemPaths,
): Promise<{ config: SetupStatus['config']; lab?: LabConfig }> {
  let text: string;
  try {
    text = await readFile(paths.configFile, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return {
      config: {
        state: missing ? 'missing' : 'invalid',
        detail: missing
          ? `No ${paths.configFile}: host setup writes it.`
          : `${paths.configFile} cannot be read (${(error as NodeJS.ErrnoException).code}).`,
      },
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { config: { state: 'invalid', detail: `${paths.configFile} is not JSON.` } };
  }
  const parsed = labConfigSchema.safeParse(json);
  if (!parsed.success)
    return {
      config: {
        state: 'invalid',
        detail: `${paths.configFile}: ${describeIssues(parsed.error)}.`,
      },
    };
  const lab = parsed.data;
  return {
    lab,
    config: {
      state: 'ok',
      lab: lab.lab,
      detail: `Lab "${lab.lab}", ${lab.volumes.length} volume(s), GPU quantum ${lab.gpuQuantum}.`,
    },
  };
}

async function volumeStatus(volume: LabConfig['volumes'][number]) {
  const found = await findVolume(volume.path);
  const base = { name: volume.name, path: volume.path, kind: volume.kind };
  if (!found.ok) return { ...base, state: 'missing' as const, detail: `${found.reason}.` };
  const { mountPoint } = found.mount;
  const unmounted = xfsNotMounted(volume.kind, volume.path, found.mount);
  if (unmounted !== undefined)
    return { ...base, mountPoint, state: 'missing' as const, detail: `${unmounted}.` };
  const quota = hasProjectQuota(found.mount);
  if (volume.kind === 'xfs-prjquota' && !quota)
    return {
      ...base,
      mountPoint,
      state: 'degraded' as const,
      detail: projectQuotaNotEnforced(found.mount)
        ? `Declared with project quota, but ${found.mount.mountPoint} is mounted with pqnoenforce now (usage counted, limits not enforced): folders there get no quota.`
        : `Declared with project quota, but ${found.mount.mountPoint} is mounted without prjquota now: folders there get no quota.`,
    };
  return {
    ...base,
    mountPoint,
    state: 'ok' as const,
    detail: `${found.mount.fsType} at ${found.mount.mountPoint}${quota ? ', project quota on' : ''}.`,
  };
}

/** `setup.status`: how far this host is set up, checked as the user (no root, no prompt). */
export async function setupStatus(options: SetupStatusOptions): Promise<SetupStatus> {
  const paths = systemPaths(options.root);
  const sudo = options.sudo ?? '/usr/bin/sudo';
  const user = userInfo().username;
  const groups = await groupsOf(user);
  const [access, { helper, record }, { config, lab }] = await Promise.all([
    sudoAccess(groups.session, sudo),
    helperStatus(paths, options.version, options.bundleSha256),
    configStatus(paths),
  ]);
  return {
    version: options.version,
    root: paths.root,
    user,
    sudo: access,
    helper,
    rule: await ruleStatus(record, user, groups, sudo),
    config,
    volumes: await Promise.all((lab?.volumes ?? []).map(volumeStatus)),
  };
}
