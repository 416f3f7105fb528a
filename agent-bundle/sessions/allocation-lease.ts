import { randomBytes } from 'node:crypto';
import { lstat, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { AppError } from '../../common/contract/result';
import { ensureLeaseDir } from './lease-dir';
import { leaseCancelled, leaseLost, leaseTimeout } from './lease-errors';
import {
  breakStaleLease,
  createLeaseFile,
  isStale,
  LEASE_FILE_NAME,
  lookLease,
  removeOwnLease,
  type LeaseOwner,
  type SeenLease,
} from './lease-file';

/** How often a holder touches its lock file's mtime, to show it is alive. */
export const LEASE_RENEW_MS = 2_000;
/** A lock not renewed for this long is stale: several missed renewals, not one slow tick. */
export const LEASE_STALE_MS = 15_000;
/** Retry delays while another holds the lease, randomised so waiters do not march in step. */
const RETRY_MIN_MS = 5;
const RETRY_MAX_MS = 40;

/** One call of acquire: when it started, when it gives up, and whether its caller left. */
interface Attempt {
  readonly startedAt: number;
  readonly deadline: number;
  readonly signal: AbortSignal;
}

/** Who this agent is, where its lease lives, and (for tests) its timings. */
export interface AllocationLeaseOptions {
  /** The lease directory; undefined: the host's or the /tmp fallback (see lease-dir.ts). */
  readonly lockDir: string | undefined;
  /** The lease directory host setup makes (`/var/lib/labdeck/locks` under the system root). */
  readonly hostLockDir?: string;
  /** The Unix user this agent runs as, written into the lock for others' messages. */
  readonly user: string;
  readonly uid: number;
  readonly renewMs?: number;
  readonly staleMs?: number;
}

/** One hold of the lease, until {@link LeaseHold.release}. */
export interface LeaseHold {
  readonly leaseId: string;
  /** How long it waited, behind this agent's other waiters and other processes. */
  readonly waitedMs: number;
  /** Removes the lock (only if still ours) and lets the next waiter in; idempotent. */
  release(): Promise<void>;
}

/**
 * The host-wide allocation lease: at most one holder among every process on the host, every
 * user's agent daemon included. Node has no flock, so it is an O_EXCL lock file in a shared
 * directory (see lease-file.ts), renewed by its holder and broken once stale. Within one agent
 * the waiters queue first-in first-out, so its clients take turns instead of racing each other
 * at the file; only the head of the queue polls it.
 */
export class AllocationLease {
  private tail: Promise<void> = Promise.resolve();
  private readonly renewMs: number;
  private readonly staleMs: number;

  constructor(private readonly options: AllocationLeaseOptions) {
    this.renewMs = options.renewMs ?? LEASE_RENEW_MS;
    this.staleMs = options.staleMs ?? LEASE_STALE_MS;
  }

  /**
   * Waits up to `waitMs` for the lease. Rejects with `allocation-lease-timeout` (naming the
   * holder), `allocation-lease-cancelled` when `signal` aborts first (the lock is then never
   * taken), or `allocation-lease-unsafe` for a bad directory. `onLost` runs if another agent
   * broke this hold as stale (it failed to renew, e.g. it was suspended).
   */
  async acquire(
    waitMs: number,
    signal: AbortSignal,
    onLost: (error: AppError) => void,
  ): Promise<LeaseHold> {
    const startedAt = Date.now();
    const attempt: Attempt = { startedAt, deadline: startedAt + waitMs, signal };
    const ahead = this.tail;
    let endTurn!: () => void;
    const turn = new Promise<void>((resolve) => (endTurn = resolve));
    this.tail = ahead.then(() => turn);
    try {
      await this.untilTurn(ahead, attempt);
      const { handle, owner, path } = await this.take(attempt);
      return this.hold(handle, owner, path, startedAt, endTurn, onLost);
    } catch (error) {
      endTurn();
      throw error;
    }
  }

  /** Waits for the in-process waiters ahead to finish, within the deadline and the signal. */
  private async untilTurn(ahead: Promise<void>, attempt: Attempt): Promise<void> {
    const { deadline, signal } = attempt;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const outcome = await Promise.race([
      ahead.then(() => 'turn' as const),
      new Promise<'timeout'>(
        (resolve) => (timer = setTimeout(() => resolve('timeout'), deadline - Date.now())),
      ),
      new Promise<'aborted'>((resolve) => {
        onAbort = () => resolve('aborted');
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
    if (outcome === 'aborted') throw leaseCancelled();
    if (outcome === 'timeout')
      throw leaseTimeout(await this.currentLease(), Date.now() - attempt.startedAt);
  }

  /** Polls the lock file until it is ours, breaking stale locks on the way. */
  private async take(attempt: Attempt) {
    const { deadline, signal } = attempt;
    for (;;) {
      if (signal.aborted) throw leaseCancelled();
      const dir = await ensureLeaseDir(
        this.options.lockDir,
        this.options.uid,
        this.options.hostLockDir,
      );
      const path = join(dir, LEASE_FILE_NAME);
      const owner: LeaseOwner = {
        pid: process.pid,
        host: hostname(),
        leaseId: randomBytes(12).toString('hex'),
        user: this.options.user,
        acquiredAt: Date.now(),
      };
      const handle = await createLeaseFile(path, owner);
      if (signal.aborted) {
        if (handle) await this.remove(path, handle, owner);
        throw leaseCancelled();
      }
      if (handle) return { handle, owner, path };
      const seen = await lookLease(path);
      if (seen === undefined) continue;
      if (await isStale(seen, this.staleMs)) {
        await breakStaleLease(path, seen, this.staleMs);
        continue;
      }
      if (Date.now() >= deadline) throw leaseTimeout(seen, Date.now() - attempt.startedAt);
      await pause(Math.min(randomDelay(), deadline - Date.now()));
    }
  }

  private hold(
    handle: FileHandle,
    owner: LeaseOwner,
    path: string,
    startedAt: number,
    endTurn: () => void,
    onLost: (error: AppError) => void,
  ): LeaseHold {
    let released: Promise<void> | undefined;
    const renew = setInterval(
      () => void this.renew(handle, path, stopRenewing, onLost),
      this.renewMs,
    );
    const stopRenewing = (): void => clearInterval(renew);
    return {
      leaseId: owner.leaseId,
      waitedMs: Date.now() - startedAt,
      release: () => {
        stopRenewing();
        // Never rejects: a lease directory removed meanwhile leaves nothing to release.
        released ??= this.remove(path, handle, owner)
          .catch(() => undefined)
          .finally(endTurn);
        return released;
      },
    };
  }

  /** Touches our inode's mtime; if the path no longer holds that inode, the hold was broken. */
  private async renew(
    handle: FileHandle,
    path: string,
    stop: () => void,
    onLost: (error: AppError) => void,
  ) {
    try {
      const now = new Date();
      await handle.utimes(now, now);
      const [mine, there] = [await handle.stat(), await lstat(path).catch(() => undefined)];
      if (there?.ino === mine.ino) return;
    } catch {
      return; // the handle was closed by a release racing this tick
    }
    stop();
    onLost(leaseLost(path, this.staleMs).toAppError());
  }

  /** Removes our lock (retrying while a breaker holds its marker) and closes the handle. */
  private async remove(path: string, handle: FileHandle, owner: LeaseOwner): Promise<void> {
    try {
      const info = await handle.stat();
      const mine: SeenLease = { ino: info.ino, mtimeMs: info.mtimeMs, owner };
      while (!(await removeOwnLease(path, mine))) await pause(randomDelay());
    } finally {
      await handle.close();
    }
  }

  private async currentLease(): Promise<SeenLease | undefined> {
    const dir = await ensureLeaseDir(
      this.options.lockDir,
      this.options.uid,
      this.options.hostLockDir,
    );
    return lookLease(join(dir, LEASE_FILE_NAME));
  }
}

function randomDelay(): number {
  return RETRY_MIN_MS + Math.random() * (RETRY_MAX_MS - RETRY_MIN_MS);
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
