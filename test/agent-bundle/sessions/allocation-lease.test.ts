import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppError } from '../../../common/contract/result';
import {
  AllocationLease,
  LEASE_STALE_MS,
  type LeaseHold,
} from '../../../agent-bundle/sessions/allocation-lease';
import { LEASE_FILE_NAME } from '../../../agent-bundle/sessions/lease-file';
import { tempHome } from '../../support/temp-home';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** A signal of its own per call, as each subscription has. */
const never = (): AbortSignal => new AbortController().signal;
const ignoreLost = (): void => undefined;

function lease(
  lockDir: string,
  user = 'tester',
  extra: { renewMs?: number } = {},
): AllocationLease {
  return new AllocationLease({ lockDir, user, uid: process.getuid?.() ?? 0, ...extra });
}

/** A live process that is not us, standing in for another user's agent. */
function liveProcess(): number {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  children.push(child);
  return child.pid!;
}

/** The pid of a process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid!;
}

async function writeForeignLock(
  dir: string,
  owner: Record<string, unknown>,
  ageMs = 0,
): Promise<string> {
  const path = join(dir, LEASE_FILE_NAME);
  await writeFile(path, JSON.stringify({ host: hostname(), leaseId: 'foreign-lease', ...owner }));
  const then = new Date(Date.now() - ageMs);
  await utimes(path, then, then);
  return path;
}

async function lockContent(dir: string): Promise<{ leaseId: string; pid: number; user: string }> {
  return JSON.parse(await readFile(join(dir, LEASE_FILE_NAME), 'utf8'));
}

describe('AllocationLease', () => {
  it('lets one holder in at a time among several agents racing for it', async () => {
    const dir = await tempHome();
    const agents = [lease(dir), lease(dir), lease(dir)];
    let inside = 0;
    let maxInside = 0;
    let done = 0;
    const holdOnce = async (agent: AllocationLease): Promise<void> => {
      const hold = await agent.acquire(20_000, never(), ignoreLost);
      inside += 1;
      maxInside = Math.max(maxInside, inside);
      expect((await lockContent(dir)).leaseId).toBe(hold.leaseId);
      await sleep(2 + Math.random() * 8);
      inside -= 1;
      done += 1;
      await hold.release();
    };
    await Promise.all(agents.flatMap((agent) => Array.from({ length: 8 }, () => holdOnce(agent))));
    expect(done).toBe(24);
    expect(maxInside).toBe(1);
    await expect(readFile(join(dir, LEASE_FILE_NAME))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('serves the waiters of one agent first in, first out', async () => {
    const dir = await tempHome();
    const agent = lease(dir);
    const first = await agent.acquire(5_000, never(), ignoreLost);
    const order: number[] = [];
    const waiters = [1, 2, 3, 4, 5].map(async (n) => {
      await sleep(n * 5);
      const hold = await agent.acquire(5_000, never(), ignoreLost);
      order.push(n);
      await hold.release();
    });
    await sleep(80);
    await first.release();
    await Promise.all(waiters);
    expect(order).toEqual([1, 2, 3, 4, 5]);
  });

  it('breaks the lock of an agent whose process has died, without waiting for it to go stale', async () => {
    const dir = await tempHome();
    await writeForeignLock(dir, { pid: await deadPid(), user: 'alice', acquiredAt: Date.now() });
    const started = Date.now();
    const hold = await lease(dir).acquire(5_000, never(), ignoreLost);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await lockContent(dir)).toMatchObject({ leaseId: hold.leaseId, pid: process.pid });
    await hold.release();
  });

  it('breaks a lock not renewed for longer than the stale time, though its pid is alive', async () => {
    const dir = await tempHome();
    const owner = { pid: liveProcess(), user: 'alice', acquiredAt: Date.now() - 60_000 };
    await writeForeignLock(dir, owner, LEASE_STALE_MS + 1_000);
    const hold = await lease(dir).acquire(2_000, never(), ignoreLost);
    expect((await lockContent(dir)).leaseId).toBe(hold.leaseId);
    await hold.release();
  });

  it('gives up after waitMs, naming who holds the lease and for how long', async () => {
    const dir = await tempHome();
    const pid = liveProcess();
    await writeForeignLock(dir, { pid, user: 'alice', acquiredAt: Date.now() - 7_000 });
    const started = Date.now();
    const refused = lease(dir).acquire(300, never(), ignoreLost);
    await expect(refused).rejects.toMatchObject({
      code: 'allocation-lease-timeout',
      message: expect.stringContaining(`alice (pid ${pid} on ${hostname()}) has held it for 7 s`),
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect((await lockContent(dir)).leaseId).toBe('foreign-lease');
  });

  it('times out in the queue behind a holder of the same agent, naming that holder', async () => {
    const dir = await tempHome();
    const agent = lease(dir, 'bob');
    const held = await agent.acquire(1_000, never(), ignoreLost);
    await expect(agent.acquire(100, never(), ignoreLost)).rejects.toMatchObject({
      code: 'allocation-lease-timeout',
      message: expect.stringContaining(`bob (pid ${process.pid}`),
    });
    await held.release();
  });

  it('never removes another holder’s lock on release, and reports the hold as lost', async () => {
    const dir = await tempHome();
    const lost: AppError[] = [];
    const hold = await lease(dir, 'tester', { renewMs: 20 }).acquire(1_000, never(), (error) =>
      lost.push(error),
    );
    // As if another agent judged this hold stale, broke it and took the lease.
    await rm(join(dir, LEASE_FILE_NAME));
    await writeForeignLock(dir, { pid: liveProcess(), user: 'alice', acquiredAt: Date.now() });
    await sleep(100);
    expect(lost).toMatchObject([{ code: 'allocation-lease-lost' }]);
    await hold.release();
    expect(await lockContent(dir)).toMatchObject({ leaseId: 'foreign-lease', user: 'alice' });
  });

  it('stops waiting when its caller leaves and never takes the lock afterwards', async () => {
    const dir = await tempHome();
    const agent = lease(dir);
    const first = await agent.acquire(5_000, never(), ignoreLost);
    const leaving = new AbortController();
    const cancelled = agent.acquire(5_000, leaving.signal, ignoreLost);
    const next = agent.acquire(5_000, never(), ignoreLost);
    setTimeout(() => leaving.abort(), 30);
    await expect(cancelled).rejects.toMatchObject({ code: 'allocation-lease-cancelled' });
    await first.release();
    const third: LeaseHold = await next;
    expect((await lockContent(dir)).leaseId).toBe(third.leaseId);
    await third.release();
  });

  it('neither hangs on nor trusts a FIFO planted as the lock, and breaks it once stale', async () => {
    const dir = await tempHome();
    const path = join(dir, LEASE_FILE_NAME);
    await promisify(execFile)('mkfifo', ['-m', '0666', path]);
    await expect(lease(dir).acquire(100, never(), ignoreLost)).rejects.toMatchObject({
      code: 'allocation-lease-timeout',
    });
    const then = new Date(Date.now() - LEASE_STALE_MS - 1_000);
    await utimes(path, then, then);
    const hold = await lease(dir).acquire(1_000, never(), ignoreLost);
    expect((await lockContent(dir)).leaseId).toBe(hold.leaseId);
    await hold.release();
  });
});
