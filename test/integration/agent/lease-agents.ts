import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { LEASE_FILE_NAME } from '../../../agent-bundle/sessions/lease-file';
import { isProcessAlive } from '../../../agent-bundle/runtime/daemon-lock';
import type { AppError } from '../../../common/contract/result';
import { AgentClient } from '../../../main/agent/agent-client';
import type { TestUser } from '../../harness';
import { CONNECT_TIMEOUT_MS, TEST_IDLE_EXIT_MS } from './agent-processes';

/** One client of a user's real agent daemon, started through `runuser` as that user. */
export interface LeaseClient {
  readonly user: TestUser;
  readonly child: ChildProcess;
  readonly client: AgentClient;
}

/** A hold of `allocation.lease` as a client sees it. */
export interface ClientHold {
  /** Resolves with the event once held; rejects with the error the subscription ended with. */
  readonly held: Promise<{ readonly leaseId: string; readonly waitedMs: number }>;
  /** Resolves when the agent ends the subscription (error) or the connection closes. */
  readonly ended: Promise<AppError | undefined>;
  unsubscribe(): void;
}

/** Subscribes to the lease; see {@link ClientHold}. */
export function holdLease(client: AgentClient, waitMs: number): ClientHold {
  let resolveEnded!: (error: AppError | undefined) => void;
  const ended = new Promise<AppError | undefined>((resolve) => (resolveEnded = resolve));
  let unsubscribe!: () => void;
  const held = new Promise<{ leaseId: string; waitedMs: number }>((resolve, reject) => {
    unsubscribe = client.subscribe('allocation.lease', { waitMs }, resolve, (error) => {
      resolveEnded(error);
      reject(Object.assign(new Error(error?.message ?? 'ended'), error));
    });
  });
  held.catch(() => undefined);
  return { held, ended, unsubscribe };
}

/** The holder a lock directory's lock file names, or undefined when none is held. */
export async function lockHolder(
  lockDir: string,
): Promise<{ leaseId: string; user: string; pid: number } | undefined> {
  const raw = await readFile(join(lockDir, LEASE_FILE_NAME), 'utf8').catch(() => undefined);
  return raw === undefined ? undefined : JSON.parse(raw);
}

/**
 * Starts and tracks real agent daemons of several Unix users that share one lease directory
 * (mode 0777, as the agent makes it), and kills them all in {@link cleanup}.
 */
export class LeaseAgents {
  private readonly clients: LeaseClient[] = [];
  private readonly dirs: string[] = [];
  private readonly runtimeDirs = new Map<string, string>();

  constructor(
    private readonly bundle: string,
    readonly lockDir: string,
  ) {}

  /** A fresh, shared lease directory for a test. */
  static async lockDir(): Promise<string> {
    const dir = await mkdtemp('/tmp/ldlease-');
    await chmod(dir, 0o777);
    return dir;
  }

  /** Connects a new client to `user`'s daemon (started on first connect, with `env`) as that user. */
  async connect(user: TestUser, env: Record<string, string> = {}): Promise<LeaseClient> {
    let runtime = this.runtimeDirs.get(user.username);
    if (runtime === undefined) {
      runtime = await mkdtemp('/tmp/ldagent-');
      await chown(runtime, user.uid, user.gid);
      this.dirs.push(runtime);
      this.runtimeDirs.set(user.username, runtime);
    }
    const argv = ['-u', user.username, '--', process.execPath, this.bundle, 'connect'];
    const child = spawn('runuser', argv, {
      env: {
        PATH: process.env.PATH,
        XDG_RUNTIME_DIR: runtime,
        LABDECK_AGENT_IDLE_MS: String(TEST_IDLE_EXIT_MS),
        LABDECK_LOCK_DIR: this.lockDir,
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stream = Duplex.from({ readable: child.stdout, writable: child.stdin });
    const client = await AgentClient.connect(stream, {
      client: `lease test as ${user.username}`,
      timeoutMs: CONNECT_TIMEOUT_MS,
      stderr: child.stderr,
    });
    const connected = { user, child, client };
    this.clients.push(connected);
    return connected;
  }

  /** Kills every client and daemon started here and removes their directories. */
  async cleanup(): Promise<void> {
    const daemons = new Set(this.clients.map(({ client }) => client.hello.pid));
    for (const { child, client } of this.clients.splice(0)) {
      client.close();
      child.kill('SIGKILL');
    }
    for (const pid of daemons) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    while ([...daemons].some(isProcessAlive)) await sleep(25);
    for (const dir of [...this.dirs.splice(0), this.lockDir])
      await rm(dir, { recursive: true, force: true });
    this.runtimeDirs.clear();
  }
}
