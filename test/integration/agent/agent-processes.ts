import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { build, type BuildOptions } from 'esbuild';
import { readLockPid, isProcessAlive } from '../../../agent-bundle/runtime/daemon-lock';
import { AgentClient } from '../../../main/agent/agent-client';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');
/** Bound on connect + daemon start + hello for one client. */
export const CONNECT_TIMEOUT_MS = 15_000;
/** Idle exit for daemons in tests that do not test it: a leaked daemon still goes away soon. */
export const TEST_IDLE_EXIT_MS = 30_000;
const POLL_MS = 25;

/**
 * Builds the agent the way the release does (one CommonJS file for Node 18), plus a variant with
 * another banner, so its sha256 differs as a new release's would.
 */
export async function buildAgentBundles(dir: string): Promise<{ a: string; b: string }> {
  const options: BuildOptions = {
    entryPoints: [join(REPO_ROOT, 'agent-bundle/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    logLevel: 'warning',
  };
  const a = join(dir, 'labdeck-agent-a.cjs');
  const b = join(dir, 'labdeck-agent-b.cjs');
  await build({ ...options, outfile: a });
  await build({ ...options, outfile: b, banner: { js: '// variant b' } });
  return { a, b };
}

/** A private runtime directory standing in for XDG_RUNTIME_DIR (short: socket paths are capped). */
export async function makeRuntimeDir(): Promise<string> {
  return mkdtemp('/tmp/ldagent-');
}

/** The sha256 (hex) of a bundle file, which names its build's socket. */
export async function bundleSha256(bundle: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(bundle))
    .digest('hex');
}

/** The files of the daemon of the build with `bundleSha`, inside a runtime directory. */
export function daemonPaths(runtimeDir: string, bundleSha: string) {
  const dir = join(runtimeDir, 'labdeck');
  const stem = join(dir, `agent-${bundleSha.slice(0, 12)}`);
  return { dir, socket: `${stem}.sock`, lock: `${stem}.pid`, log: `${stem}.log` };
}

/** The pid in every daemon lock (`agent-*.pid`) of a runtime directory. */
async function lockPids(runtimeDir: string): Promise<number[]> {
  const dir = join(runtimeDir, 'labdeck');
  const names = await readdir(dir).catch(() => [] as string[]);
  const pids = await Promise.all(
    names.filter((name) => name.endsWith('.pid')).map((name) => readLockPid(join(dir, name))),
  );
  return pids.filter((pid): pid is number => pid !== undefined);
}

/** How long cleanup keeps looking for processes it must kill. */
const CLEANUP_TIMEOUT_MS = 5_000;

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

/** Pids whose command line names one of `dirs` (Linux /proc; the daemon's `--socket` does). */
async function processesMentioning(dirs: readonly string[]): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (dirs.some((dir) => cmdline.includes(dir))) found.push(Number(entry));
  }
  return found;
}

/** A `labdeck-agent connect` child with a client on its stdio. */
export interface ConnectedAgent {
  readonly child: ChildProcess;
  readonly client: AgentClient;
}

/** Tracks every process a test starts, to kill them all afterwards. */
export class AgentProcesses {
  private readonly children: ChildProcess[] = [];
  private readonly daemonPids = new Set<number>();
  private readonly runtimeDirs: string[] = [];

  /** Remembers a directory whose daemon (per its lock) must die and which is removed afterwards. */
  track(runtimeDir: string): string {
    this.runtimeDirs.push(runtimeDir);
    return runtimeDir;
  }

  /** Runs `node <bundle> connect` with XDG_RUNTIME_DIR set and says hello through it. */
  async connect(
    bundle: string,
    runtimeDir: string,
    idleMs = TEST_IDLE_EXIT_MS,
  ): Promise<ConnectedAgent> {
    const child = spawn(process.execPath, [bundle, 'connect'], {
      env: {
        PATH: process.env.PATH,
        XDG_RUNTIME_DIR: runtimeDir,
        LABDECK_AGENT_IDLE_MS: String(idleMs),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.children.push(child);
    const stream = Duplex.from({ readable: child.stdout, writable: child.stdin });
    const client = await AgentClient.connect(stream, {
      client: 'integration test',
      timeoutMs: CONNECT_TIMEOUT_MS,
      stderr: child.stderr,
    });
    this.daemonPids.add(client.hello.pid);
    return { child, client };
  }

  /** Notes a daemon pid learnt some other way. */
  noteDaemon(pid: number): void {
    this.daemonPids.add(pid);
  }

  /**
   * Kills every child and daemon this test started and removes its directories. Daemons are also
   * found by their command line: a `serve` that lost a start race may still be starting, and would
   * otherwise re-create the directory after it was removed.
   */
  async cleanup(): Promise<void> {
    for (const child of this.children.splice(0)) child.kill('SIGKILL');
    const dirs = this.runtimeDirs.splice(0);
    for (const dir of dirs) for (const pid of await lockPids(dir)) this.daemonPids.add(pid);
    const deadline = Date.now() + CLEANUP_TIMEOUT_MS;
    for (;;) {
      const pids = [...this.daemonPids, ...(await processesMentioning(dirs))];
      const alive = pids.filter((pid) => pid !== process.pid && isProcessAlive(pid));
      if (alive.length === 0 || Date.now() > deadline) break;
      for (const pid of alive) killQuietly(pid);
      await sleep(POLL_MS);
    }
    this.daemonPids.clear();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  }
}

/** Polls `condition` until true; throws after `timeoutMs`. */
export async function waitUntil(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}`);
    await sleep(POLL_MS);
  }
}
