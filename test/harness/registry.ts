import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, LOOPBACK_HOST } from './free-port';
import { PARTS } from './require-part';

/** Debian's docker-registry (the CNCF distribution registry, 2.8). */
export const REGISTRY_PATH = PARTS['docker-registry'].path;
/** util-linux `setpriv`: gives the registry a parent-death signal, so a killed worker leaks none. */
const SETPRIV_PATH = '/usr/bin/setpriv';
/** The registry answers /v2/ within ~100 ms here; the margin covers a loaded CI machine. */
const REGISTRY_START_TIMEOUT_MS = 15_000;
const REGISTRY_POLL_MS = 50;
/** Another process can take the port freePort returned before the registry binds it. */
const REGISTRY_BIND_ATTEMPTS = 3;

/** A running registry on 127.0.0.1 that one test file owns. */
export interface Registry {
  /** `127.0.0.1:PORT`, the registry part of an image reference. */
  readonly address: string;
  readonly port: number;
  /** Its log (stderr), for a failing test's message. */
  readLog(): Promise<string>;
  /** Stop the registry and delete its storage. Idempotent. */
  stop(): Promise<void>;
}

/**
 * The registry's config as JSON, which is YAML too: filesystem storage under `dir`, plain HTTP on
 * loopback (Docker allows plain HTTP to 127.0.0.0/8 without --insecure-registry), no auth.
 */
function registryConfig(dir: string, port: number): string {
  return JSON.stringify({
    version: 0.1,
    log: { level: 'info', accesslog: { disabled: true } },
    storage: { filesystem: { rootdirectory: join(dir, 'data') }, delete: { enabled: true } },
    http: { addr: `${LOOPBACK_HOST}:${port}` },
  });
}

/**
 * Start a real image registry (`docker-registry serve CONFIG`) on a free loopback port, storing
 * blobs in a directory of its own, so a Docker engine can push and pull `127.0.0.1:PORT/repo:tag`
 * without TLS. The caller stops it.
 */
export async function startRegistry(): Promise<Registry> {
  const dir = await mkdtemp(join(tmpdir(), 'labdeck-registry-'));
  const logPath = join(dir, 'registry.log');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const configPath = join(dir, 'config.yml');
    await writeFile(configPath, registryConfig(dir, port));
    try {
      const child = await launch(configPath, logPath, port);
      let stopped: Promise<void> | undefined;
      return {
        address: `${LOOPBACK_HOST}:${port}`,
        port,
        readLog: () => readFile(logPath, 'utf8'),
        stop: () =>
          (stopped ??= (async () => {
            await kill(child);
            await rm(dir, { recursive: true, force: true });
          })()),
      };
    } catch (error) {
      if (!String(error).includes('address already in use') || attempt === REGISTRY_BIND_ATTEMPTS) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
}

/** Spawn the registry and resolve once GET /v2/ answers 200; reject with its log if it exits. */
async function launch(configPath: string, logPath: string, port: number): Promise<ChildProcess> {
  const log = await open(logPath, 'a');
  const args = ['--pdeathsig', 'TERM', '--', REGISTRY_PATH, 'serve', configPath];
  const child = spawn(SETPRIV_PATH, args, { stdio: ['ignore', log.fd, log.fd] });
  await log.close();
  const deadline = Date.now() + REGISTRY_START_TIMEOUT_MS;
  for (;;) {
    const answered = await fetch(`http://${LOOPBACK_HOST}:${port}/v2/`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (answered) return child;
    const exited = child.exitCode !== null || child.signalCode !== null;
    if (exited || Date.now() > deadline) {
      await kill(child);
      const text = await readFile(logPath, 'utf8').catch(() => '(no log)');
      const why = exited ? `exited (${child.exitCode ?? child.signalCode})` : 'did not answer';
      throw new Error(`docker-registry ${why} on port ${port}:\n${text.slice(-4000)}`);
    }
    await sleep(REGISTRY_POLL_MS);
  }
}

/** SIGTERM the registry (it exits at once) and wait for it. */
async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
