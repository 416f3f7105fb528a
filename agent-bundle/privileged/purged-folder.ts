import { lstat, readdir, rename } from 'node:fs/promises';
import type { Volume } from '../../common/host-setup/lab-config';
import { FOLDERS_DIR_NAME, folderDirectory } from '../../common/folders/folder-store';
import { processAlive, startTimeOf } from './file-lock';
import { ensureFoldersRoot, removeFolderDirectory } from './folder-directory';
import type { HelperContext } from './helper-context';
import { removeProjectOfPath } from './project-ops';

/**
 * A purged folder's files on their way out. Under the store's lock a purge only renames the
 * folder's directory to `VOLUME/labdeck-folders/.purge-ID-PID-START` (same directory, so one
 * atomic rename(2) in root's 0711 parent); the slow `rm -rf` runs after the lock is released, so
 * nobody else's folder change waits for it. PID and START name the helper removing it: a
 * leftover whose remover is gone (a crash, a killed rm) is claimed by the next purge or create
 * on the volume — renamed to that helper's own name first, so of two sweepers only one removes
 * it — and its project lines go once its files are gone.
 */

/** `.purge-FOLDERID-PID-START`: the folder's id and the helper process removing it. */
const PURGED_NAME = /^\.purge-([0-9a-f]{16})-(\d+)-(\d+)$/;

/**
 * How long after a call began a sweep may still start removing a leftover. Each removal is bound
 * by the 60 s tool timeout: with this, a purge or create answers well within the client's 120 s.
 */
export const SWEEP_START_WITHIN_MS = 10_000;

/** This helper's name for a purged folder `id` (in `VOLUME/labdeck-folders`). */
async function purgedName(id: string): Promise<string> {
  return `.purge-${id}-${process.pid}-${(await startTimeOf(process.pid)) ?? '0'}`;
}

/**
 * Renames folder `id`'s directory (in `volumePath`'s `labdeck-folders`) aside for removal and
 * returns where it went. Call under the store's lock; {@link removePurged} then removes it.
 */
export async function movePurgedAside(volumePath: string, id: string): Promise<string> {
  const aside = `${volumePath}/${FOLDERS_DIR_NAME}/${await purgedName(id)}`;
  await rename(folderDirectory(volumePath, id), aside);
  return aside;
}

/**
 * Removes a purged folder's files at `aside` (if any) as root (`rm -rf --one-file-system`), then
 * the project lines that still give its old directory an id (kept until now, so the id is not
 * given to a new folder while these files still count against it). Whether it all went.
 */
export async function removePurged(
  context: HelperContext,
  aside: string | undefined,
  volumePath: string,
  id: string,
): Promise<boolean> {
  try {
    if (aside !== undefined) await removeFolderDirectory(aside);
    // A folder of the same random id now (practically never): its lines are its own.
    if ((await lstat(folderDirectory(volumePath, id)).catch(() => undefined)) === undefined)
      await removeProjectOfPath(context, folderDirectory(volumePath, id));
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes leftovers of purges whose helper is gone in `volume`'s `labdeck-folders`: best
 * effort, outside the store's lock, skipped where the folders directory is not trusted (the
 * checks of {@link ensureFoldersRoot}), none started after `until` (epoch ms; the rest wait for
 * the next sweep). A leftover a live helper is still removing is left to it.
 */
export async function sweepPurged(
  context: HelperContext,
  volume: Volume,
  until: number,
): Promise<void> {
  const volumePath = await ensureFoldersRoot(volume).catch(() => undefined);
  if (volumePath === undefined) return;
  const root = `${volumePath}/${FOLDERS_DIR_NAME}`;
  for (const name of await readdir(root).catch(() => [])) {
    if (Date.now() > until) return;
    const match = PURGED_NAME.exec(name);
    if (match === null) continue;
    const [, id = '', pid = '', started] = match;
    if (await processAlive(pid, started)) continue;
    const claimed = `${root}/${await purgedName(id)}`;
    // Only one sweeper's rename of it succeeds; the others find it gone.
    const moved = await rename(`${root}/${name}`, claimed).then(
      () => true,
      () => false,
    );
    if (moved) await removePurged(context, claimed, volumePath, id);
  }
}
