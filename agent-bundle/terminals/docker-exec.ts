import { request, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { AppFailure } from '../../common/contract/result';
import { DOCKER_SOCKET } from '../docker/container-names';

/**
 * Docker's exec API over the engine's Unix socket with plain `node:http`, as much of it as a
 * terminal needs: create an exec with a tty, start it hijacked (the connection becomes the tty's
 * raw bytes both ways), resize it and read its exit code. The agent carries no dockerode.
 * API reference: https://docs.docker.com/engine/api/v1.41/#tag/Exec
 */

/** A JSON call to Docker answers in well under this; a hung engine must not hang the agent. */
const DOCKER_REQUEST_TIMEOUT_MS = 10_000;
/** Shown of a container id in messages: `docker ps` shows 12 hex digits. */
const SHORT_ID_LENGTH = 12;
/** Docker's error bodies are one short JSON object; more than this is not one. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** Docker's socket from `DOCKER_HOST` (`unix://…`), else the default; undefined for tcp://, ssh://. */
export function dockerSocketPath(env: NodeJS.ProcessEnv): string | undefined {
  const dockerHost = env.DOCKER_HOST;
  if (!dockerHost) return DOCKER_SOCKET;
  return dockerHost.startsWith('unix://') ? dockerHost.slice('unix://'.length) : undefined;
}

/** Where one call goes: the engine's socket and the container it concerns (for messages). */
export interface DockerTarget {
  readonly socketPath: string;
  readonly container: string;
}

/** An answer to a JSON call. */
interface DockerReply {
  readonly status: number;
  readonly body: unknown;
}

/** `docker-unreachable`, from the socket's error code (ENOENT, EACCES, ECONNREFUSED…). */
export function dockerUnreachable(socketPath: string, error: NodeJS.ErrnoException): AppFailure {
  const denied = error.code === 'EACCES' || error.code === 'EPERM';
  return new AppFailure({
    code: 'docker-unreachable',
    message: `Could not reach Docker at ${socketPath}: ${error.code ?? error.message}.`,
    hint: denied
      ? 'Your user may not use the Docker socket: ask an admin to add you to the docker group (sudo usermod -aG docker USER), then log in again.'
      : 'Docker is not running on this host, or listens elsewhere: start it (sudo systemctl start docker), or set DOCKER_HOST to its unix:// socket.',
  });
}

/** Docker's own words from an error body (`{"message": …}`), else the HTTP status. */
function dockerMessage(status: number, body: unknown): string {
  const message = (body as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : `HTTP ${status}`;
}

/** The failure of a non-2xx answer: a missing container, a stopped one, or Docker's reason. */
export function dockerFailure(target: DockerTarget, status: number, body: unknown): AppFailure {
  const id = target.container.slice(0, SHORT_ID_LENGTH);
  const why = dockerMessage(status, body);
  if (status === 404) {
    return new AppFailure({
      code: 'container-not-found',
      message: `Container ${id} does not exist on this host (${why}).`,
      hint: "The session's container was removed. Refresh the session list, and start the session again to get a terminal.",
    });
  }
  if (status === 409) {
    return new AppFailure({
      code: 'session-not-running',
      message: `Container ${id} is not running, so it has no shell to open (${why}).`,
      hint: 'Start (or unpause) the session, then open its terminal again.',
    });
  }
  return new AppFailure({
    code: 'docker-exec-failed',
    message: `Docker could not run a shell in container ${id}: ${why}.`,
    hint: "Try again; if it repeats, look at the Docker engine's log on this host (journalctl -u docker).",
  });
}

/** Reads a (small) response body as JSON; null when it is empty or not JSON. */
function readJson(res: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_ERROR_BODY_BYTES) chunks.push(chunk);
    });
    res.on('error', () => resolve(null));
    res.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        resolve(null);
      }
    });
  });
}

/** One JSON call; rejects only when the socket cannot be reached or the engine does not answer. */
export function dockerCall(
  socketPath: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<DockerReply> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        socketPath,
        method,
        path,
        agent: false,
        timeout: DOCKER_REQUEST_TIMEOUT_MS,
        headers: payload === undefined ? {} : { 'Content-Type': 'application/json' },
      },
      (res) =>
        void readJson(res).then((json) => resolve({ status: res.statusCode ?? 0, body: json })),
    );
    req.on('timeout', () =>
      req.destroy(Object.assign(new Error('no answer'), { code: 'ETIMEDOUT' })),
    );
    req.on('error', (error: NodeJS.ErrnoException) => reject(dockerUnreachable(socketPath, error)));
    req.end(payload);
  });
}

/** A started exec's connection: the tty's bytes (starting with `head`) both ways. */
export interface HijackedExec {
  readonly socket: Duplex;
  /** Bytes Node read past the 101 answer: the first of the tty's output. */
  readonly head: Buffer;
}

/**
 * `POST /exec/{id}/start` hijacked: Docker answers `101 UPGRADED` and the connection becomes the
 * exec's raw tty stream (with `Tty: true` there is no stdout/stderr multiplexing). An engine that
 * answers `200` with a raw stream instead is served through the response and its socket.
 */
export function startHijacked(target: DockerTarget, execId: string): Promise<HijackedExec> {
  return new Promise((resolve, reject) => {
    const req = request({
      socketPath: target.socketPath,
      method: 'POST',
      path: `/exec/${execId}/start`,
      agent: false,
      timeout: DOCKER_REQUEST_TIMEOUT_MS,
      headers: { 'Content-Type': 'application/json', Connection: 'Upgrade', Upgrade: 'tcp' },
    });
    req.on('upgrade', (_res, socket: Socket, head: Buffer) => {
      socket.setTimeout(0);
      resolve({ socket, head });
    });
    req.on('response', (res) => {
      if (res.statusCode === 200) {
        res.socket.setTimeout(0);
        resolve({
          socket: Duplex.from({ readable: res, writable: res.socket }),
          head: Buffer.alloc(0),
        });
        return;
      }
      void readJson(res).then((json) => reject(dockerFailure(target, res.statusCode ?? 0, json)));
    });
    req.on('timeout', () =>
      req.destroy(Object.assign(new Error('no answer'), { code: 'ETIMEDOUT' })),
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      reject(dockerUnreachable(target.socketPath, error)),
    );
    req.end(JSON.stringify({ Detach: false, Tty: true }));
  });
}
