import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import Docker from 'dockerode';
import type { DockerStatus } from '../../common/hosts/host-summary';

/** Docker's default socket on Linux and macOS (Docker Desktop links it there too). */
export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/** How long to wait for the engine to answer before calling it unreachable. */
const DOCKER_PING_TIMEOUT_MS = 3_000;

/**
 * The local Docker socket: `DOCKER_HOST` when it names a Unix socket, else the default.
 * Returns undefined for a `DOCKER_HOST` LabDeck cannot use (tcp://, ssh://), so the caller can say so.
 */
export function dockerSocketPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dockerHost = env.DOCKER_HOST;
  if (!dockerHost) return DEFAULT_DOCKER_SOCKET;
  if (dockerHost.startsWith('unix://')) return dockerHost.slice('unix://'.length);
  return undefined;
}

async function onPath(program: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    try {
      await access(join(dir, program), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/**
 * Checks the Docker engine of this computer and says, in the user's words, what state it is in
 * and what command fixes it: reachable, not installed, daemon not running, permission denied.
 */
export async function probeLocalDocker(
  env: NodeJS.ProcessEnv = process.env,
): Promise<DockerStatus> {
  const checkedAt = new Date().toISOString();
  const socket = dockerSocketPath(env);
  if (socket === undefined) {
    return {
      state: 'error',
      socket: env.DOCKER_HOST ?? '',
      version: null,
      message: `DOCKER_HOST is ${env.DOCKER_HOST}, but LabDeck reaches a local engine only through a Unix socket.`,
      hint: "Unset DOCKER_HOST, or set it to unix:///var/run/docker.sock (or your engine's socket).",
      checkedAt,
    };
  }
  const base = { socket, checkedAt };
  try {
    const docker = new Docker({ socketPath: socket, timeout: DOCKER_PING_TIMEOUT_MS });
    const version = await docker.version();
    return {
      ...base,
      state: 'reachable',
      version: version.Version,
      message: `Docker ${version.Version} is running.`,
    };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') {
      return {
        ...base,
        state: 'permission-denied',
        version: null,
        message: `Docker is running, but you may not use its socket ${socket}.`,
        hint: 'Add yourself to the docker group: `sudo usermod -aG docker $USER`, then log out and back in.',
      };
    }
    if (code === 'ENOENT' || code === 'ECONNREFUSED') {
      const installed = (await onPath('dockerd', env)) || (await onPath('docker', env));
      return installed
        ? {
            ...base,
            state: 'daemon-not-running',
            version: null,
            message: `Docker is installed, but its daemon is not running (no answer on ${socket}).`,
            hint: 'Start it: `sudo systemctl start docker` (or open Docker Desktop).',
          }
        : {
            ...base,
            state: 'not-installed',
            version: null,
            message: 'Docker is not installed on this computer.',
            hint: 'Install Docker Engine (Debian/Ubuntu: `sudo apt-get install docker.io`; see docs.docker.com/engine/install).',
          };
    }
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ...base,
      state: 'error',
      version: null,
      message: `Docker did not answer on ${socket}: ${detail}`,
      hint: 'Check the daemon with `sudo systemctl status docker` and its log with `journalctl -u docker`.',
    };
  }
}
