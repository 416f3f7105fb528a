import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** getent's exit status for "no such entry". */
const GETENT_NOT_FOUND = 2;

/**
 * The members of group `name`, or undefined when there is no such group: those `getent group`
 * lists, and the users whose primary group it is (sudo's `%group` matches them too; from
 * `getent passwd`, which lists what the name service lets it enumerate).
 */
export async function groupMembers(name: string): Promise<string[] | undefined> {
  let line: string;
  try {
    line = (await run('getent', ['group', name])).stdout.trim();
  } catch (error) {
    if ((error as { code?: unknown }).code === GETENT_NOT_FOUND) return undefined;
    throw error;
  }
  const [, , gid, listed = ''] = line.split(':');
  const members = new Set(listed === '' ? [] : listed.split(','));
  try {
    const { stdout } = await run('getent', ['passwd'], { maxBuffer: 64 * 1024 * 1024 });
    for (const entry of stdout.split('\n')) {
      const [user, , , primary] = entry.split(':');
      if (user && primary === gid) members.add(user);
    }
  } catch {
    // No enumeration (some directory services): the listed members only.
  }
  return [...members];
}

/** True when the group exists. */
export async function groupExists(name: string): Promise<boolean> {
  return (await groupMembers(name)) !== undefined;
}

/** Creates a system group (`groupadd --system`; argv, no shell). */
export async function createGroup(name: string): Promise<void> {
  await run('groupadd', ['--system', '--', name]);
}

/** Deletes a group (`groupdel`). */
export async function deleteGroup(name: string): Promise<void> {
  await run('groupdel', ['--', name]);
}
