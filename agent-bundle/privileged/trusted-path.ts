import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppFailure } from '../../common/contract/result';

/** Group- or other-writable bits. */
export const GROUP_OR_OTHER_WRITABLE = 0o022;
const ROOT_UID = 0;

/** Why one path on the way to a file may be changed by someone other than root. */
function untrusted(target: string, path: string, why: string): AppFailure {
  return new AppFailure({
    code: 'privileged-path-untrusted',
    message: `The privileged LabDeck helper refuses to run from ${target}: ${path} ${why}, so someone other than root could change what runs as root.`,
    hint: 'Run the root-owned copy that host setup installs (e.g. /usr/local/lib/labdeck), never the user cache in ~/.cache/labdeck.',
  });
}

/**
 * Throws unless `file` (a real path, symlinks resolved) and every directory above it up to `/`
 * are owned by root and writable by neither group nor others — as OpenSSH's `safe_path` checks
 * before trusting a key file. A sticky world-writable directory (/tmp) is refused too: its other
 * users cannot replace root's file, but the rule stays simple and the install place is /usr.
 *
 * Security: the privileged entry runs through `sudo -n`; run from the user-writable cache, the
 * user (or anyone who can write there) could swap in their own code and run it as root.
 */
export async function assertRootOwnedPath(file: string): Promise<void> {
  for (let path = file; ; path = dirname(path)) {
    const info = await stat(path);
    if (info.uid !== ROOT_UID) throw untrusted(file, path, `belongs to uid ${info.uid}`);
    if ((info.mode & GROUP_OR_OTHER_WRITABLE) !== 0) {
      const mode = (info.mode & 0o7777).toString(8);
      throw untrusted(file, path, `is writable by group or others (mode ${mode})`);
    }
    if (dirname(path) === path) return;
  }
}
