import { execFile } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Debian's docker.io CLI, the one a lab server and its researchers' laptops have. */
export const DOCKER_CLI = '/usr/bin/docker';

/** A Docker container ID as `docker run -d` prints it. */
const CONTAINER_ID = /^[0-9a-f]{64}$/;

/**
 * OpenSSH reads ~/.ssh/config from the passwd entry's home, never from $HOME, and the docker CLI
 * runs `ssh` without `-F`: this `ssh`, first on the CLI's PATH, passes the config beside it, so
 * root's own ~/.ssh is neither read nor written. Fixed text: no input is interpolated.
 */
const SSH_WRAPPER = '#!/bin/sh\nexec /usr/bin/ssh -F "$(dirname "$0")/ssh_config" "$@"\n';

/** Where the docker CLI's `ssh` logs in: the test sshd, its host key, and the user's key. */
export interface SshLogin {
  readonly host: string;
  readonly port: number;
  readonly hostPublicKey: string;
  readonly privateKeyPath: string;
}

/** Runs `docker run -d` against one engine; resolves with the new container's ID. */
export type DockerRun = (
  image: string,
  options: readonly string[],
  command: readonly string[],
) => Promise<string>;

/**
 * The docker CLI as a researcher runs it, with `dir` as its HOME (its ~/.docker). For an SSH
 * engine, `login` makes its `ssh` non-interactive: the bench's IdentityFile, a known_hosts with
 * the server's key checked strictly, BatchMode.
 */
export async function dockerCli(
  dir: string,
  dockerHost: string,
  login?: SshLogin,
): Promise<DockerRun> {
  const bin = join(dir, 'bin');
  await mkdir(bin, { recursive: true });
  if (login) {
    const knownHosts = join(dir, 'known_hosts');
    await writeFile(knownHosts, `[${login.host}]:${login.port} ${login.hostPublicKey}\n`);
    const config = [
      `Host ${login.host}`,
      `  IdentityFile ${login.privateKeyPath}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${knownHosts}`,
      '  StrictHostKeyChecking yes',
      '  BatchMode yes',
      '',
    ];
    // ssh_config splits on whitespace and quotes: every value written here must be one word.
    if ([login.host, login.privateKeyPath, knownHosts].some((value) => /[\s"]/.test(value)))
      throw new Error(`ssh_config values must be single words (key at ${login.privateKeyPath})`);
    await writeFile(join(bin, 'ssh_config'), config.join('\n'));
    await writeFile(join(bin, 'ssh'), SSH_WRAPPER);
    await chmod(join(bin, 'ssh'), 0o755);
  }
  const env = { PATH: `${bin}:/usr/bin:/bin`, HOME: dir };
  return async (image, options, command) => {
    const argv = ['-H', dockerHost, 'run', '-d', ...options, image, ...command];
    const { stdout } = await run(DOCKER_CLI, argv, { env });
    const id = stdout.trim();
    if (!CONTAINER_ID.test(id)) throw new Error(`docker run -d printed no container ID: ${stdout}`);
    return id;
  };
}
