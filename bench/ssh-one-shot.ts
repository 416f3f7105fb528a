import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { gpuQueryArgv } from '../agent-bundle/gpu/nvidia-smi-query';
import { commandLine } from '../common/shell/shell-quote';
import type { Contender } from './bench-harness';

const run = promisify(execFile);

/** Where the one-shot logs in: the test sshd, its user's key, and a known_hosts that trusts it. */
export interface OneShotTarget {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly privateKeyPath: string;
  readonly knownHosts: string;
}

/**
 * The baseline every GPU figure is measured against: what a researcher types today, a whole
 * OpenSSH `ssh HOST nvidia-smi --query-gpu=…` with the host key checked.
 */
export function openSshOneShot(target: OneShotTarget): Contender {
  return {
    name: 'OpenSSH one-shot `ssh host nvidia-smi --query-gpu=…`',
    run: async () => {
      const { stdout } = await run('ssh', [
        '-q',
        '-o',
        'BatchMode=yes',
        '-o',
        `UserKnownHostsFile=${target.knownHosts}`,
        '-o',
        'StrictHostKeyChecking=yes',
        '-i',
        target.privateKeyPath,
        '-p',
        String(target.port),
        `${target.username}@${target.host}`,
        commandLine(['nvidia-smi', ...gpuQueryArgv()]),
      ]);
      if (!stdout.includes('GPU-')) throw new Error('ssh nvidia-smi printed no GPU');
    },
  };
}
