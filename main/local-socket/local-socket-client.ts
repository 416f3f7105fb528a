import { createConnection } from 'node:net';
import { dirname } from 'node:path';
import packageJson from '../../package.json';
import { createPeerTransport } from '../../common/contract/peer-transport';
import type { Transport } from '../../common/contract/transport';
import type { ServerMessage } from '../../common/contract/wire';
import {
  LOCAL_PROTOCOL,
  LocalFrameReader,
  encodeLocalFrame,
  helloMatches,
  type LocalHello,
} from './local-frames';
import { checkPrivate, localSocketPath } from './socket-path';

/**
 * How long the CLI waits for a running LabDeck to answer its hello before working in-process:
 * a live one answers in a few milliseconds; a stale socket file fails at once (ECONNREFUSED).
 */
export const APP_HELLO_TIMEOUT_MS = 400;

/** A bridge connection to the LabDeck serving this settings folder. */
export interface AppConnection {
  readonly path: string;
  readonly transport: Transport;
  /** Ends the connection; the server then ends this client's subscriptions and streams. */
  close(): void;
}

/** The outcome of trying to reach a running LabDeck: a connection, or why not. */
export type AppReach =
  | { readonly ok: true; readonly connection: AppConnection }
  | {
      readonly ok: false;
      readonly reason: string;
      /**
       * Something serves the socket (it answered late, in another version, or its socket is
       * unsafe), so a LabDeck probably runs with connections this command does not see; false
       * when there is no socket or only a dead one.
       */
      readonly appSeen: boolean;
    };

/**
 * Connects to the running desktop app or `labdeck serve` for `home`, if there is one and it is
 * safe: the socket and its directory must be this user's and closed to everyone else (see
 * socket-path.ts), and the server must answer a hello of the same protocol and LabDeck version
 * within `timeoutMs`. Never throws: every failure is a reason to work in-process.
 */
export async function reachRunningApp(
  home: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = APP_HELLO_TIMEOUT_MS,
): Promise<AppReach> {
  const uid = process.getuid?.();
  if (uid === undefined)
    return { ok: false, reason: 'no local socket on this platform', appSeen: false };
  const path = await localSocketPath(home, env, uid);
  try {
    await checkPrivate(dirname(path), uid, 'directory');
    await checkPrivate(path, uid, 'socket');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT'
      ? { ok: false, reason: 'no running LabDeck', appSeen: false }
      : { ok: false, reason: `refused: ${(error as Error).message}`, appSeen: true };
  }
  return new Promise<AppReach>((resolve) => {
    const socket = createConnection(path);
    let listener: ((message: ServerMessage) => void) | undefined;
    const early: ServerMessage[] = [];
    let greeted = false;
    const fail = (reason: string, appSeen = true): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ ok: false, reason, appSeen });
    };
    const timer = setTimeout(
      () => fail(`${path} did not answer within ${timeoutMs} ms`),
      timeoutMs,
    );
    const reader = new LocalFrameReader(
      (message) => {
        if (greeted) {
          if (listener) listener(message as ServerMessage);
          else early.push(message as ServerMessage);
          return;
        }
        if (!helloMatches(message, packageJson.version)) {
          const theirs = (message as Partial<LocalHello>).version ?? 'unknown';
          return fail(`the running LabDeck speaks another version (${theirs})`);
        }
        greeted = true;
        clearTimeout(timer);
        const transport = createPeerTransport({
          send: (out) => {
            if (!socket.destroyed) socket.write(encodeLocalFrame(out));
          },
          onMessage: (next) => {
            listener = next;
            for (const queued of early.splice(0)) next(queued);
          },
          onClose: (next) => socket.once('close', next),
        });
        resolve({ ok: true, connection: { path, transport, close: () => socket.end() } });
      },
      () => socket.destroy(),
    );
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    // A refused connection is the socket file of a LabDeck that is gone (killed, crashed).
    socket.once('error', (error: NodeJS.ErrnoException) =>
      fail(`${path}: ${error.message}`, error.code !== 'ECONNREFUSED' && error.code !== 'ENOENT'),
    );
    socket.once('close', () => {
      if (!greeted) fail(`${path} closed the connection`);
    });
    const hello: LocalHello = {
      t: 'hello',
      protocol: LOCAL_PROTOCOL,
      version: packageJson.version,
    };
    socket.write(encodeLocalFrame(hello));
  });
}
