import { chmod, stat, unlink } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import type { AgentIdentity } from '../../common/agent/agent-protocol';
import { STREAM_MAGIC } from '../../common/agent/stream-header';
import { registerAgentMethods } from '../methods/agent-methods';
import { AgentRegistry } from '../rpc/agent-registry';
import { AgentServer } from '../rpc/agent-server';
import { fileLog } from './agent-log';
import { acquireDaemonLock } from './daemon-lock';
import { daemonAnswers } from './daemon-probe';
import { registerDiagStreams } from './diag-streams';
import { IdleExit, type ReleaseHold } from './idle-exit';
import { daemonFiles, ensureSocketDir } from './socket-dir';
import { serveStream, StreamTable, type StreamHost } from './stream-server';

/**
 * A daemon with no clients and no live work for this long exits (LabDeck starts a new one on the
 * next connect). An old build's daemon goes this way too, never because a newer one arrived.
 */
export const AGENT_IDLE_EXIT_MS = 10 * 60 * 1000;
/** Env var that overrides {@link AGENT_IDLE_EXIT_MS}, in ms; for tests. */
export const IDLE_EXIT_ENV = 'LABDECK_AGENT_IDLE_MS';
/** How long shutdown waits for clients to take their last bytes before exiting anyway. */
const SHUTDOWN_FLUSH_TIMEOUT_MS = 3_000;
/** Only the user may connect (the directory is 0700 too; some BSDs ignore socket modes). */
const SOCKET_MODE = 0o600;

/** What features get from the daemon they run in, beside the RPC registry. */
export interface DaemonControl {
  /**
   * Keeps the daemon from exiting when idle until the returned function is called: long-running
   * work (a durable terminal, a log follow) lives on with no client connected.
   */
  holdAlive(reason: string): ReleaseHold;
  /** The byte streams `labdeck-agent attach ID` reaches (see docs/agent-streams.md). */
  readonly streams: StreamTable;
  /**
   * Runs `hook` when the daemon stops (signal, `agent.shutdown`), before its lock is released:
   * e.g. hanging up terminals, which would otherwise live on out of reach. Bounded in time.
   */
  onShutdown(hook: () => Promise<void>): void;
}

/** What `serve` needs. */
export interface DaemonOptions {
  readonly socketPath: string;
  readonly identity: AgentIdentity;
  readonly idleExitMs: number;
  /** Adds feature methods, topics and streams beside the built-in `agent.*` and `diag:*` ones. */
  readonly register?: (registry: AgentRegistry, daemon: DaemonControl) => void;
}

function listen(server: Server, socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function withTimeout(promise: Promise<unknown>, ms: number): Promise<unknown> {
  return Promise.race([promise, new Promise((resolve) => setTimeout(resolve, ms).unref())]);
}

/** Removes `path` only if it is still the socket we created (same inode), never a successor's. */
async function removeOwnSocket(path: string, inode: number): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info?.ino === inode) await unlink(path).catch(() => undefined);
}

/**
 * Sends a new connection to the RPC server or, when its first byte opens {@link STREAM_MAGIC},
 * to the stream server: an RPC client's first byte is `{` of its hello, so one socket serves both.
 */
function route(socket: Socket, server: AgentServer, streams: StreamHost): void {
  socket.once('data', (first: Buffer) => {
    socket.pause();
    socket.unshift(first);
    if (first[0] === STREAM_MAGIC[0]) serveStream(socket, streams);
    else server.attach(socket, socket);
    socket.resume();
  });
  // Before its first byte a connection is neither; an error then just closes it.
  socket.once('error', () => socket.destroy());
}

/**
 * Runs the per-user daemon until it is idle, asked to shut down or signalled; resolves with the
 * exit code. A second daemon for the same socket (two `connect`s racing) finds the lock taken and
 * exits 0 at once, leaving the first to serve both.
 */
export async function runDaemon(options: DaemonOptions): Promise<number> {
  const { socketPath } = options;
  await ensureSocketDir(socketPath, process.getuid?.() ?? -1);
  const files = daemonFiles(socketPath);
  const log = fileLog(files.log);
  const lock = await acquireDaemonLock(files.lock, () => daemonAnswers(socketPath));
  if (!lock.acquired) {
    log.info(`daemon ${lock.holderPid} already serves ${socketPath}; exiting`);
    await log.close();
    return 0;
  }
  if (await daemonAnswers(socketPath)) {
    log.warn(`something else listens on ${socketPath}; exiting`);
    await lock.release();
    await log.close();
    return 0;
  }
  await unlink(socketPath).catch(() => undefined);

  const registry = new AgentRegistry();
  const server = new AgentServer({ registry, identity: options.identity, log });
  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  let inode = -1;
  let stopping = false;
  const idle = new IdleExit(options.idleExitMs, () => void stop('idle'));
  const streams = new StreamTable();
  const streamHost: StreamHost = { streams, log, holdAlive: (reason) => idle.holdAlive(reason) };
  const netServer = createServer((socket) => route(socket, server, streamHost));
  const signals: [NodeJS.Signals, () => void][] = [
    ['SIGTERM', () => void stop('SIGTERM')],
    ['SIGINT', () => void stop('SIGINT')],
    ['SIGHUP', () => log.info('ignoring SIGHUP')],
  ];

  const shutdownHooks: (() => Promise<void>)[] = [];
  const stop = async (reason: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    idle.stop();
    for (const [name, handler] of signals) process.off(name, handler);
    log.info(`stopping: ${reason}`);
    netServer.close();
    await removeOwnSocket(socketPath, inode);
    await withTimeout(
      Promise.all(shutdownHooks.map((hook) => hook().catch(() => undefined))),
      SHUTDOWN_FLUSH_TIMEOUT_MS,
    );
    await withTimeout(server.closeAll(), SHUTDOWN_FLUSH_TIMEOUT_MS);
    await lock.release();
    log.info('stopped');
    await log.close();
    resolveExit(0);
  };

  registerAgentMethods(registry, {
    identity: options.identity,
    startedAtMs: Date.now(),
    socketPath,
    clients: () => server.clients,
    shutdown: () => void stop('agent.shutdown requested'),
  });
  registerDiagStreams(streams);
  options.register?.(registry, {
    holdAlive: (reason) => idle.holdAlive(reason),
    streams,
    onShutdown: (hook) => shutdownHooks.push(hook),
  });

  try {
    await listen(netServer, socketPath);
  } catch (error) {
    log.warn(`cannot listen on ${socketPath}: ${String(error)}`);
    await lock.release();
    await log.close();
    return 1;
  }
  netServer.on('error', (error) => log.warn(`socket server: ${String(error)}`));
  await chmod(socketPath, SOCKET_MODE);
  inode = (await stat(socketPath)).ino;

  server.onClientsChanged((clients) => idle.setClients(clients));
  idle.setClients(server.clients);
  for (const [name, handler] of signals) process.on(name, handler);
  log.info(
    `daemon ${options.identity.agentVersion} (${options.identity.bundleSha256.slice(0, 12)}) listening on ${socketPath}, idle exit ${options.idleExitMs} ms`,
  );
  return exited;
}
