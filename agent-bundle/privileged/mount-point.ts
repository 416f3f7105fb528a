import { readFile } from 'node:fs/promises';

/** The kernel's table of this process's mounts (proc(5)). */
const MOUNTINFO = '/proc/self/mountinfo';

/** A mountinfo path with its octal escapes (`\040` for a space) decoded. */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(parseInt(octal, 8)),
  );
}

/**
 * The mount point of the filesystem holding `path` (a real path): the longest mount point in
 * /proc/self/mountinfo that is `path` or a directory above it. xfs_quota needs it — it takes a
 * filesystem's mount point, not a directory inside it.
 */
export async function mountPointOf(path: string): Promise<string> {
  const table = await readFile(MOUNTINFO, 'utf8');
  let best = '/';
  for (const line of table.split('\n')) {
    const field = line.split(' ')[4];
    if (field === undefined) continue;
    const mountPoint = unescape(field);
    const contains = mountPoint === '/' || path === mountPoint || path.startsWith(`${mountPoint}/`);
    if (contains && mountPoint.length > best.length) best = mountPoint;
  }
  return best;
}
