import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  acquireDaemonLock,
  DAEMON_START_GRACE_MS,
} from '../../../agent-bundle/runtime/daemon-lock';
import { tempHome } from '../../support/temp-home';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** A live process that is not us, to stand in for a running daemon. */
function otherLiveProcess(): number {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  children.push(child);
  return child.pid!;
}

/** A pid that certainly belongs to no process (above Linux's pid_max). */
const DEAD_PID = 4_194_400;
const nobodyListens = async (): Promise<boolean> => false;
const someoneListens = async (): Promise<boolean> => true;

describe('acquireDaemonLock', () => {
  it('takes a free lock, writes our pid, and removes it on release', async () => {
    const lockPath = join(await tempHome(), 'agent.pid');
    const lock = await acquireDaemonLock(lockPath, nobodyListens);
    expect(lock.acquired).toBe(true);
    expect(await readFile(lockPath, 'utf8')).toBe(`${process.pid}\n`);
    if (lock.acquired) await lock.release();
    await expect(readFile(lockPath)).rejects.toThrow();
  });

  it('leaves a lock held by a live daemon that serves', async () => {
    const lockPath = join(await tempHome(), 'agent.pid');
    const holder = otherLiveProcess();
    await writeFile(lockPath, `${holder}\n`);
    expect(await acquireDaemonLock(lockPath, someoneListens)).toEqual({
      acquired: false,
      holderPid: holder,
    });
    expect(await readFile(lockPath, 'utf8')).toBe(`${holder}\n`);
  });

  it('replaces a lock whose process is gone', async () => {
    const lockPath = join(await tempHome(), 'agent.pid');
    await writeFile(lockPath, `${DEAD_PID}\n`);
    const lock = await acquireDaemonLock(lockPath, someoneListens);
    expect(lock.acquired).toBe(true);
    expect(await readFile(lockPath, 'utf8')).toBe(`${process.pid}\n`);
  });

  it('replaces an old lock of a live but silent process (a reused pid)', async () => {
    const lockPath = join(await tempHome(), 'agent.pid');
    await writeFile(lockPath, `${otherLiveProcess()}\n`);
    const old = (Date.now() - DAEMON_START_GRACE_MS * 2) / 1000;
    await utimes(lockPath, old, old);
    expect((await acquireDaemonLock(lockPath, nobodyListens)).acquired).toBe(true);
  });

  it('waits for a starting daemon and yields once it serves', async () => {
    const lockPath = join(await tempHome(), 'agent.pid');
    const holder = otherLiveProcess();
    await writeFile(lockPath, `${holder}\n`);
    let probes = 0;
    const servesOnThirdLook = async (): Promise<boolean> => (probes += 1) >= 3;
    expect(await acquireDaemonLock(lockPath, servesOnThirdLook)).toEqual({
      acquired: false,
      holderPid: holder,
    });
    expect(probes).toBe(3);
  });

  it('release leaves a lock that another daemon has taken over', async () => {
    const lockPath = join(await tempHome(), 'agent.pid');
    const lock = await acquireDaemonLock(lockPath, nobodyListens);
    await writeFile(lockPath, '12345\n');
    if (lock.acquired) await lock.release();
    expect(await readFile(lockPath, 'utf8')).toBe('12345\n');
  });
});
