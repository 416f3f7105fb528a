import { readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sshd } from '../test/harness/sshd';
import { DOCKER_CLI } from './docker-cli';

/**
 * The harness's login greets on stdout, which `docker system dial-stdio` over ssh cannot survive
 * (the banner lands in Docker's HTTP stream), and which would add bytes to a remote command's
 * output. Drop the greeting, keep PATH and DOCKER_HOST, and put docker.io's CLI first in ~/bin so
 * both ends of an OpenSSH baseline run the same Docker.
 */
export async function quietLogin(home: string): Promise<void> {
  const bashrc = join(home, '.bashrc');
  const kept = (await readFile(bashrc, 'utf8'))
    .split('\n')
    .filter((line) => !line.startsWith('echo '));
  await writeFile(bashrc, kept.join('\n'));
  await symlink(DOCKER_CLI, join(home, 'bin', 'docker')).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error; // the test user, and its ~/bin, outlive a run
  });
}

/** Who OpenSSH logs in as on the session host, and with which key. */
export interface OpenSshLogin {
  readonly username: string;
  readonly privateKeyPath: string;
}

/**
 * The `ssh` argv before the remote command, as a researcher's configured host would be: the
 * user's key only, the server's key checked strictly against a known_hosts written to `dir`,
 * never a prompt. The caller puts its own options (`-T`, `-tt`) first.
 */
export async function openSshArgv(
  sshd: Pick<Sshd, 'host' | 'port' | 'hostPublicKey'>,
  login: OpenSshLogin,
  dir: string,
): Promise<string[]> {
  const knownHosts = join(dir, 'known_hosts');
  await writeFile(knownHosts, `[${sshd.host}]:${sshd.port} ${sshd.hostPublicKey}\n`);
  return [
    '-q',
    '-F',
    '/dev/null',
    '-o',
    'BatchMode=yes',
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    `UserKnownHostsFile=${knownHosts}`,
    '-o',
    'StrictHostKeyChecking=yes',
    '-i',
    login.privateKeyPath,
    '-p',
    String(sshd.port),
    `${login.username}@${sshd.host}`,
  ];
}
