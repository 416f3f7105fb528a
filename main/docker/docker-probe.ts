import type Docker from 'dockerode';
import type { DockerStatus } from '../../common/hosts/host-summary';

/**
 * How long a host's engine may take to answer the version request before it counts as not
 * answering. Only this probe is bounded so: a client-wide timeout would also cut off a log that
 * follows, a pull, or a `docker stop` that waits for its process.
 */
export const DOCKER_VERSION_TIMEOUT_MS = 5_000;

/** Where a status's socket and time come from, for a host's own explanations. */
export type DockerStatusBase = Pick<DockerStatus, 'socket' | 'checkedAt'>;

/** How one host's Docker engine is reached, for {@link probeDocker}. */
export interface DockerReach {
  /** The engine's socket path on the host, as statuses show it. */
  readonly socket: string;
  /** The host's dockerode client (local socket, or a forward over its SSH connection). */
  readonly engine: () => Promise<Docker>;
  /** Says, in this host's words, why the engine did not answer and what fixes it. */
  readonly unanswered: (error: unknown, base: DockerStatusBase) => Promise<DockerStatus>;
}

/**
 * Asks a host's Docker engine for its version: reachable with the version when it answers,
 * else the host's explanation. The one Docker probe every kind of host shares.
 */
export async function probeDocker(reach: DockerReach): Promise<DockerStatus> {
  const base: DockerStatusBase = { socket: reach.socket, checkedAt: new Date().toISOString() };
  try {
    const engine = await reach.engine();
    // dockerode's version() takes `{ abortSignal }` (lib/docker.js); @types/dockerode omits it.
    const version = engine.version as unknown as (options: {
      abortSignal: AbortSignal;
    }) => Promise<Docker.DockerVersion>;
    const { Version } = await version.call(engine, {
      abortSignal: AbortSignal.timeout(DOCKER_VERSION_TIMEOUT_MS),
    });
    return {
      ...base,
      state: 'reachable',
      version: Version,
      message: `Docker ${Version} is running.`,
    };
  } catch (error) {
    return reach.unanswered(error, base);
  }
}
