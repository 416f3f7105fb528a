import { createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { AppFailure } from '../../common/contract/result';

/** The laptop address forwards listen on: loopback only, like `ssh -L` by default. */
export const FORWARD_LISTEN_ADDRESS = '127.0.0.1';

/** What one forward needs to reach its service. */
export interface ForwardTarget {
  readonly hostId: string;
  readonly sessionId: string;
  readonly containerPort: number;
  /** `http` services get an `http://` URL; others `tcp://`. */
  readonly protocol: string;
  /** The host port Docker publishes the container port on now (it changes on restart). */
  readonly hostPort: () => Promise<number>;
  /** A connection to the host's 127.0.0.1:`port`, on the host's current connection. */
  readonly openTcp: (port: number) => Promise<Duplex>;
}

interface Forward {
  readonly server: Server;
  readonly url: string;
  readonly port: number;
  readonly sockets: Set<Socket>;
  /** Why the last connection could not reach the service, for Open's error; cleared on success. */
  lastError: string | undefined;
}

const key = (hostId: string, sessionId: string, containerPort: number): string =>
  `${hostId}\n${sessionId}\n${containerPort}`;

/**
 * The forwards from the laptop to sessions' services: a listener on 127.0.0.1 per container port,
 * each accepted connection a new channel on the host's connection to the port Docker published
 * on the host's loopback. The host port is asked anew for every connection, so forwards keep
 * working after a reconnect or a session restart without being set up again.
 */
export class SessionForwards {
  private readonly forwards = new Map<string, Promise<Forward>>();
  /** URLs of the forwards that listen, so lists show them without waiting. */
  private readonly ready = new Map<string, string>();

  /** Starts (or returns the running) forward of `target`; `localPort` 0 or absent picks one. */
  async open(target: ForwardTarget, localPort = 0): Promise<{ localPort: number; url: string }> {
    const id = key(target.hostId, target.sessionId, target.containerPort);
    let forward = this.forwards.get(id);
    const running = forward && (await forward.catch(() => undefined));
    if (running && localPort !== 0 && running.port !== localPort)
      throw new AppFailure({
        code: 'already-forwarded',
        message: `That service is already forwarded, to ${running.url}.`,
        hint: 'Use that address, or remove the session’s forward by stopping LabDeck first.',
      });
    if (!forward) {
      forward = listen(target, localPort);
      this.forwards.set(id, forward);
      forward.catch(() => this.forwards.delete(id));
    }
    const { port, url } = await forward;
    if (this.forwards.has(id)) this.ready.set(id, url);
    return { localPort: port, url };
  }

  /** The URL of a running forward, or null. */
  localUrl(hostId: string, sessionId: string, containerPort: number): string | null {
    return this.ready.get(key(hostId, sessionId, containerPort)) ?? null;
  }

  /** Why the forward's last connection failed to reach the service, if it did. */
  async lastError(hostId: string, sessionId: string, containerPort: number) {
    const forward = await this.forwards
      .get(key(hostId, sessionId, containerPort))
      ?.catch(() => undefined);
    return forward?.lastError;
  }

  /** Whether `port` on 127.0.0.1 is one of these forwards (the window may open its page). */
  holdsPort(port: number): boolean {
    return [...this.ready.values()].some((url) => new URL(url).port === String(port));
  }

  /** Stops every forward to one host (it was disconnected or removed). */
  closeHost(hostId: string): void {
    for (const id of [...this.forwards.keys()]) if (id.startsWith(`${hostId}\n`)) this.closeOne(id);
  }

  /** Stops every forward of one session (it was removed). */
  closeSession(hostId: string, sessionId: string): void {
    for (const id of [...this.forwards.keys()]) {
      if (id.startsWith(`${hostId}\n${sessionId}\n`)) this.closeOne(id);
    }
  }

  /** Stops every forward. */
  dispose(): void {
    for (const id of [...this.forwards.keys()]) this.closeOne(id);
  }

  private closeOne(id: string): void {
    const forward = this.forwards.get(id);
    this.forwards.delete(id);
    this.ready.delete(id);
    void forward?.then((f) => {
      f.server.close();
      for (const socket of f.sockets) socket.destroy();
    });
  }
}

function listen(target: ForwardTarget, localPort: number): Promise<Forward> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    void connectThrough(target, socket).then((error) => {
      void forward.then(
        (f) => (f.lastError = error),
        () => undefined,
      );
    });
  });
  const forward = new Promise<Forward>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new AppFailure({
          code: 'forward-port-unavailable',
          message: `Cannot listen on ${FORWARD_LISTEN_ADDRESS}:${localPort} on this computer: ${error.code ?? error.message}.`,
          hint:
            error.code === 'EADDRINUSE'
              ? 'Another program uses that port: choose another with --local-port, or leave it out to get a free one.'
              : 'Choose another port with --local-port.',
        }),
      ),
    );
    server.listen(localPort, FORWARD_LISTEN_ADDRESS, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : localPort;
      const scheme = target.protocol === 'http' ? 'http' : 'tcp';
      const url = `${scheme}://${FORWARD_LISTEN_ADDRESS}:${port}${scheme === 'http' ? '/' : ''}`;
      // Later errors of a listening server (rare) must not take the services down.
      server.on('error', () => undefined);
      resolve({ server, url, port, sockets, lastError: undefined });
    });
  });
  return forward;
}

/**
 * Bound on reaching the service for one accepted connection (reconnecting to the host included):
 * past it the local connection is closed, so a browser retries instead of waiting forever.
 */
export const FORWARD_CONNECT_TIMEOUT_MS = 20_000;

/** `promise`, or a rejection once `ms` have passed. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out reaching the service')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Joins one accepted socket to the service through the host; closes it if that fails and
 * resolves with why (undefined once joined).
 */
async function connectThrough(target: ForwardTarget, socket: Socket): Promise<string | undefined> {
  socket.pause();
  try {
    const opening = target.hostPort().then((port) => target.openTcp(port));
    // A channel that opens after the deadline is closed at once, never left behind.
    opening.then(
      (late) => socket.destroyed && late.destroy(),
      () => undefined,
    );
    const channel = await within(opening, FORWARD_CONNECT_TIMEOUT_MS);
    if (socket.destroyed) return void channel.destroy();
    channel.on('error', () => socket.destroy());
    socket.once('close', () => channel.destroy());
    channel.once('close', () => socket.destroy());
    socket.pipe(channel);
    channel.pipe(socket);
    socket.resume();
    return undefined;
  } catch (error) {
    socket.destroy();
    return (error as Error).message;
  }
}
