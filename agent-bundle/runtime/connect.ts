import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { basename } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AgentIdentity } from '../../common/agent/agent-protocol';
import { AppFailure } from '../../common/contract/result';
import { isProcessAlive, readLockPid } from './daemon-lock';
import { probeDaemon } from './daemon-probe';
import { daemonFiles, ensureSocketDir } from './socket-dir';

/** How long `connect` may take to reach a daemon of its own build, replacing one if needed. */
export const DAEMON_READY_TIMEOUT_MS = 20_000;
/** Pause between looks at a daemon that is starting or stopping. */
const POLL_MS = 50;
/** How long a daemon asked to shut down (or signalled) gets to exit before it is killed. */
const TERM_GRACE_MS = 3_000;

/** Which daemon `connect` and `attach` reach: this build's. */
export interface DaemonTarget {
  readonly socketPath: string;
  /** This bundle's file, started as `serve` when no daemon answers. */
  readonly bundlePath: string;
  readonly identity: AgentIdentity;
}

/** What `connect` needs. */
export interface ConnectOptions extends DaemonTarget {
  readonly input: Readable;
  readonly output: Writable;
}

/**
 * Starts `serve` detached (own session, stdio on /dev/null, not waited for) so the daemon
 * outlives this process and the SSH session that started it.
 */
function spawnDaemon(options: DaemonTarget): { exited: boolean } {
  const state = { exited: false };
  const child = spawn(
    process.execPath,
    [options.bundlePath, 'serve', '--socket', options.socketPath],
    { detached: true, stdio: 'ignore', cwd: '/' },
  );
  child.on('error', () => (state.exited = true));
  child.on('exit', () => (state.exited = true));
  child.unref();
  return state;
}

async function waitForExit(pid: number, deadline: number): Promise<void> {
  while (isProcessAlive(pid) && Date.now() < deadline) await sleep(POLL_MS);
}

/** Sends `signal` to `pid`, ignoring a process that has already gone. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already exited: what we wanted.
  }
}

/** SIGTERM, then SIGKILL if the daemon has not exited after {@link TERM_GRACE_MS}. */
async function terminate(pid: number, deadline: number): Promise<void> {
  if (!isProcessAlive(pid)) return;
  signal(pid, 'SIGTERM');
  await waitForExit(pid, Math.min(deadline, Date.now() + TERM_GRACE_MS));
  if (isProcessAlive(pid)) signal(pid, 'SIGKILL');
  await waitForExit(pid, deadline);
}

function notReady(socketPath: string): AppFailure {
  return new AppFailure({
    code: 'agent-daemon-not-ready',
    message: `The LabDeck agent daemon did not answer within ${DAEMON_READY_TIMEOUT_MS / 1000} s.`,
    hint: `See ${daemonFiles(socketPath).log} on the host for the reason.`,
  });
}

function otherBuild(socketPath: string, hello: { agentVersion: string; pid: number }): AppFailure {
  return new AppFailure({
    code: 'agent-socket-other-build',
    message: `Another LabDeck agent build (${hello.agentVersion}, pid ${hello.pid}) serves ${socketPath}.`,
    hint: 'Each build has its own socket (agent-<sha12>.sock); leave out --socket, or give this build a path of its own.',
  });
}

/**
 * Makes sure a daemon of this very build (same `bundleSha256`) serves the socket: starts one if
 * none answers. The socket is this build's own (`agent-<sha12>.sock`), so a daemon of another
 * build is never found there by default, and never stopped: its terminals live on, and it exits
 * when idle. Only a daemon that speaks another protocol or hangs on our socket is signalled (by
 * the pid in its lock file) and replaced.
 */
export async function ensureOwnDaemon(options: DaemonTarget): Promise<void> {
  const { socketPath } = options;
  const deadline = Date.now() + DAEMON_READY_TIMEOUT_MS;
  let spawned: { exited: boolean } | undefined;
  while (Date.now() < deadline) {
    const outcome = await probeDaemon(socketPath);
    if (outcome.state === 'hello') {
      if (outcome.hello.bundleSha256 === options.identity.bundleSha256) return;
      throw otherBuild(socketPath, outcome.hello);
    } else if (outcome.state === 'absent') {
      if (spawned === undefined || spawned.exited) spawned = spawnDaemon(options);
      await sleep(POLL_MS);
    } else {
      const { lock } = daemonFiles(socketPath);
      const pid = await readLockPid(lock);
      if (pid === undefined || pid === process.pid) {
        throw new AppFailure({
          code: 'agent-socket-taken',
          message: `Something LabDeck cannot replace listens on ${socketPath} (it has no ${basename(lock)}).`,
          hint: `Stop that program, or remove the socket (rm '${socketPath}'), and connect again.`,
        });
      }
      await terminate(pid, deadline);
    }
  }
  throw notReady(socketPath);
}

/**
 * Connects to the daemon and copies bytes both ways until either side ends; `preamble` is
 * written first (an attach's open header).
 */
export function pipeToDaemon(options: ConnectOptions, preamble?: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(options.socketPath);
    socket.once('error', (error) => reject(error));
    socket.once('connect', () => {
      socket.on('error', () => socket.destroy());
      options.output.on('error', () => socket.destroy());
      if (preamble !== undefined) socket.write(preamble);
      options.input.pipe(socket);
      socket.pipe(options.output, { end: false });
      socket.once('close', () => resolve());
    });
  });
}

/**
 * `connect` mode: what LabDeck runs through an SSH exec channel (or as a local child). Checks the
 * socket directory, makes sure a daemon of this build runs, then proxies stdio to its socket, so
 * hosts that forbid socket forwarding still work. Resolves when the connection ends.
 */
export async function runConnect(options: ConnectOptions): Promise<void> {
  await ensureSocketDir(options.socketPath, process.getuid?.() ?? -1);
  await ensureOwnDaemon(options);
  await pipeToDaemon(options);
}
