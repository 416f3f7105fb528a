import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConfinedFolder } from '../../../agent-bundle/privileged/confined-folder';
import { ownerTree, runAsOwner } from '../../../agent-bundle/privileged/owner-tree';

/** Swaps `dir/sub` for a symlink to `outside` and back, as fast as it can, until killed. */
const SWAPPER = `
const fs = require('node:fs');
const [dir, outside] = process.argv.slice(1);
for (;;) {
  fs.renameSync(dir + '/sub', dir + '/sub.real');
  fs.symlinkSync(outside, dir + '/sub');
  fs.unlinkSync(dir + '/sub');
  fs.renameSync(dir + '/sub.real', dir + '/sub');
}`;

describe('ownerTree', () => {
  let scratch: string;
  let folder: ConfinedFolder;
  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'labdeck-tree-'));
    const path = join(scratch, 'folder');
    await mkdir(join(path, 'sub'), { recursive: true });
    const uid = process.getuid?.() ?? 0;
    const gid = process.getgid?.() ?? 0;
    const volume = { name: 'xfs', path: scratch, kind: 'xfs' } as const;
    folder = { volume, volumePath: scratch, path, ownerUid: uid, ownerGid: gid };
  });
  afterEach(() => rm(scratch, { recursive: true, force: true }));

  it('lists the owner’s directories and files', async () => {
    await writeFile(join(folder.path, 'sub/a.txt'), 'a');
    const tree = await ownerTree(folder);
    expect([...tree.dirs].sort()).toEqual([folder.path, join(folder.path, 'sub')]);
    expect(tree.files).toEqual([join(folder.path, 'sub/a.txt')]);
  });

  it('refuses a tree with more entries than its bound', async () => {
    for (let n = 0; n < 30; n += 1) await writeFile(join(folder.path, `f${n}`), '');
    await expect(ownerTree(folder, 10)).rejects.toMatchObject({
      code: 'folder-too-many-entries',
      message: expect.stringContaining('more than 10'),
    });
    expect((await ownerTree(folder, 100)).files).toHaveLength(30);
  });

  it('never lists what a directory swapped for a symlink mid-walk leads to', async () => {
    const outside = join(scratch, 'outside');
    await mkdir(outside);
    await writeFile(join(outside, 'secret'), 'root only');
    const swapper = spawn(process.execPath, ['-e', SWAPPER, folder.path, outside]);
    const leaked: string[] = [];
    try {
      for (const stop = Date.now() + 2_000; Date.now() < stop;) {
        const tree = await ownerTree(folder).catch(() => undefined);
        leaked.push(...(tree?.files.filter((file) => file.endsWith('/secret')) ?? []));
      }
    } finally {
      swapper.kill();
    }
    expect(leaked).toEqual([]);
  });
});

describe('runAsOwner', () => {
  it('refuses to run a tool over a tree owned by root', async () => {
    const volume = { name: 'xfs', path: '/srv', kind: 'xfs' } as const;
    const rooted = { volume, volumePath: '/srv', path: '/srv/x', ownerUid: 0, ownerGid: 0 };
    await expect(
      runAsOwner(rooted, 'setfacl', ['-m', 'u:1:r'], ['/etc/hosts']),
    ).rejects.toMatchObject({ code: 'privileged-owner-root' });
  });
});
