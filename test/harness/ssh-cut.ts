import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The pids of the server side of `username`'s SSH connections (sshd's per-connection processes,
 * `sshd: USER…`); throws when there are none, so a test never "cuts" nothing.
 */
export async function sshConnectionPids(username: string): Promise<string[]> {
  const { stdout } = await run('pgrep', ['-u', username, '-f', `^sshd: ${username}`]).catch(() => ({
    stdout: '',
  }));
  const pids = stdout.trim().split('\n').filter(Boolean);
  if (pids.length === 0) throw new Error(`${username} has no SSH connection to cut`);
  return pids;
}

/** Kills the server side of `username`'s SSH connections, as a dropped Wi-Fi ends them. */
export async function cutSshConnections(username: string): Promise<void> {
  await run('kill', ['-KILL', ...(await sshConnectionPids(username))]);
}
