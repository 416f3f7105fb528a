import { chmod, unlink } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import packageJson from '../../package.json';
import { BridgeSession } from '../bridge/bridge-session';
import type { Services } from '../services';
import {
  LOCAL_PROTOCOL,
  LocalFrameReader,
  encodeLocalFrame,
  helloMatches,
  type LocalHello,
} from './local-frames';
import { LOCAL_SOCKET_MODE, ensurePrivateDir, localSocketPath } from './socket-path';

/** How long a client may take to say hello before it is dropped. */
const CLIENT_HELLO_TIMEOUT_MS = 5_000;
/** How long to wait for a socket file's owner to answer before calling it stale. */
const STALE_PROBE_TIMEOUT_MS = 500;

const HELLO: LocalHello = { t: 'hello', protocol: LOCAL_PROTOCOL, version: packageJson.version };

/** A listening local socket server. */
export interface LocalSocketServer {
  readonly path: string;
  /** Connected CLIs right now. */
  readonly clients: () => number;
  close(): Promise<void>;
}

/** True when something accepts connections on `path` (another LabDeck serving the same home). */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    const done = (alive: boolean): void => {
      socket.destroy();
      resolve(alive);
    };
    socket.setTimeout(STALE_PROBE_TIMEOUT_MS, () => done(true));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function attach(
  socket: Socket,
  services: Pick<Services, 'dispatcher' | 'events'>,
  peerId: string,
): void {
  let session: BridgeSession | undefined;
  const helloTimer = setTimeout(() => socket.destroy(), CLIENT_HELLO_TIMEOUT_MS);
  const reader = new LocalFrameReader(
    (message) => {
      if (session) return session.receive(message);
      clearTimeout(helloTimer);
      socket.write(encodeLocalFrame(HELLO));
      // Another protocol or build: it has our hello to tell the user why, and falls back.
      if (!helloMatches(message, HELLO.version)) return void socket.end();
      session = new BridgeSession(
        services.dispatcher,
        services.events,
        (reply) => {
          if (!socket.destroyed) socket.write(encodeLocalFrame(reply));
        },
        { peerId },
      );
    },
    () => socket.destroy(),
  );
  socket.on('data', (chunk: Buffer) => reader.push(chunk));
  socket.on('error', () => socket.destroy());
  // A CLI that exits (or is killed) ends its topic subscriptions and streams here.
  socket.once('close', () => {
    clearTimeout(helloTimer);
    session?.close();
  });
}

/**
 * Lets `labdeck` commands of the same user reuse this process's services and open SSH
 * connections (as `code` reaches a running VS Code), over a Unix socket speaking the bridge's
 * own messages (local-frames.ts), one BridgeSession per CLI.
 *
 * Security: the socket lives in a directory only the user can enter (checked, see
 * socket-path.ts) and is itself 0600. The peer's uid is not checked: Node exposes neither
 * SO_PEERCRED (Linux) nor getpeereid (macOS), so the directory and socket modes are the
 * boundary, as for OpenSSH's ControlMaster socket. Resolves to undefined, saying why on `warn`,
 * when it cannot listen safely, on Windows, or when another LabDeck already serves this home.
 */
export async function startLocalSocketServer(options: {
  readonly services: Pick<Services, 'dispatcher' | 'events'>;
  readonly home: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly warn?: (line: string) => void;
}): Promise<LocalSocketServer | undefined> {
  const warn = options.warn ?? ((line: string) => console.warn(line));
  const uid = process.getuid?.();
  if (uid === undefined) return undefined; // Windows: no Unix sockets with modes; the CLI works in-process.
  const path = await localSocketPath(options.home, options.env ?? process.env, uid);
  try {
    await ensurePrivateDir(dirname(path), uid);
  } catch (error) {
    warn(`labdeck: not sharing connections with the CLI: ${(error as Error).message}`);
    return undefined;
  }
  if (await answers(path)) {
    warn(`labdeck: another LabDeck already serves the CLI for this settings folder (${path})`);
    return undefined;
  }
  await unlink(path).catch(() => undefined); // a stale socket of a killed LabDeck
  const server: Server = createServer();
  let peers = 0;
  const open = new Set<Socket>();
  server.on('connection', (socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    attach(socket, options.services, `cli-${++peers}`);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
    await chmod(path, LOCAL_SOCKET_MODE);
  } catch (error) {
    server.close();
    warn(`labdeck: not sharing connections with the CLI: ${(error as Error).message}`);
    return undefined;
  }
  return {
    path,
    clients: () => open.size,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of open) socket.destroy();
      }),
  };
}
