import { constants, type Stats } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import type { ConfinedFolder } from './confined-folder';
import { findTool, runTool, type SystemTool, type ToolRun } from './system-tools';
import { toolFailed } from './tool-failure';
import { ROOT_UID } from './caller';
import { refuse } from './privileged-refusal';

/** Paths per tool run: few enough for argv and open files, many enough to be quick. */
const PATHS_PER_RUN = 200;

/** A folder's tree as the helper acts on it: the owner's directories and files. */
export interface OwnerTree {
  readonly dirs: readonly string[];
  readonly files: readonly string[];
  /** Directories and files another user owns (a grantee's): left as they are. */
  readonly skipped: number;
}

/** The most entries a folder's walk visits: a tree bigger than this is refused, not walked for hours. */
export const MAX_TREE_ENTRIES = 1_000_000;
const OPEN_DIRECTORY = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

/** `path`'s lstat, or undefined when it is gone (renamed or removed while the walk runs). */
async function lstatIfThere(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * The directory at `path`'s owner and entries, or undefined when it is no longer the directory
 * an lstat saw: opened with O_NOFOLLOW|O_DIRECTORY (a symlink swapped in is not followed), read
 * through its descriptor (/proc/self/fd), and its dev/ino compared before and after.
 */
async function listDirectory(
  path: string,
): Promise<{ readonly uid: number; readonly names: string[] } | undefined> {
  const before = await lstatIfThere(path);
  if (before === undefined || !before.isDirectory()) return undefined;
  const handle = await open(path, OPEN_DIRECTORY).catch(() => undefined);
  if (handle === undefined) return undefined;
  try {
    const opened = await handle.stat();
    if (opened.dev !== before.dev || opened.ino !== before.ino) return undefined;
    const names = await readdir(`/proc/self/fd/${handle.fd}`);
    const after = await lstatIfThere(path);
    if (after?.dev !== before.dev || after.ino !== before.ino) return undefined;
    return { uid: opened.uid, names };
  } finally {
    await handle.close();
  }
}

/**
 * The folder's directories and regular files on its own filesystem that its owner owns, and how
 * many others there are (or were swapped while it looked). lstat only: a symlink is never
 * followed, FIFOs and devices are never opened, other mounts inside are not entered. More than
 * `maxEntries` entries is refused (`folder-too-many-entries`).
 */
export async function ownerTree(
  folder: ConfinedFolder,
  maxEntries = MAX_TREE_ENTRIES,
): Promise<OwnerTree> {
  const top = await lstat(folder.path);
  const dirs: string[] = [];
  const files: string[] = [];
  let skipped = 0;
  let seen = 0;
  const pending = [folder.path];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    const listed = await listDirectory(dir);
    if (listed === undefined || listed.uid !== folder.ownerUid) skipped += 1;
    if (listed === undefined) continue;
    if (listed.uid === folder.ownerUid) dirs.push(dir);
    seen += listed.names.length;
    if (seen > maxEntries)
      throw refuse(
        'folder-too-many-entries',
        `${folder.path} holds more than ${maxEntries} files and directories; the helper does not walk a tree that big.`,
        'Archive or remove part of it (tar, then delete) and try again.',
      );
    for (const name of listed.names) {
      const path = `${dir}/${name}`;
      const entry = await lstatIfThere(path);
      if (entry === undefined || entry.dev !== top.dev) continue;
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile()) {
        if (entry.uid === folder.ownerUid) files.push(path);
        else skipped += 1;
      }
    }
  }
  return { dirs, files, skipped };
}

/**
 * Runs `tool args -- PATHS` as the folder's owner (setpriv; no shell), in batches; the first
 * failed run, or undefined when all went well.
 *
 * Security: the helper walks a tree its caller controls, and a directory can be swapped for a
 * symlink between the walk and the tool. Run as the owner, the tool can change only what the
 * owner could change anyway: the kernel refuses anyone else's inode, wherever a path leads.
 * Hence never as root (uid 0): that would change whatever a swapped path leads to; refused.
 */
export async function runAsOwner(
  folder: ConfinedFolder,
  tool: SystemTool,
  args: readonly string[],
  paths: readonly string[],
): Promise<ToolRun | undefined> {
  if (folder.ownerUid === ROOT_UID)
    throw refuse(
      'privileged-owner-root',
      `${folder.path} belongs to root; the helper runs ${tool} over a folder's tree only as its owner, never as root.`,
      'Folders that LabDeck shares or gives a project belong to a user, not root.',
    );
  const program = await findTool(tool);
  if (program === undefined) return runTool(tool, []);
  for (let at = 0; at < paths.length; at += PATHS_PER_RUN) {
    const run = await runTool('setpriv', [
      `--reuid=${folder.ownerUid}`,
      `--regid=${folder.ownerGid}`,
      '--clear-groups',
      '--',
      program,
      ...args,
      '--',
      ...paths.slice(at, at + PATHS_PER_RUN),
    ]);
    if (toolFailed(run)) return run;
  }
  return undefined;
}
