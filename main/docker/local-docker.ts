import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type Docker from 'dockerode';
import { AppFailure } from '../../common/contract/result';
import type { DockerStatus } from '../../common/hosts/host-summary';
import { probeDocker, type DockerStatusBase } from './docker-probe';

/** Docker's default socket on Linux and macOS (Docker Desktop links it there too). */
export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

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

function unusableDockerHost(env: NodeJS.ProcessEnv): Omit<DockerStatus, 'checkedAt'> {
  return {
    state: 'error',
    socket: env.DOCKER_HOST ?? '',
    version: null,
    message: `DOCKER_HOST is ${env.DOCKER_HOST}, but LabDeck reaches a local engine only through a Unix socket.`,
    hint: "Unset DOCKER_HOST, or set it to unix:///var/run/docker.sock (or your engine's socket).",
  };
}

/**
 * A dockerode client for this computer's engine; fails when `DOCKER_HOST` is not a Unix socket.
 * dockerode (with its protobuf and gRPC tree) is loaded here, on first use, not at start-up.
 */
export async function localDocker(env: NodeJS.ProcessEnv = process.env): Promise<Docker> {
  const socketPath = dockerSocketPath(env);
  if (socketPath === undefined) {
    const { message, hint } = unusableDockerHost(env);
    throw new AppFailure({ code: 'docker-host-unusable', message, ...(hint ? { hint } : {}) });
  }
  const { default: Dockerode } = await import('dockerode');
  return new Dockerode({ socketPath });
}

/** Why this computer's engine did not answer, by the socket's error code. */
async function explainLocal(
  error: unknown,
  base: DockerStatusBase,
  env: NodeJS.ProcessEnv,
): Promise<DockerStatus> {
  const { socket } = base;
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

/**
 * Checks the Docker engine of this computer and says, in the user's words, what state it is in
 * and what command fixes it: reachable, not installed, daemon not running, permission denied.
 */
export async function probeLocalDocker(
  env: NodeJS.ProcessEnv = process.env,
): Promise<DockerStatus> {
  const socket = dockerSocketPath(env);
  if (socket === undefined)
    return { ...unusableDockerHost(env), checkedAt: new Date().toISOString() };
  return probeDocker({
    socket,
    engine: () => localDocker(env),
    unanswered: (error, base) => explainLocal(error, base, env),
  });
}
