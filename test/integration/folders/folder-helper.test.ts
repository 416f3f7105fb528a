import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { folderStoreSchema, type FolderStore } from '../../../common/folders/folder-store';
import { QUOTA_NOT_ENFORCED_XFS } from '../../../common/folders/folder-view';
import type { PrivilegedHelper } from '../../../agent-bundle/privileged/privileged-client';
import { describeWithParts, type TestUser } from '../../harness';
import { runAs } from '../host-setup/privileged-fixture';
import { FOLDER_HOST_PARTS, makeFolderHost, refusalOf, type FolderHost } from './folder-fixture';

const run = promisify(execFile);

/** This file's own sudo group (the setup tests create and remove the real `labdeck` group). */
const GROUP = 'labdeck-test-fold';

describeWithParts([...FOLDER_HOST_PARTS], 'folders through the privileged helper', () => {
  let host: FolderHost;
  let alice: TestUser;
  let bob: TestUser;
  let asAlice: PrivilegedHelper;
  let asBob: PrivilegedHelper;

  const store = async (): Promise<FolderStore> =>
    folderStoreSchema.parse(JSON.parse(await readFile(host.installed.paths.foldersFile, 'utf8')));
  const lines = async (path: string): Promise<string[]> =>
    (await readFile(path, 'utf8')).split('\n').filter((line) => line !== '');
  const lsproj = async (path: string): Promise<string> =>
    (await run('xfs_io', ['-r', '-c', 'lsproj', '--', path])).stdout.trim();

  beforeAll(async () => {
    host = await makeFolderHost({ group: GROUP, users: ['fold-alice', 'fold-bob'] });
    [alice, bob] = host.users as [TestUser, TestUser];
    asAlice = await host.connect(alice);
    asBob = await host.connect(bob);
  });

  afterAll(async () => {
    await host?.remove();
  });

  it('alice creates a folder on XFS: hers alone, its project on the directory and in both files, its limit honestly not enforced', async () => {
    const created = await asAlice.call('privileged.folder.create', {
      volume: 'xfs',
      name: 'datasets',
      quotaBytes: 1024 ** 3,
    });
    const { folder, path, quota } = created;
    expect(folder).toMatchObject({
      name: 'datasets',
      volume: 'xfs',
      ownerUid: alice.uid,
      owner: alice.username,
      group: null,
      quotaBytes: 1024 ** 3,
      state: 'ready',
      projectId: expect.any(Number),
    });
    expect(quota).toEqual({ enforced: false, reason: QUOTA_NOT_ENFORCED_XFS });
    expect(path).toBe(`${host.volume('xfs').path}/labdeck-folders/${folder.id}`);
    const info = await stat(path);
    expect([info.uid, info.mode & 0o7777]).toEqual([alice.uid, 0o700]);
    const top = await stat(`${host.volume('xfs').path}/labdeck-folders`);
    expect([top.uid, top.mode & 0o7777]).toEqual([0, 0o711]);
    expect(await lsproj(path)).toBe(`projid = ${folder.projectId}`);
    const { paths } = host.installed;
    expect(await lines(paths.projid)).toContain(
      `labdeck-xfs-${folder.projectId}:${folder.projectId}`,
    );
    expect(await lines(paths.projects)).toContain(`${folder.projectId}:${path}`);
    expect((await store()).folders).toEqual([folder]);
    expect((await stat(paths.foldersFile)).mode & 0o777).toBe(0o644);
    // Alice writes into it; bob cannot even look.
    expect((await runAs(alice.username, ['touch', `${path}/a.txt`])).code).toBe(0);
    expect(await lsproj(`${path}/a.txt`)).toBe(`projid = ${folder.projectId}`);
    const peek = await runAs(bob.username, ['ls', path]);
    expect(peek.stderr).toMatch(/Permission denied/);
    expect(await refusalOf(asBob, 'privileged.folder.trash', { id: folder.id })).toMatchObject({
      code: 'folder-not-owner',
    });
  });
});
