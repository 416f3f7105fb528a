import { lstat, mkdir } from 'node:fs/promises';
import type { Volume } from '../../common/host-setup/lab-config';
import type { SetupCheck } from '../../common/host-setup/setup-report';
import { FOLDERS_DIR_NAME } from '../../common/folders/folder-store';
import {
  foldersDirProblem,
  foldersVolumeProblem,
  setFoldersDirOwner,
} from '../privileged/folder-directory';
import type { SetupChanges } from './setup-changes';
import { findVolume, xfsNotMounted } from './volume-mounts';

/**
 * Makes (or plans) `VOLUME/labdeck-folders`, root's 0711, where the privileged helper keeps the
 * volume's folders — before anyone else can make one of that name on a volume every user may
 * write to (a sticky 1777 scratch). A volume the helper would refuse, a `labdeck-folders` there
 * already that it would refuse, or one that cannot be made (a read-only mount, NFS that squashes
 * root, someone quicker) is not changed: it is a failed check saying what to fix, by the rules
 * the helper applies (folder-directory.ts), and the rest of setup goes on. A volume that is not
 * there, or whose XFS is not mounted (its empty mount point would get the directory), is the
 * volume check's to report.
 */
export async function prepareFoldersDir(
  changes: SetupChanges,
  volume: Volume,
): Promise<SetupCheck | undefined> {
  const found = await findVolume(volume.path);
  if (!found.ok || xfsNotMounted(volume.kind, volume.path, found.mount) !== undefined)
    return undefined;
  const title = `Folders on volume ${volume.name}`;
  const failed = (detail: string, fix: string): SetupCheck => ({
    check: 'volume',
    title,
    status: 'fail',
    detail,
    fix,
  });
  const untrusted = foldersVolumeProblem(await lstat(found.realPath));
  if (untrusted !== undefined)
    return failed(
      `${volume.path} ${untrusted}: the helper makes folders only in a volume directory that only root (or, with the sticky bit, each owner) may change`,
      `sudo chown root ${volume.path} && sudo chmod g-w,o-w ${volume.path} (or sudo chmod +t ${volume.path} to keep it open to all), then run setup again`,
    );
  const dir = `${found.realPath}/${FOLDERS_DIR_NAME}`;
  const squatted = (why: string) =>
    failed(
      `${dir} ${why}: folders cannot be made on ${volume.name} until it is root's alone`,
      `look at what is in it, then move it aside (sudo mv ${dir} ${dir}.old) and run setup again`,
    );
  const info = await lstat(dir).catch(() => undefined);
  if (info !== undefined) {
    const why = foldersDirProblem(info);
    if (why !== undefined) return squatted(why);
    changes.note(`${dir} exists`, false, { path: dir });
    return undefined;
  }
  const planned = `create ${dir} for the folders of volume ${volume.name} (root's, 0711: each user reaches only their own)`;
  if (!changes.apply) {
    changes.note(planned, true, { path: dir });
    return undefined;
  }
  // Made first (0700, root's: nobody else can use it yet), remembered once it is ours: one made
  // by someone else meanwhile is theirs, never removed by a roll-back or an undo.
  try {
    await mkdir(dir, { mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    if (code === 'EEXIST') return squatted('was made by someone else while setup ran');
    return failed(
      `${dir} cannot be made (${code}): folders cannot be made on ${volume.name}`,
      `see whether ${found.mount.mountPoint} is mounted read-only or squashes root (NFS), then run setup again`,
    );
  }
  await changes.remember({ kind: 'dir', path: dir, before: 'absent' });
  changes.note(planned, true, { path: dir });
  await setFoldersDirOwner(dir);
  return undefined;
}
