import { lstat, readdir } from 'node:fs/promises';
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

/**
 * The folder's directories and regular files on its own filesystem that its owner owns, and how
 * many others there are. lstat only: a symlink is never followed, FIFOs and devices are never
 * opened, other mounts inside are not entered.
 */
export async function ownerTree(folder: ConfinedFolder): Promise<OwnerTree> {
  const top = await lstat(folder.path);
  const dirs: string[] = [];
  const files: string[] = [];
  let skipped = 0;
  const pending = [folder.path];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    if ((await lstat(dir)).uid === folder.ownerUid) dirs.push(dir);
    else skipped += 1;
    for (const name of await readdir(dir)) {
      const path = `${dir}/${name}`;
      const entry = await lstat(path);
      if (entry.dev !== top.dev) continue;
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
