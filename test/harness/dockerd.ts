import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Dockerode from 'dockerode';
import { PARTS } from './require-part';

/** Debian's docker.io engine. */
export const DOCKERD_PATH = PARTS.dockerd.path;
/** dockerd answers _ping after 1-5 s; containerd start-up on a loaded CI runner can be slower. */
const DOCKERD_START_TIMEOUT_MS = 60_000;
const DOCKERD_POLL_MS = 200;
/** Under /tmp, not os.tmpdir(): containerd's sockets live in the exec root (108-byte limit). */
const DOCKERD_DIR_PREFIX = '/tmp/ld-dk-';

/** A Docker engine that only the tests use: its own socket, data root and exec root. */
export interface DockerEngine {
  readonly socketPath: string;
  /** For the docker CLI and for code under test: `unix:///tmp/ld-dk-…/docker.sock`. */
  readonly dockerHost: string;
  readonly docker: Dockerode;
}

/** A private engine that the caller stops. */
export interface DockerDaemon extends DockerEngine {
  /** Stop dockerd (containers get 1 s), unmount and delete its directory; resolves when done. */
  stop(): Promise<void>;
}

/**
 * Runs as `node -e WATCHDOG_SOURCE DIR OWNER_PID`: starts dockerd under DIR and, once OWNER_PID
 * has exited or the watchdog gets SIGTERM, stops dockerd, unmounts what it left under DIR and
 * deletes DIR. A process of its own, so a crashed or killed test worker cannot leak a daemon.
 * If dockerd dies by itself it writes DIR/exited and keeps DIR (and the log) for waiters.
 */
const WATCHDOG_SOURCE = `
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const [, dir, ownerPid, dockerdPath] = process.argv;
const log = fs.openSync(dir + '/dockerd.log', 'a');
const dockerd = spawn(dockerdPath, ['--host', 'unix://' + dir + '/docker.sock',
  '--data-root', dir + '/data', '--exec-root', dir + '/exec', '--pidfile', dir + '/dockerd.pid',
  '--iptables=false', '--bridge=none', '--shutdown-timeout=1'], { stdio: ['ignore', log, log] });
let stopping = false;
let dead = false;
const cleanUp = () => {
  const mounts = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\\n')
    .map((line) => line.split(' ')[4]).filter((m) => m && m.startsWith(dir + '/'));
  for (const m of mounts.sort((a, b) => b.length - a.length)) {
    try { execFileSync('umount', ['-l', m], { stdio: 'ignore' }); } catch {}
  }
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
const stop = () => {
  if (stopping) return;
  stopping = true;
  if (dead) return cleanUp();
  dockerd.kill('SIGTERM');
  setTimeout(() => dockerd.kill('SIGKILL'), 20000).unref();
};
const died = (why) => {
  dead = true;
  if (stopping) return cleanUp();
  fs.writeSync(log, 'watchdog: dockerd ended: ' + why + '\\n');
  fs.writeFileSync(dir + '/exited', String(why));
};
dockerd.on('exit', (code, signal) => died(code ?? signal));
dockerd.on('error', (error) => died(error.message));
process.on('SIGTERM', stop);
setInterval(() => {
  try { process.kill(Number(ownerPid), 0); } catch { stop(); }
}, 500);
`;

/** Start the watchdog (and so dockerd) for `dir`; it stops them when `ownerPid` exits. */
function launchWatchdog(dir: string, ownerPid: number): ChildProcess {
  return spawn(process.execPath, ['-e', WATCHDOG_SOURCE, dir, String(ownerPid), DOCKERD_PATH], {
    detached: true,
    stdio: 'ignore',
  });
}

/** Whether `promise` fulfils. */
function succeeds(promise: Promise<unknown>): Promise<boolean> {
  return promise.then(
    () => true,
    () => false,
  );
}

/** Wait until the engine in `dir` answers _ping; fail fast with its log if dockerd exited. */
async function waitForEngine(dir: string): Promise<DockerEngine> {
  const socketPath = join(dir, 'docker.sock');
  const docker = new Dockerode({ socketPath });
  const deadline = Date.now() + DOCKERD_START_TIMEOUT_MS;
  for (;;) {
    const exited = await succeeds(stat(join(dir, 'exited')));
    if (!exited && (await succeeds(docker.ping()))) {
      return { socketPath, dockerHost: `unix://${socketPath}`, docker };
    }
    if (exited || Date.now() > deadline) {
      const log = await readFile(join(dir, 'dockerd.log'), 'utf8').catch(() => '(no log)');
      const why = exited ? 'exited' : `did not answer _ping in ${DOCKERD_START_TIMEOUT_MS} ms`;
      throw new Error(`dockerd in ${dir} ${why}:\n${log.slice(-4000)}`);
    }
    await sleep(DOCKERD_POLL_MS);
  }
}

/**
 * Start a private dockerd. `--iptables=false --bridge=none` leave the machine's firewall and
 * interfaces alone: a container gets loopback only, or the host's network with NetworkMode 'host'.
 * For tests that stop or break the engine; the rest should use {@link sharedDockerd}, which
 * saves a daemon start per file. stop() is reliable: a watchdog process also ends the engine when
 * this process dies. Needs root.
 */
export async function startDockerd(): Promise<DockerDaemon> {
  const dir = await mkdtemp(DOCKERD_DIR_PREFIX);
  const watchdog = launchWatchdog(dir, process.pid);
  const exited = new Promise<void>((resolve) => watchdog.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (watchdog.exitCode === null && watchdog.signalCode === null) watchdog.kill('SIGTERM');
    await exited;
  };
  try {
    return { ...(await waitForEngine(dir)), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

let shared: Promise<DockerEngine> | undefined;

/**
 * The one dockerd of this `vitest run`, started by whichever test file asks first and reused by
 * the rest; idempotent. It stops (and its directory goes) when the run's main process exits, so
 * there is no stop(): tests remove the containers they create. Keyed by the run, so parallel
 * runs on one machine never share an engine.
 */
export function sharedDockerd(): Promise<DockerEngine> {
  shared ??= (async () => {
    const dir = `${DOCKERD_DIR_PREFIX}run-${vitestRunPid()}`;
    const created = await mkdir(dir, { mode: 0o700 }).then(
      () => true,
      (error: NodeJS.ErrnoException) => (error.code === 'EEXIST' ? false : Promise.reject(error)),
    );
    if (created) launchWatchdog(dir, vitestRunPid()).unref();
    return waitForEngine(dir);
  })();
  return shared;
}

/** The pid of the process that lives as long as this test run: vitest's main process. */
function vitestRunPid(): number {
  // Vitest's forks pools run each file in a child of `vitest run`; the threads pool runs in it.
  const inForkedWorker = process.env.VITEST !== undefined && process.send !== undefined;
  return inForkedWorker ? process.ppid : process.pid;
}
