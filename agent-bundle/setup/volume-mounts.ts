import { readFile, realpath, stat } from 'node:fs/promises';
import type { VolumeKind } from '../../common/host-setup/lab-config';

/** One line of /proc/self/mountinfo, as much as setup needs. */
export interface MountEntry {
  readonly mountPoint: string;
  readonly fsType: string;
  readonly source: string;
  /** Mount and superblock options together (`prjquota` is a superblock option of XFS). */
  readonly options: readonly string[];
}

/** mountinfo writes space, tab, newline and backslash in paths as octal escapes (`\040`). */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_all, octal: string) =>
    String.fromCharCode(parseInt(octal, 8)),
  );
}

/** Parses mountinfo's text (see proc(5)): the fields after ` - ` are type, source, options. */
export function parseMountInfo(text: string): MountEntry[] {
  const mounts: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const [before, after] = line.split(' - ');
    if (before === undefined || after === undefined) continue;
    const fields = before.split(' ');
    const [fsType, source, superOptions] = after.split(' ');
    const mountPoint = fields[4];
    if (mountPoint === undefined || fsType === undefined) continue;
    const options = [...(fields[5] ?? '').split(','), ...(superOptions ?? '').split(',')];
    mounts.push({
      mountPoint: unescape(mountPoint),
      fsType,
      source: unescape(source ?? ''),
      options,
    });
  }
  return mounts;
}

/** The mount `path` (a real path) lives on: the longest mount point above it, the last mounted. */
export function mountOf(mounts: readonly MountEntry[], path: string): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const mount of mounts) {
    const prefix = mount.mountPoint === '/' ? '/' : `${mount.mountPoint}/`;
    const inside = path === mount.mountPoint || path.startsWith(prefix);
    if (inside && (best === undefined || mount.mountPoint.length >= best.mountPoint.length))
      best = mount;
  }
  return best;
}

/** XFS with project quota enforced (`prjquota`, also written `pquota`). */
export function hasProjectQuota(mount: MountEntry): boolean {
  return (
    mount.fsType === 'xfs' && mount.options.some((option) => /^(prjquota|pquota)$/.test(option))
  );
}

/**
 * XFS with project quota counted but not enforced (`pqnoenforce`): usage is accounted, limits
 * are recorded, and nothing holds a folder to its limit — so LabDeck treats it as no quota.
 */
export function projectQuotaNotEnforced(mount: MountEntry): boolean {
  return (
    mount.fsType === 'xfs' &&
    mount.options.some((option) => /^(pqnoenforce|prjqnoenforce)$/.test(option))
  );
}

/** Why a volume declared XFS at `path` is not on XFS now (its filesystem unmounted), if it is not. */
export function xfsNotMounted(
  kind: VolumeKind,
  path: string,
  mount: MountEntry,
): string | undefined {
  if (kind === 'plain' || mount.fsType === 'xfs') return undefined;
  return `declared ${kind}, but ${path} is on ${mount.fsType} at ${mount.mountPoint}: its XFS filesystem is not mounted`;
}

/** What a volume at `path` can hold: from its mount. */
export function volumeKindOf(mount: MountEntry): VolumeKind {
  if (mount.fsType !== 'xfs') return 'plain';
  return hasProjectQuota(mount) ? 'xfs-prjquota' : 'xfs';
}

/** A volume's directory as found: its real path and mount, or why it cannot be one. */
export type FoundVolume =
  | {
      readonly ok: true;
      readonly realPath: string;
      readonly mount: MountEntry;
      readonly kind: VolumeKind;
    }
  | { readonly ok: false; readonly reason: string };

/** Checks that `path` is an existing directory and finds its mount and kind. */
export async function findVolume(
  path: string,
  mountInfoPath = '/proc/self/mountinfo',
): Promise<FoundVolume> {
  let realPath: string;
  try {
    realPath = await realpath(path);
    if (!(await stat(realPath)).isDirectory())
      return { ok: false, reason: `${path} is not a directory` };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      reason: code === 'ENOENT' ? `${path} does not exist` : `${path} cannot be read (${code})`,
    };
  }
  const mount = mountOf(parseMountInfo(await readFile(mountInfoPath, 'utf8')), realPath);
  if (mount === undefined) return { ok: false, reason: `no mount holds ${realPath}` };
  return { ok: true, realPath, mount, kind: volumeKindOf(mount) };
}
