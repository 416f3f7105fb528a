import { chmod, lstat, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AllocationLease } from '../../../agent-bundle/sessions/allocation-lease';
import { ensureLeaseDir } from '../../../agent-bundle/sessions/lease-dir';
import { tempHome } from '../../support/temp-home';

const uid = process.getuid?.() ?? 0;

function acquireIn(lockDir: string) {
  return new AllocationLease({ lockDir, user: 'tester', uid }).acquire(
    1_000,
    new AbortController().signal,
    () => undefined,
  );
}

describe('the allocation lease directory', () => {
  it('is created writable by everyone and not sticky, whatever the umask', async () => {
    const dir = join(await tempHome(), 'locks');
    const umask = process.umask(0o077);
    try {
      expect(await ensureLeaseDir(dir, uid)).toBe(dir);
    } finally {
      process.umask(umask);
    }
    expect((await lstat(dir)).mode & 0o7777).toBe(0o777);
  });

  it('is refused when it is a symlink, naming the path', async () => {
    const home = await tempHome();
    await mkdir(join(home, 'real'));
    const link = join(home, 'locks');
    await symlink(join(home, 'real'), link);
    await expect(acquireIn(link)).rejects.toMatchObject({
      code: 'allocation-lease-unsafe',
      message: expect.stringContaining(`${link} is a symlink`),
      hint: expect.stringContaining(`rm '${link}'`),
    });
  });

  it('is refused when it is a file', async () => {
    const path = join(await tempHome(), 'locks');
    await writeFile(path, '');
    await expect(acquireIn(path)).rejects.toMatchObject({
      code: 'allocation-lease-unsafe',
      message: expect.stringContaining(`${path} is not a directory`),
    });
  });

  it('is refused with the sticky bit, under which no one could break another user’s stale lock', async () => {
    const dir = join(await tempHome(), 'locks');
    await mkdir(dir);
    await chmod(dir, 0o1777);
    await expect(acquireIn(dir)).rejects.toMatchObject({
      code: 'allocation-lease-unsafe',
      message: expect.stringContaining('sticky bit'),
      hint: expect.stringContaining(`chmod 0777 '${dir}'`),
    });
  });
});
