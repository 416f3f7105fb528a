import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestUser, stopAgents, type TestUser } from '../../harness';

const run = promisify(execFile);

/** The lab group both users share: the researcher's primary group, the other user's too. */
export const SHARED_GROUP = 'labdeck-test-lab';

/** A researcher and another member of the same Unix group, as on a lab workstation. */
export interface SharedGroupUsers {
  /** Logs in with `umask 002` (group-writable files by default) and primary group {@link SHARED_GROUP}. */
  readonly researcher: TestUser;
  /** Another user in {@link SHARED_GROUP}: the one who must not get code run as the researcher. */
  readonly other: TestUser;
  /** Runs `script` with `sh -c` as `user` (real uid, gid and groups through runuser). */
  as(user: TestUser, script: string, args?: readonly string[]): Promise<string>;
  /** Stops the researcher's agents and removes LabDeck's cache from their home. */
  reset(): Promise<void>;
}

/** Creates (idempotently) two real Unix users sharing a primary group. Needs root. */
export async function createSharedGroupUsers(prefix: string): Promise<SharedGroupUsers> {
  const researcher = await createTestUser(`${prefix}-res`);
  const other = await createTestUser(`${prefix}-other`);
  await run('groupadd', ['-f', SHARED_GROUP]);
  await run('usermod', ['-g', SHARED_GROUP, researcher.username]);
  await run('usermod', ['-g', SHARED_GROUP, other.username]);
  const bashrc = join(researcher.home, '.bashrc');
  await writeFile(bashrc, 'umask 002\n');
  await run('chown', [`${researcher.username}:${SHARED_GROUP}`, bashrc]);
  const as = async (user: TestUser, script: string, args: readonly string[] = []) =>
    (await run('runuser', ['-u', user.username, '--', 'sh', '-c', script, 'sh', ...args])).stdout;
  const reset = async (): Promise<void> => {
    await stopAgents(researcher.username);
    await rm(join(researcher.home, '.cache'), { recursive: true, force: true });
  };
  await reset();
  return { researcher, other, as, reset };
}
