import { spawnSync } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withFileLock } from '../../../main/fs/file-lock';
import { tempHome } from '../../support/temp-home';

/** The pid of a process that has already exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid;

describe('withFileLock', () => {
  it('takes over a dead process’s lock even while a dead breaker’s break file is left', async () => {
    const home = await tempHome();
    const lockPath = join(home, 'settings.json.lock');
    const dead = JSON.stringify({ pid: deadPid(), host: hostname(), token: 'aa' });
    await writeFile(lockPath, dead);
    await writeFile(`${lockPath}.break`, dead);
    const started = Date.now();
    expect(await withFileLock(lockPath, async () => readFile(lockPath, 'utf8'))).toContain(
      `"pid":${process.pid}`,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await readdir(home)).toEqual([]);
  });

  it('on release leaves alone a lock someone else took over while we held ours', async () => {
    const home = await tempHome();
    const lockPath = join(home, 'secrets.json.lock');
    const theirs = JSON.stringify({ pid: process.pid, host: hostname(), token: 'theirs' });
    await withFileLock(lockPath, async () => {
      await rm(lockPath); // as a breaker does once we have held past LOCK_STALE_MS
      await writeFile(lockPath, theirs);
    });
    expect(await readFile(lockPath, 'utf8')).toBe(theirs);
    expect(await readdir(home)).toEqual(['secrets.json.lock']);
  });
});
