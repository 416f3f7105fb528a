import { lstat, stat } from 'node:fs/promises';
import type { Volume } from '../../common/host-setup/lab-config';
import type { SetupCheck } from '../../common/host-setup/setup-report';
import { FOLDERS_DIR_NAME } from '../../common/folders/folder-store';
import {
  foldersDirProblem,
  foldersVolumeProblem,
  makeFoldersDir,
} from '../privileged/folder-directory';
import type { SetupChanges } from './setup-changes';

/**
 * Makes (or plans) `VOLUME/labdeck-folders`, root's 0711, where the privileged helper keeps the
 * volume's folders — before anyone else can make one of that name on a volume every user may
 * write to (a sticky 1777 scratch). A volume the helper would refuse, or a `labdeck-folders`
 * already there that it would refuse, is not changed: it is a failed check saying what to fix,
 * by the same rules the helper applies (folder-directory.ts). A volume that is not there is
 * the volume check's to report.
 */
export async function prepareFoldersDir(
  changes: SetupChanges,
  volume: Volume,
): Promise<SetupCheck | undefined> {
  const top = await stat(volume.path).catch(() => undefined);
  if (top === undefined || !top.isDirectory()) return undefined;
  const title = `Folders on volume ${volume.name}`;
  const untrusted = foldersVolumeProblem(top);
  if (untrusted !== undefined)
    return {
      check: 'volume',
      title,
      status: 'fail',
      detail: `${volume.path} ${untrusted}: the helper makes folders only in a volume directory that only root (or, with the sticky bit, each owner) may change`,
      fix: `sudo chown root ${volume.path} && sudo chmod g-w,o-w ${volume.path} (or sudo chmod +t ${volume.path} to keep it open to all), then run setup again`,
    };
  const dir = `${volume.path}/${FOLDERS_DIR_NAME}`;
  const info = await lstat(dir).catch(() => undefined);
  if (info !== undefined) {
    const why = foldersDirProblem(info);
    if (why === undefined) {
      changes.note(`${dir} exists`, false, { path: dir });
      return undefined;
    }
    return {
      check: 'volume',
      title,
      status: 'fail',
      detail: `${dir} ${why}: folders cannot be made on ${volume.name} until it is root's alone`,
      fix: `look at what is in it, then move it aside (sudo mv ${dir} ${dir}.old) and run setup again`,
    };
  }
  changes.note(
    `create ${dir} for the folders of volume ${volume.name} (root's, 0711: each user reaches only their own)`,
    true,
    { path: dir },
  );
  if (!changes.apply) return undefined;
  await changes.remember({ kind: 'dir', path: dir, before: 'absent' });
  await makeFoldersDir(dir);
  return undefined;
}
