import { readFile } from 'node:fs/promises';

/** The kernel's table of this process's mounts (proc(5)). */
const MOUNTINFO = '/proc/self/mountinfo';
/**
 * The super options XFS shows for a mount with project quota enforced (`pqnoenforce` counts
 * usage but holds nobody to a limit, so it is not one of them).
 */
const PROJECT_QUOTA_OPTIONS = ['prjquota', 'pquota'];

/** A mountinfo path with its octal escapes (`\040` for a space) decoded. */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(parseInt(octal, 8)),
  );
}

/** One mount: where, and its filesystem's (super) options. */
interface MountEntry {
  readonly mountPoint: string;
  readonly superOptions: readonly string[];
}

/** The mount holding `path` (a real path): the longest mount point that is it or above it. */
async function mountOf(path: string): Promise<MountEntry> {
  const table = await readFile(MOUNTINFO, 'utf8');
  let best: MountEntry = { mountPoint: '/', superOptions: [] };
  let bestLength = 0;
  for (const line of table.split('\n')) {
    const fields = line.split(' ');
    const field = fields[4];
    if (field === undefined) continue;
    const mountPoint = unescape(field);
    const contains = mountPoint === '/' || path === mountPoint || path.startsWith(`${mountPoint}/`);
    if (!contains || mountPoint.length < bestLength) continue;
    // After the optional fields: "-", the filesystem type, the source, the super options.
    const dash = fields.indexOf('-', 6);
    const superOptions = dash === -1 ? [] : (fields[dash + 3] ?? '').split(',');
    best = { mountPoint, superOptions };
    bestLength = mountPoint.length;
  }
  return best;
}

/**
 * The mount point of the filesystem holding `path` (a real path). xfs_quota needs it — it
 * takes a filesystem's mount point, not a directory inside it.
 */
export async function mountPointOf(path: string): Promise<string> {
  return (await mountOf(path)).mountPoint;
}

/** Whether the filesystem holding `path` is mounted with XFS project quota enforced. */
export async function projectQuotaMounted(path: string): Promise<boolean> {
  const { superOptions } = await mountOf(path);
  return superOptions.some((option) => PROJECT_QUOTA_OPTIONS.includes(option));
}
