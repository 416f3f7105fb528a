import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
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
/** iproute2's `ip`, which makes each engine's bridge (Debian 12's path; `.ci/run` installs it). */
const IP_PATH = '/usr/sbin/ip';
/**
 * The name of the executable whose presence on dockerd's PATH makes Docker 20.10+ register its
 * `nvidia` device driver (daemon/nvidia_linux.go); it then runs it as an OCI prestart hook.
 */
const NVIDIA_HOOK_NAME = 'nvidia-container-runtime-hook';
/** The stand-in hook: reads the container state runc writes to its stdin, changes nothing. */
/** Interface names of the engines' bridges: `ld-dk-br0`…`ld-dk-br255` (15 characters at most). */
export const BRIDGE_PREFIX = 'ld-dk-br';
/**
 * First word of a bridge's alias, `TAG WATCHDOG_PID DIR`; a bridge so named whose watchdog is gone
 * is stale, and the next engine start deletes it.
 */
export const BRIDGE_ALIAS_TAG = 'labdeck-test-dockerd';
/** Bridges get a /24 of 10.213.0.0/16, one that no route or address of the machine overlaps. */
const BRIDGE_NET = '10.213';
const NVIDIA_HOOK_STAND_IN =
  '#!/bin/sh\n# LabDeck test stand-in: no GPU to set up.\ncat >/dev/null\nexit 0\n';

/** The network bridge an engine's containers attach to (its default `bridge` network). */
export interface DockerBridge {
  /** Interface name, `ld-dk-brN`. */
  readonly name: string;
  /** The bridge's own address, the containers' gateway, e.g. `10.213.0.1`. */
  readonly gateway: string;
  /** The /24 containers get addresses from, e.g. `10.213.0.0/24`. */
  readonly subnet: string;
}

/** A Docker engine that only the tests use: its own socket, data root and exec root. */
export interface DockerEngine {
  readonly socketPath: string;
  /** For the docker CLI and for code under test: `unix:///tmp/ld-dk-…/docker.sock`. */
  readonly dockerHost: string;
  readonly docker: Dockerode;
  /** Its containers' bridge; ports published to 127.0.0.1 are served by docker-proxy through it. */
  readonly bridge: DockerBridge;
}

/** What a private engine can do besides running containers. */
export interface DockerdOptions {
  /**
   * Put the stand-in `nvidia-container-runtime-hook` on dockerd's PATH, so the engine accepts
   * `DeviceRequests` with driver `nvidia` and sets `NVIDIA_VISIBLE_DEVICES` in the container to
   * the requested device IDs. Default true; false gives an engine without the nvidia driver, which
   * refuses such requests ("could not select device driver").
   */
  readonly gpus?: boolean;
}

/** A private engine that the caller stops. */
export interface DockerDaemon extends DockerEngine {
  /** Stop dockerd (containers get 1 s), unmount and delete its directory; resolves when done. */
  stop(): Promise<void>;
}

/**
 * Runs as `node -e WATCHDOG_SOURCE DIR OWNER_PID DOCKERD IP HOOK_DIR`: gives the engine a bridge
 * of its own, starts dockerd under DIR (with HOOK_DIR, when not empty, first on its PATH) and,
 * once OWNER_PID has exited or the watchdog gets SIGTERM, stops dockerd, deletes the bridge,
 * unmounts what dockerd left under DIR and deletes DIR. A process of its own, so a crashed or
 * killed test worker cannot leak a daemon. If dockerd dies by itself (or the bridge cannot be
 * made) it writes DIR/exited and keeps DIR (and the log) for waiters.
 *
 * The bridge is `ld-dk-brN` with 10.213.N.1/24, N the first index whose /24 overlaps no route or
 * address of the machine and whose name is free (`ip link add` fails on a taken name, so parallel
 * runs never share one). Its alias names the owning watchdog's pid and DIR; a bridge whose
 * watchdog is gone (a run that was killed -9) is deleted by the next start.
 */
const WATCHDOG_SOURCE = `
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const [, dir, ownerPid, dockerdPath, ipPath, hookDir] = process.argv;
const log = fs.openSync(dir + '/dockerd.log', 'a');
const BRIDGE_PREFIX = '${BRIDGE_PREFIX}';
const ALIAS_TAG = '${BRIDGE_ALIAS_TAG}';
const ip = (args) => execFileSync(ipPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const ipJson = (args) => JSON.parse(ip(['-json', ...args]) || '[]');
const isStale = (alias) => {
  const [tag, pid, ownerDir] = alias.split(' ');
  if (tag !== ALIAS_TAG) return false;
  try {
    return !fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8').split('\\0').includes(ownerDir);
  } catch {
    return true;
  }
};
const removeStaleBridges = () => {
  for (const link of ipJson(['link', 'show', 'type', 'bridge'])) {
    if (!link.ifname.startsWith(BRIDGE_PREFIX) || !link.ifalias || !isStale(link.ifalias)) continue;
    try {
      ip(['link', 'delete', link.ifname]);
      fs.writeSync(log, 'watchdog: deleted stale bridge ' + link.ifname + ' (' + link.ifalias + ')\\n');
    } catch {}
  }
};
const toInt = (address) => address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
const overlaps = ([a, aLength], [b, bLength]) => {
  const size = 2 ** (32 - Math.min(aLength, bLength));
  return Math.floor(a / size) === Math.floor(b / size);
};
const machineNetworks = () => {
  const networks = [];
  for (const route of ipJson(['-4', 'route', 'show', 'table', 'all'])) {
    const match = /^(\\d+\\.\\d+\\.\\d+\\.\\d+)(?:\\/(\\d+))?$/.exec(route.dst);
    if (match) networks.push([toInt(match[1]), match[2] === undefined ? 32 : Number(match[2])]);
  }
  for (const link of ipJson(['-4', 'address', 'show'])) {
    for (const address of link.addr_info || []) networks.push([toInt(address.local), address.prefixlen]);
  }
  return networks;
};
let bridge = '';
const makeBridge = () => {
  removeStaleBridges();
  const taken = machineNetworks();
  for (let n = 0; n < 256; n++) {
    const prefix = '${BRIDGE_NET}.' + n;
    if (taken.some((network) => overlaps(network, [toInt(prefix + '.0'), 24]))) continue;
    const name = BRIDGE_PREFIX + n;
    try {
      ip(['link', 'add', name, 'type', 'bridge']);
    } catch (error) {
      if (String(error.stderr).includes('File exists')) continue;
      throw error;
    }
    bridge = name;
    ip(['link', 'set', name, 'alias', ALIAS_TAG + ' ' + process.pid + ' ' + dir]);
    ip(['address', 'add', prefix + '.1/24', 'dev', name]);
    ip(['link', 'set', name, 'up']);
    return { name, gateway: prefix + '.1', subnet: prefix + '.0/24' };
  }
  throw new Error('every /24 of ${BRIDGE_NET}.0.0/16 overlaps a network of this machine or is taken');
};
let stopping = false;
let dead = false;
const cleanUp = () => {
  if (bridge) {
    try { ip(['link', 'delete', bridge]); } catch {}
  }
  const mounts = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\\n')
    .map((line) => line.split(' ')[4]).filter((m) => m && m.startsWith(dir + '/'));
  for (const m of mounts.sort((a, b) => b.length - a.length)) {
    try { execFileSync('umount', ['-l', m], { stdio: 'ignore' }); } catch {}
  }
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
let dockerd;
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
try {
  const info = makeBridge();
  fs.writeFileSync(dir + '/bridge.json', JSON.stringify(info));
  const env = { ...process.env };
  if (hookDir) env.PATH = hookDir + ':' + (env.PATH || '/usr/sbin:/usr/bin:/sbin:/bin');
  // No --iptables and no --ip-forward: the machine's firewall and sysctls stay as they are.
  // docker-proxy (the userland proxy) serves a port published to 127.0.0.1 and connects to the
  // container's address through the bridge, which needs neither.
  dockerd = spawn(dockerdPath, ['--host', 'unix://' + dir + '/docker.sock',
    '--data-root', dir + '/data', '--exec-root', dir + '/exec', '--pidfile', dir + '/dockerd.pid',
    '--bridge=' + info.name, '--iptables=false', '--ip-forward=false', '--userland-proxy=true',
    '--shutdown-timeout=1'], { stdio: ['ignore', log, log], env });
  dockerd.on('exit', (code, signal) => died(code ?? signal));
  dockerd.on('error', (error) => died(error.message));
} catch (error) {
  died('its bridge could not be made: ' + (error.stderr || error.message));
}
process.on('SIGTERM', stop);
setInterval(() => {
  try { process.kill(Number(ownerPid), 0); } catch { stop(); }
}, 500);
`;

/**
 * Start the watchdog (and so dockerd) for `dir`; it stops them when `ownerPid` exits. With `gpus`
 * the stand-in nvidia hook is written to `dir`/bin first, and that folder leads dockerd's PATH.
 */
async function launchWatchdog(dir: string, ownerPid: number, gpus: boolean): Promise<ChildProcess> {
  const hookDir = gpus ? await writeNvidiaHookStandIn(dir) : '';
  const args = ['-e', WATCHDOG_SOURCE, dir, String(ownerPid), DOCKERD_PATH, IP_PATH, hookDir];
  return spawn(process.execPath, args, { detached: true, stdio: 'ignore' });
}

/** Write the stand-in `nvidia-container-runtime-hook` into `dir`/bin; returns that folder. */
async function writeNvidiaHookStandIn(dir: string): Promise<string> {
  const bin = join(dir, 'bin');
  await mkdir(bin, { recursive: true });
  const hook = join(bin, NVIDIA_HOOK_NAME);
  await writeFile(hook, NVIDIA_HOOK_STAND_IN);
  await chmod(hook, 0o755);
  return bin;
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
      const bridge = JSON.parse(await readFile(join(dir, 'bridge.json'), 'utf8')) as DockerBridge;
      return { socketPath, dockerHost: `unix://${socketPath}`, docker, bridge };
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
 * Start a private dockerd. Its containers join a bridge of its own ({@link DockerBridge}), so
 * `PortBindings` to `127.0.0.1` with an empty HostPort work (docker-proxy serves the port Docker
 * picks); NetworkMode 'none' gives loopback only, 'host' the machine's network. The machine's
 * firewall and sysctls are left alone (`--iptables=false --ip-forward=false`), so nothing is
 * published beyond loopback. With the default `gpus: true` the engine accepts nvidia GPU
 * DeviceRequests without a GPU ({@link DockerdOptions}). For tests that stop or break the engine;
 * the rest should use {@link sharedDockerd}, which saves a daemon start per file. stop() is
 * reliable: a watchdog process also ends the engine (and deletes its bridge) when this process
 * dies. Needs root.
 */
export async function startDockerd(options: DockerdOptions = {}): Promise<DockerDaemon> {
  const dir = await mkdtemp(DOCKERD_DIR_PREFIX);
  const watchdog = await launchWatchdog(dir, process.pid, options.gpus ?? true);
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
 * the rest; idempotent. It is started as {@link startDockerd} starts one with the defaults: a
 * bridge of its own and the stand-in nvidia hook. It stops (and its directory goes) when the run's main process exits, so
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
    if (created) (await launchWatchdog(dir, vitestRunPid(), true)).unref();
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
