import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, LOOPBACK_HOST } from './free-port';
import { PARTS } from './require-part';
import { createKeyPair } from './users';

/** Absolute, because sshd re-executes itself per connection and refuses a relative argv[0]. */
export const SSHD_PATH = PARTS.sshd.path;
/** sshd's privilege-separation directory; Debian creates it only when the system service starts. */
const PRIVSEP_DIR = '/run/sshd';
/** sshd is listening within ~100 ms here; the margin covers a loaded CI machine. */
const SSHD_START_TIMEOUT_MS = 15_000;
const SSHD_POLL_MS = 25;
/** Another process can grab the port freePort returned before sshd binds it; try again then. */
const SSHD_BIND_ATTEMPTS = 3;

/** A running OpenSSH server on 127.0.0.1 owned by one test file. */
export interface Sshd {
  readonly host: string;
  readonly port: number;
  readonly hostKeyPath: string;
  /** The host key as an OpenSSH public key line (`ssh-ed25519 AAAA… comment`). */
  readonly hostPublicKey: string;
  /** As `ssh-keygen -l -E sha256` prints it and OpenSSH shows it: `SHA256:` + unpadded base64. */
  readonly hostKeyFingerprintSha256: string;
  /** sshd's VERBOSE log (`-E`): connections, auth attempts and their outcome. */
  readonly logPath: string;
  readonly configPath: string;
  /** The whole log so far; keep its `.length` to look only at what a step added. */
  readLog(): Promise<string>;
  /** Kill the server and every session it forked, then serve again on the same port and host key. */
  restart(): Promise<void>;
  /** Kill the server and its sessions and delete its directory, log included. Idempotent. */
  stop(): Promise<void>;
}

/** sshd_config keywords that replace the harness defaults, e.g. `{ PasswordAuthentication: 'no' }`. */
export interface SshdOptions {
  readonly config?: Readonly<Record<string, string>>;
}

const running = new Map<string, ChildProcess>();
process.once('exit', () => {
  for (const [dir, child] of running) {
    killTreeSync(child);
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Start a real OpenSSH server (`sshd -D -e -f config -E log`) on a free loopback port, with its
 * own directory, ed25519 host key and config; /etc/ssh and root's ~/.ssh are never read or
 * written. Users log in with ~/.ssh/authorized_keys keys or passwords through PAM
 * (see createTestUser). Needs root.
 */
export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  await mkdir(PRIVSEP_DIR, { recursive: true, mode: 0o755 });
  const dir = await mkdtemp(join(tmpdir(), 'labdeck-sshd-'));
  const configPath = join(dir, 'sshd_config');
  const logPath = join(dir, 'sshd.log');
  const hostKey = await createKeyPair(join(dir, 'ssh_host_ed25519_key'), {
    comment: 'labdeck-test-host',
  });
  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    await writeFile(configPath, sshdConfig(dir, port, hostKey.privateKeyPath, options.config));
    try {
      running.set(dir, await launch(configPath, logPath, port));
      break;
    } catch (error) {
      const bindFailed = String(error).includes('Address already in use');
      if (!bindFailed || attempt === SSHD_BIND_ATTEMPTS) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  const stopChild = async (): Promise<void> => {
    const child = running.get(dir);
    if (child === undefined) return;
    running.delete(dir);
    await killTree(child);
  };
  return {
    host: LOOPBACK_HOST,
    port,
    hostKeyPath: hostKey.privateKeyPath,
    hostPublicKey: hostKey.publicKey,
    hostKeyFingerprintSha256: hostKey.fingerprintSha256,
    logPath,
    configPath,
    readLog: () => readFile(logPath, 'utf8'),
    restart: async () => {
      await stopChild();
      running.set(dir, await launch(configPath, logPath, port));
    },
    stop: async () => {
      await stopChild();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The sshd_config text: harness defaults, then the test's overrides by keyword. */
function sshdConfig(
  dir: string,
  port: number,
  hostKeyPath: string,
  overrides: Readonly<Record<string, string>> = {},
): string {
  const config = {
    Port: String(port),
    ListenAddress: `${LOOPBACK_HOST}:${port}`,
    HostKey: hostKeyPath,
    PidFile: join(dir, 'sshd.pid'),
    AuthorizedKeysFile: '.ssh/authorized_keys',
    UsePAM: 'yes',
    PasswordAuthentication: 'yes',
    KbdInteractiveAuthentication: 'no',
    PermitRootLogin: 'no',
    StrictModes: 'yes',
    LogLevel: 'VERBOSE',
    PrintMotd: 'no',
    Subsystem: 'sftp internal-sftp',
    ...overrides,
  };
  const lines = Object.entries(config).map(([keyword, value]) => `${keyword} ${value}`);
  if (lines.some((line) => line.includes('\n')))
    throw new Error('sshd_config lines must be single lines');
  return `# Written by test/harness/sshd.ts\n${lines.join('\n')}\n`;
}

/** Spawn sshd and resolve once its log says it listens on `port`; reject with the log if it exits. */
async function launch(configPath: string, logPath: string, port: number): Promise<ChildProcess> {
  const logStart = (await stat(logPath).catch(() => undefined))?.size ?? 0;
  const child = spawn(SSHD_PATH, ['-D', '-e', '-f', configPath, '-E', logPath], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = `Server listening on ${LOOPBACK_HOST} port ${port}.`;
  const deadline = Date.now() + SSHD_START_TIMEOUT_MS;
  for (;;) {
    const log = (await readFile(logPath).catch(() => Buffer.alloc(0)))
      .subarray(logStart)
      .toString();
    if (log.includes(ready)) return child;
    const exited = child.exitCode !== null || child.signalCode !== null;
    if (exited || Date.now() > deadline) {
      killTreeSync(child);
      const why = exited
        ? `exited (${child.exitCode ?? child.signalCode})`
        : 'did not start in time';
      throw new Error(`sshd ${why} on port ${port}:\n${log}${stderr}`);
    }
    await sleep(SSHD_POLL_MS);
  }
}

/** Kill `child` and its descendants (per-connection sshd processes and user shells) and wait. */
async function killTree(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  if (child.exitCode === null && child.signalCode === null) {
    killTreeSync(child);
    await exited;
  }
}

/**
 * SIGKILL `child` and every process below it. sshd's connection processes call setsid(), so
 * killing a process group would miss them; walking /proc by parent pid does not.
 */
function killTreeSync(child: ChildProcess): void {
  if (child.pid === undefined) return;
  const childrenOf = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let procStat: string;
    try {
      procStat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    const ppid = Number(procStat.slice(procStat.lastIndexOf(')') + 2).split(' ')[1]);
    childrenOf.set(ppid, [...(childrenOf.get(ppid) ?? []), Number(entry)]);
  }
  const tree = [child.pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(childrenOf.get(tree[i] ?? -1) ?? []));
  for (const pid of tree) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
