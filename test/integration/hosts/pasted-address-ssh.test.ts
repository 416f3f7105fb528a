import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parsePastedAddress } from '../../../renderer/src/features/hosts/pasted-address';

const run = promisify(execFile);

/** What OpenSSH itself makes of an ssh command line: `ssh -G` with no config file. */
async function sshReads(
  args: readonly string[],
): Promise<{ user: string; hostname: string; port: number }> {
  const { stdout } = await run('ssh', ['-G', '-F', '/dev/null', ...args]);
  const value = (key: string): string => {
    const line = stdout.split('\n').find((l) => l.startsWith(`${key} `));
    if (line === undefined) throw new Error(`ssh -G printed no ${key}:\n${stdout}`);
    return line.slice(key.length + 1);
  };
  return { user: value('user'), hostname: value('hostname'), port: Number(value('port')) };
}

/**
 * The ssh commands the Hostname field reads when pasted, each read by real OpenSSH too: the
 * form fills in exactly the user, host name and port that `ssh` would connect to.
 */
describe('a pasted ssh command fills what ssh -G reads from it', () => {
  const me = userInfo().username;
  const commands = [
    'ssh -p 2222 alice@gpu-7',
    'ssh alice@gpu-7 -p 2222',
    'ssh -p2222 alice@gpu-7',
    'ssh -l alice gpu-7',
    'ssh -l alice -p 2201 10.0.0.7',
    'ssh gpu-7 -l alice',
    'ssh -l bob alice@gpu-7', // -l wins over the destination's user
    'ssh -p 2222 ssh://alice@gpu-7:2200', // and -p over the URI's port
    'ssh ssh://alice@gpu-7:2200',
    'ssh alice@::1',
    'ssh -p 2222 alice@::1',
    'ssh gpu-7',
  ];

  it.each(commands)('%s', async (command) => {
    const parsed = parsePastedAddress(command);
    expect(parsed).not.toBeNull();
    const ssh = await sshReads(command.split(' ').slice(1));
    expect({
      user: parsed?.user ?? me,
      hostname: parsed?.hostname,
      port: parsed?.port ?? 22,
    }).toEqual(ssh);
  });
});
