import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** getent's exit status for "no such entry". */
const GETENT_NOT_FOUND = 2;

/** The members of group `name` (from `getent group`), or undefined when there is no such group. */
export async function groupMembers(name: string): Promise<string[] | undefined> {
  try {
    const { stdout } = await run('getent', ['group', name]);
    const members = stdout.trim().split(':')[3] ?? '';
    return members === '' ? [] : members.split(',');
  } catch (error) {
    if ((error as { code?: unknown }).code === GETENT_NOT_FOUND) return undefined;
    throw error;
  }
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
