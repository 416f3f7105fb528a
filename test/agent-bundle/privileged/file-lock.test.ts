import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  processAlive,
  startTimeOf,
  withFileLock,
} from '../../../agent-bundle/privileged/file-lock';

/** A process that has exited: its pid is free (pids are not reused within the test). */
async function deadPid(): Promise<number> {
  const child = spawn('true');
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid ?? 0;
}

describe('withFileLock', () => {
  let dir: string;
  let lockPath: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'labdeck-lock-'));
    lockPath = join(dir, 'folders.json.lock');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('breaks at once a lock whose holder is dead, however fresh', async () => {
    await writeFile(lockPath, `${await deadPid()} 1 deadbeef\n`);
    const started = Date.now();
    expect(await withFileLock(lockPath, async () => 'held', 2_000)).toBe('held');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await readdir(dir)).toEqual([]);
  });

  it('never breaks a live holder’s lock, however old', async () => {
    const holder = spawn('sleep', ['30']);
    try {
      const stat = await readFile(`/proc/${holder.pid}/stat`, 'utf8');
      const started = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
      await writeFile(lockPath, `${holder.pid} ${started} cafe\n`);
      const hourAgo = new Date(Date.now() - 3_600_000);
      await utimes(lockPath, hourAgo, hourAgo);
      await expect(withFileLock(lockPath, async () => 'stolen', 300)).rejects.toMatchObject({
        code: 'privileged-busy',
      });
      expect(await readFile(lockPath, 'utf8')).toBe(`${holder.pid} ${started} cafe\n`);
    } finally {
      holder.kill();
    }
  });

  it('a pid reused by another process does not keep a dead holder’s lock', async () => {
    // Our own pid, but written with a start time that is not ours: the holder was another process.
    await writeFile(lockPath, `${process.pid} 1 feed\n`);
    expect(await withFileLock(lockPath, async () => 'held', 2_000)).toBe('held');
  });

  it('ten waiters on a stale lock: one holder at a time', async () => {
    await writeFile(lockPath, `${await deadPid()} 1 deadbeef\n`);
    let holding = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        withFileLock(
          lockPath,
          async () => {
            holding += 1;
            most = Math.max(most, holding);
            await sleep(15);
            holding -= 1;
          },
          10_000,
        ),
      ),
    );
    expect(most).toBe(1);
    expect(await readdir(dir)).toEqual([]);
  });

  it('on release it leaves a lock that is no longer its own', async () => {
    await withFileLock(lockPath, async () => {
      // Someone broke ours and holds it now: their lock must survive our release.
      await writeFile(lockPath, `1 1 someone-else\n`);
    });
    expect(await readFile(lockPath, 'utf8')).toBe('1 1 someone-else\n');
  });
});

describe('processAlive', () => {
  it('tells a running process from a gone one, or from another that got its pid later', async () => {
    const started = await startTimeOf(process.pid);
    expect(await processAlive(String(process.pid), started)).toBe(true);
    expect(await processAlive(String(process.pid), `${started}1`)).toBe(false);
    const child = spawn('true');
    await new Promise((resolve) => child.once('close', resolve));
    expect(await processAlive(String(child.pid), '1')).toBe(false);
    // What it cannot read counts as running: nothing live is ever taken for gone.
    expect(await processAlive('x12', undefined)).toBe(true);
  });
});
