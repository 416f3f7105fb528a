import { execFile, spawn } from 'node:child_process';
import { chmod, chown, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MethodResult } from '../../../common/agent/agent-contract';
import type { PrivilegedHelperContract } from '../../../common/agent/privileged-helper-contract';
import {
  folderStoreSchema,
  visibleFolders,
  type FolderStore,
} from '../../../common/folders/folder-store';
import {
  QUOTA_NOT_ENFORCED_PLAIN,
  QUOTA_NOT_ENFORCED_XFS,
} from '../../../common/folders/folder-view';
import type { PrivilegedHelper } from '../../../agent-bundle/privileged/privileged-client';
import { describeWithParts, type TestUser } from '../../harness';
import { runAs } from '../host-setup/privileged-fixture';
import { FOLDER_HOST_PARTS, makeFolderHost, refusalOf, type FolderHost } from './folder-fixture';

const run = promisify(execFile);

/**
 * Runs the installed helper as `user` through the real sudo rule (setpriv, so sudo is the helper's
 * parent and nothing else sits between): says hello, sends `requests` and closes stdin at once;
 * `afterSent` runs with sudo's pid while the calls are in flight. Resolves with its exit status.
 */
async function rawHelper(
  host: FolderHost,
  user: TestUser,
  requests: readonly { method: string; params: unknown }[],
  afterSent: (sudoPid: number) => void = () => undefined,
): Promise<{ readonly code: number | null }> {
  const { node, helper } = host.installed.record;
  const argv = [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', '--'];
  const child = spawn('setpriv', [...argv, '/usr/bin/sudo', '-n', node, helper, '--privileged'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  const hello = new Promise<void>((resolve) =>
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('"hello"')) resolve();
    }),
  );
  const ended = new Promise<number | null>((resolve) => child.once('close', resolve));
  child.stdin.write(`${JSON.stringify({ t: 'hello', protocol: 1, client: 'labdeck-agent' })}\n`);
  await hello;
  for (const [at, { method, params }] of requests.entries())
    child.stdin.write(`${JSON.stringify({ t: 'req', id: at + 1, method, params })}\n`);
  child.stdin.end();
  afterSent(child.pid ?? 0);
  const code = await ended;
  return { code };
}

/** This file's own sudo group (the setup tests create and remove the real `labdeck` group). */
const GROUP = 'labdeck-test-fold';
/** A Unix group for group folders: alice and bob are in it, carol is not. */
const TEAM = 'labdeck-test-foldteam';
/** What the admin had in the project files before LabDeck: kept, line for line. */
const ADMIN_PROJID = "# the admin's own\nbackup:42\n";
const ADMIN_PROJECTS = '42:/srv/backup\n';

type Outcome = MethodResult<PrivilegedHelperContract, 'privileged.folder.create'>;

describeWithParts([...FOLDER_HOST_PARTS], 'folders through the privileged helper', () => {
  let host: FolderHost;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let dave: TestUser;
  let asAlice: PrivilegedHelper;
  let asBob: PrivilegedHelper;
  let asCarol: PrivilegedHelper;

  const store = async (): Promise<FolderStore> =>
    folderStoreSchema.parse(JSON.parse(await readFile(host.installed.paths.foldersFile, 'utf8')));
  const lines = async (path: string): Promise<string[]> =>
    (await readFile(path, 'utf8')).split('\n').filter((line) => line !== '');
  const projectFiles = async () => ({
    projid: await readFile(host.installed.paths.projid, 'utf8'),
    projects: await readFile(host.installed.paths.projects, 'utf8'),
  });
  const lsproj = async (path: string): Promise<string> =>
    (await run('xfs_io', ['-r', '-c', 'lsproj', '--', path])).stdout.trim();
  const create = (helper: PrivilegedHelper, name: string, more: object = {}): Promise<Outcome> =>
    helper.call('privileged.folder.create', { volume: 'xfs', name, ...more });
  /** Writes `text` to `path` as `user`, through the filesystem (sh's redirection, argv only). */
  const writeAs = (user: TestUser, path: string, text: string) =>
    runAs(user.username, ['sh', '-c', 'printf %s "$1" > "$2"', 'sh', text, path]);

  beforeAll(async () => {
    host = await makeFolderHost({
      group: GROUP,
      users: ['fold-alice', 'fold-bob', 'fold-carol', 'fold-dave'],
    });
    [alice, bob, carol, dave] = host.users as [TestUser, TestUser, TestUser, TestUser];
    await run('groupadd', ['-f', TEAM]);
    for (const user of [alice, bob]) await run('usermod', ['-aG', TEAM, user.username]);
    await writeFile(host.installed.paths.projid, ADMIN_PROJID, { mode: 0o644 });
    await writeFile(host.installed.paths.projects, ADMIN_PROJECTS, { mode: 0o644 });
    asAlice = await host.connect(alice);
    asBob = await host.connect(bob);
    asCarol = await host.connect(carol);
  });

  afterAll(async () => {
    await host?.remove();
    await run('groupdel', [TEAM]).catch(() => {});
  });

  it('alice creates a folder on XFS: hers alone, its project on the directory and in both files, its limit honestly not enforced', async () => {
    const { folder, path, quota } = await create(asAlice, 'datasets', { quotaBytes: 1024 ** 3 });
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
    const id = folder.projectId;
    expect(await lines(paths.projid)).toEqual([
      ...ADMIN_PROJID.trim().split('\n'),
      `labdeck-xfs-${id}:${id}`,
    ]);
    expect(await lines(paths.projects)).toEqual([ADMIN_PROJECTS.trim(), `${id}:${path}`]);
    expect((await store()).folders).toEqual([folder]);
    expect((await stat(paths.foldersFile)).mode & 0o777).toBe(0o644);
    // Alice writes into it and her file gets the project; bob cannot even look.
    expect((await writeAs(alice, `${path}/a.txt`, 'hi')).code).toBe(0);
    expect(await lsproj(`${path}/a.txt`)).toBe(`projid = ${id}`);
    expect((await runAs(bob.username, ['ls', path])).stderr).toMatch(/Permission denied/);
    expect(await refusalOf(asBob, 'privileged.folder.trash', { id: folder.id })).toMatchObject({
      code: 'folder-not-owner',
    });
  });

  it('a volume declared xfs-prjquota on a kernel or mount without project quota: the folder is made, its limit reported not enforced', async () => {
    const { folder, path, quota } = await asAlice.call('privileged.folder.create', {
      volume: 'quota',
      name: 'limited',
      quotaBytes: 5 * 1024 ** 2,
    });
    expect(quota).toEqual({ enforced: false, reason: QUOTA_NOT_ENFORCED_XFS });
    expect(await lsproj(path)).toBe(`projid = ${folder.projectId}`);
    const notEnforced = { enforced: false, reason: QUOTA_NOT_ENFORCED_XFS, projects: [] };
    expect(await asAlice.call('privileged.quota.report', { volume: 'quota' })).toEqual(notEnforced);
    expect(await asBob.call('privileged.quota.report', { volume: 'xfs' })).toEqual(notEnforced);
    expect(await asBob.call('privileged.quota.report', { volume: 'plain' })).toEqual({
      enforced: false,
      reason: QUOTA_NOT_ENFORCED_PLAIN,
      projects: [],
    });
    const updated = await asAlice.call('privileged.folder.update', {
      id: folder.id,
      quotaBytes: 10 * 1024 ** 2,
    });
    expect(updated.folder.quotaBytes).toBe(10 * 1024 ** 2);
    expect(updated.quota).toEqual({ enforced: false, reason: QUOTA_NOT_ENFORCED_XFS });
  });

  it('a folder on a plain volume has no project and says its limit is not enforced', async () => {
    const { folder, path, quota } = await asBob.call('privileged.folder.create', {
      volume: 'plain',
      name: 'notes',
      quotaBytes: 1024,
    });
    expect(folder.projectId).toBeNull();
    expect(quota).toEqual({ enforced: false, reason: QUOTA_NOT_ENFORCED_PLAIN });
    expect((await stat(path)).uid).toBe(bob.uid);
    expect(await readFile(host.installed.paths.projects, 'utf8')).not.toContain(path);
  });

  it('20 folders created at once by four users over five helpers: 20 distinct project ids, both files intact with exactly 20 more lines', async () => {
    const before = await projectFiles();
    const users = [alice, alice, bob, carol, dave];
    const opened = await Promise.all(users.map((user) => host.connect(user)));
    const helpers = opened.map((helper, at) => ({ user: users[at] as TestUser, helper }));
    const calls = helpers.flatMap(({ user, helper }, at) =>
      [0, 1, 2, 3].map((n) => ({ user, promise: create(helper, `burst-${at}-${n}`) })),
    );
    const made = await Promise.all(calls.map((call) => call.promise));
    const ids = made.map((outcome) => outcome.folder.projectId);
    expect(new Set(ids).size).toBe(20);
    const after = await projectFiles();
    const beforeProjid = before.projid.split('\n').filter(Boolean);
    const beforeProjects = before.projects.split('\n').filter(Boolean);
    const projid = after.projid.split('\n').filter(Boolean);
    const projects = after.projects.split('\n').filter(Boolean);
    expect(projid.slice(0, beforeProjid.length)).toEqual(beforeProjid);
    expect(projects.slice(0, beforeProjects.length)).toEqual(beforeProjects);
    expect(projid.slice(beforeProjid.length).sort()).toEqual(
      ids.map((id) => `labdeck-xfs-${id}:${id}`).sort(),
    );
    expect(projects.slice(beforeProjects.length).sort()).toEqual(
      made.map((outcome) => `${outcome.folder.projectId}:${outcome.path}`).sort(),
    );
    const recorded = await store();
    for (const [at, outcome] of made.entries()) {
      expect(recorded.folders).toContainEqual(outcome.folder);
      expect(outcome.folder.ownerUid).toBe(calls[at]?.user.uid);
      expect(await lsproj(outcome.path)).toBe(`projid = ${outcome.folder.projectId}`);
    }
    const recordedIds = recorded.folders.flatMap((folder) => folder.projectId ?? []);
    expect(new Set(recordedIds).size).toBe(recordedIds.length);
  });

  it('alice shares a folder read-only with bob: after accepting he can read but not write it, through the filesystem; after leaving he cannot read it', async () => {
    const { folder, path } = await create(asAlice, 'paper');
    expect((await writeAs(alice, `${path}/draft.txt`, 'v1')).code).toBe(0);
    const { invitation } = await asAlice.call('privileged.folder.invite', {
      id: folder.id,
      user: bob.username,
      permission: 'ro',
    });
    expect(invitation).toMatchObject({
      folderId: folder.id,
      owner: alice.username,
      invitee: bob.username,
      inviteeUid: bob.uid,
      permission: 'ro',
      state: 'pending',
      alias: null,
    });
    // Before accepting, bob cannot read it.
    expect((await runAs(bob.username, ['cat', `${path}/draft.txt`])).code).not.toBe(0);
    expect(await refusalOf(asBob, 'privileged.folder.cancel', { id: invitation.id })).toMatchObject(
      { code: 'invitation-not-owner', hint: 'To say no, reject it.' },
    );
    expect(
      await refusalOf(asAlice, 'privileged.folder.respond', { id: invitation.id, accept: true }),
    ).toMatchObject({
      code: 'invitation-not-yours',
      message: expect.stringContaining(`only they may accept it; you are ${alice.username}`),
    });
    expect(
      await refusalOf(asAlice, 'privileged.folder.invite', {
        id: folder.id,
        user: bob.username,
        permission: 'rw',
      }),
    ).toMatchObject({ code: 'invitation-exists' });
    const accepted = await asBob.call('privileged.folder.respond', {
      id: invitation.id,
      accept: true,
    });
    expect(accepted.invitation).toMatchObject({ state: 'accepted', alias: null });
    const read = await runAs(bob.username, ['cat', `${path}/draft.txt`]);
    expect(read).toMatchObject({ code: 0, stdout: 'v1' });
    const overwrite = await writeAs(bob, `${path}/draft.txt`, 'bob was here');
    expect(overwrite.stderr).toMatch(/Permission denied/);
    const add = await runAs(bob.username, ['touch', `${path}/new.txt`]);
    expect(add.stderr).toMatch(/Permission denied/);
    // Files alice makes later are readable by bob too (the default ACL).
    expect((await writeAs(alice, `${path}/later.txt`, 'v2')).code).toBe(0);
    expect((await runAs(bob.username, ['cat', `${path}/later.txt`])).stdout).toBe('v2');
    expect(await refusalOf(asAlice, 'privileged.folder.leave', { id: folder.id })).toMatchObject({
      code: 'folder-owner-cannot-leave',
    });
    expect(await refusalOf(asCarol, 'privileged.folder.leave', { id: folder.id })).toMatchObject({
      code: 'folder-not-shared-with-you',
    });
    expect(await asBob.call('privileged.folder.leave', { id: folder.id })).toEqual({
      id: folder.id,
    });
    const after = await runAs(bob.username, ['cat', `${path}/draft.txt`]);
    expect(after.stderr).toMatch(/Permission denied/);
    expect((await runAs(alice.username, ['cat', `${path}/draft.txt`])).stdout).toBe('v1');
    const recorded = await store();
    expect(recorded.invitations.find((known) => known.id === invitation.id)).toBeUndefined();
    expect(recorded.folders.find((known) => known.id === folder.id)).toEqual(folder);
  });

  it("alice takes back bob's accepted grant: he can no longer read it through the filesystem, carol's grant and the files stay, and bob cannot cancel it himself", async () => {
    const { folder, path } = await create(asAlice, 'shared-data');
    expect((await writeAs(alice, `${path}/table.csv`, 'a,b')).code).toBe(0);
    const invite = (user: TestUser) =>
      asAlice.call('privileged.folder.invite', {
        id: folder.id,
        user: user.username,
        permission: 'rw',
      });
    const toBob = (await invite(bob)).invitation;
    const toCarol = (await invite(carol)).invitation;
    await asBob.call('privileged.folder.respond', { id: toBob.id, accept: true });
    await asCarol.call('privileged.folder.respond', { id: toCarol.id, accept: true });
    expect((await writeAs(bob, `${path}/bob.txt`, 'bob')).code).toBe(0);

    expect(await refusalOf(asBob, 'privileged.folder.cancel', { id: toBob.id })).toEqual({
      code: 'invitation-not-owner',
      message: `Invitation ${toBob.id} was sent by ${alice.username}; only they may cancel it (you are uid ${bob.uid}).`,
      hint: 'To drop it from your folders, leave it: labdeck folder leave HOST shared-data',
    });
    const aclBefore = (await runAs('root', ['getfacl', '-p', path])).stdout;
    expect(aclBefore).toContain(`user:${bob.username}:rwx`);

    const canceled = await asAlice.call('privileged.folder.cancel', { id: toBob.id });
    expect(canceled.invitation).toMatchObject({ id: toBob.id, state: 'canceled' });
    for (const file of ['table.csv', 'bob.txt'])
      expect((await runAs(bob.username, ['cat', `${path}/${file}`])).stderr).toMatch(
        /Permission denied/,
      );
    expect((await writeAs(bob, `${path}/again.txt`, 'x')).stderr).toMatch(/Permission denied/);
    // Gone from the folder and alice's files (a file bob made is still his, out of his reach).
    for (const entry of [path, `${path}/table.csv`])
      expect((await runAs('root', ['getfacl', '-p', entry])).stdout).not.toContain(
        `user:${bob.username}:`,
      );
    expect((await runAs(carol.username, ['cat', `${path}/bob.txt`])).stdout).toBe('bob');
    expect((await runAs(alice.username, ['cat', `${path}/table.csv`])).stdout).toBe('a,b');
    const recorded = await store();
    expect(recorded.invitations.find((known) => known.id === toBob.id)?.state).toBe('canceled');
    expect(recorded.invitations.find((known) => known.id === toCarol.id)?.state).toBe('accepted');
    // Ended: it cannot be canceled twice, nor left; alice can invite bob again.
    expect(await refusalOf(asAlice, 'privileged.folder.cancel', { id: toBob.id })).toMatchObject({
      code: 'invitation-not-pending',
    });
    expect(await refusalOf(asBob, 'privileged.folder.leave', { id: folder.id })).toMatchObject({
      code: 'folder-not-shared-with-you',
    });
    expect((await invite(bob)).invitation.state).toBe('pending');
  });

  it("an invitation whose name clashes with one of bob's folders is refused with the way out, and accepted under another name", async () => {
    await create(asBob, 'results');
    const { folder, path } = await create(asAlice, 'results');
    const { invitation } = await asAlice.call('privileged.folder.invite', {
      id: folder.id,
      user: bob.username,
      permission: 'rw',
    });
    expect(
      await refusalOf(asBob, 'privileged.folder.respond', { id: invitation.id, accept: true }),
    ).toEqual({
      code: 'folder-name-taken',
      message: 'name: "results" already names a folder you see on this host (your own).',
      hint: `accept it under another name: labdeck folder accept HOST ${invitation.id} --as NEWNAME`,
    });
    const accepted = await asBob.call('privileged.folder.respond', {
      id: invitation.id,
      accept: true,
      alias: 'alice-results',
    });
    expect(accepted.invitation).toMatchObject({ state: 'accepted', alias: 'alice-results' });
    // rw: bob writes through the filesystem.
    expect((await writeAs(bob, `${path}/bob.txt`, 'rw')).code).toBe(0);
    expect(
      await refusalOf(asBob, 'privileged.folder.respond', { id: invitation.id, accept: false }),
    ).toMatchObject({ code: 'invitation-not-pending' });
  });

  it('a pending invitation the owner cancels can no longer be accepted; one rejected gives no access', async () => {
    const { folder, path } = await create(asAlice, 'drafts');
    const first = await asAlice.call('privileged.folder.invite', {
      id: folder.id,
      user: carol.username,
      permission: 'wd',
    });
    const canceled = await asAlice.call('privileged.folder.cancel', { id: first.invitation.id });
    expect(canceled.invitation.state).toBe('canceled');
    expect(
      await refusalOf(asCarol, 'privileged.folder.respond', {
        id: first.invitation.id,
        accept: true,
      }),
    ).toMatchObject({ code: 'invitation-not-pending', message: /is canceled/ });
    const second = await asAlice.call('privileged.folder.invite', {
      id: folder.id,
      user: carol.username,
      permission: 'ro',
    });
    const rejected = await asCarol.call('privileged.folder.respond', {
      id: second.invitation.id,
      accept: false,
    });
    expect(rejected.invitation.state).toBe('rejected');
    expect((await runAs(carol.username, ['ls', path])).stderr).toMatch(/Permission denied/);
  });

  it('a dot-folder cannot be shared', async () => {
    const { folder } = await create(asAlice, '.local');
    expect(
      await refusalOf(asAlice, 'privileged.folder.invite', {
        id: folder.id,
        user: bob.username,
        permission: 'ro',
      }),
    ).toMatchObject({ code: 'folder-not-shareable', message: /dot-folders are private/ });
    // Nor can a shared folder become a dot-folder by a rename.
    const shared = await create(asAlice, 'cache');
    await asAlice.call('privileged.folder.invite', {
      id: shared.folder.id,
      user: bob.username,
      permission: 'ro',
    });
    expect(
      await refusalOf(asAlice, 'privileged.folder.update', {
        id: shared.folder.id,
        name: '.cache',
      }),
    ).toMatchObject({ code: 'folder-not-shareable', message: /^name: / });
  });

  it('bad names are refused naming the field, and nothing is made', async () => {
    const before = await store();
    for (const name of ['..', 'a/b', 'x'.repeat(65), '.bashrc'])
      expect(
        await refusalOf(asAlice, 'privileged.folder.create', { volume: 'xfs', name }),
        name,
      ).toMatchObject({
        code: 'invalid-input',
        message: expect.stringMatching(/^Invalid arguments of privileged\.folder\.create: name: /),
      });
    const mine = before.folders.find((folder) => folder.ownerUid === alice.uid);
    expect(
      await refusalOf(asAlice, 'privileged.folder.update', { id: mine?.id, name: 'a/b' }),
    ).toMatchObject({ code: 'invalid-input', message: /name: / });
    expect(
      await refusalOf(asAlice, 'privileged.folder.create', { volume: 'xfs', name: 'datasets' }),
    ).toMatchObject({ code: 'folder-name-taken', message: /"datasets" already names a folder/ });
    expect(await store()).toEqual(before);
  });

  it('alice renames, trashes and restores her folder; a clone target is marked ready; wrong states are refused', async () => {
    const { folder } = await create(asAlice, 'scratchpad', { cloneable: true });
    expect(
      await refusalOf(asAlice, 'privileged.folder.update', { id: folder.id, name: 'datasets' }),
    ).toMatchObject({ code: 'folder-name-taken' });
    const renamed = await asAlice.call('privileged.folder.update', {
      id: folder.id,
      name: 'scratch-2',
      cloneable: false,
    });
    expect(renamed.folder).toMatchObject({ name: 'scratch-2', cloneable: false });
    const trashed = await asAlice.call('privileged.folder.trash', { id: folder.id });
    expect(trashed.folder).toMatchObject({ state: 'trashed', trashedAt: expect.any(String) });
    expect(await refusalOf(asAlice, 'privileged.folder.trash', { id: folder.id })).toMatchObject({
      code: 'folder-trashed',
    });
    const restored = await asAlice.call('privileged.folder.restore', { id: folder.id });
    expect(restored.folder).toMatchObject({ state: 'ready', trashedAt: null });
    expect(await refusalOf(asAlice, 'privileged.folder.ready', { id: folder.id })).toMatchObject({
      code: 'folder-not-cloning',
    });
    expect(await refusalOf(asAlice, 'privileged.folder.purge', { id: folder.id })).toMatchObject({
      code: 'folder-not-trashed',
      hint: 'Move it to the trash first: labdeck folder rm HOST scratch-2',
    });
    const target = await create(asAlice, 'copy', { state: 'cloning' });
    expect(
      await refusalOf(asAlice, 'privileged.folder.trash', { id: target.folder.id }),
    ).toMatchObject({
      code: 'folder-cloning',
      hint: 'Wait for the clone to finish, or cancel it.',
    });
    const ready = await asAlice.call('privileged.folder.ready', { id: target.folder.id });
    expect(ready.folder.state).toBe('ready');
  });

  it('a group folder belongs to its group: members write, what they make stays group-writable, others stay out', async () => {
    const { folder, path } = await create(asAlice, 'team-data', { group: TEAM });
    const info = await stat(path);
    const { stdout: teamLine } = await run('getent', ['group', TEAM]);
    expect([info.uid, info.gid, info.mode & 0o7777]).toEqual([
      alice.uid,
      Number(teamLine.split(':')[2]),
      0o2770,
    ]);
    const { stdout: acl } = await run('getfacl', ['-p', path]);
    expect(acl).toContain('default:group::rwx');
    expect((await writeAs(bob, `${path}/bob.txt`, 'from bob')).code).toBe(0);
    expect(
      (await runAs(alice.username, ['sh', '-c', 'echo more >> "$1"', 'sh', `${path}/bob.txt`]))
        .code,
    ).toBe(0);
    expect((await runAs(carol.username, ['ls', path])).stderr).toMatch(/Permission denied/);
    expect(
      await refusalOf(asCarol, 'privileged.folder.create', {
        volume: 'xfs',
        name: 'team-two',
        group: TEAM,
      }),
    ).toMatchObject({ code: 'folder-group-not-member', message: /group: / });
    // Bob sees it through the group: the name is taken for him, and there is no grant to leave.
    expect(
      await refusalOf(asBob, 'privileged.folder.create', { volume: 'xfs', name: 'team-data' }),
    ).toMatchObject({ code: 'folder-name-taken' });
    expect(await refusalOf(asBob, 'privileged.folder.leave', { id: folder.id })).toMatchObject({
      code: 'folder-not-shared-with-you',
      hint: `Members of ${TEAM} see it through the group.`,
    });
  });

  it('purge removes the directory, both project lines, the record and its invitations; the freed id is used again', async () => {
    const { folder, path } = await create(asAlice, 'old-run');
    expect((await writeAs(alice, `${path}/big.bin`, 'x'.repeat(4096))).code).toBe(0);
    await mkdir(`${path}/sub`).catch(() => undefined);
    await asAlice.call('privileged.folder.invite', {
      id: folder.id,
      user: dave.username,
      permission: 'ro',
    });
    await asAlice.call('privileged.folder.trash', { id: folder.id });
    expect(await refusalOf(asBob, 'privileged.folder.purge', { id: folder.id })).toMatchObject({
      code: 'folder-not-owner',
    });
    expect(await asAlice.call('privileged.folder.purge', { id: folder.id })).toEqual({
      id: folder.id,
      invitations: 1,
    });
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    const id = folder.projectId;
    expect(await lines(host.installed.paths.projid)).not.toContain(`labdeck-xfs-${id}:${id}`);
    expect(
      (await lines(host.installed.paths.projects)).some((line) => line.startsWith(`${id}:`)),
    ).toBe(false);
    const recorded = await store();
    expect(recorded.folders.some((known) => known.id === folder.id)).toBe(false);
    expect(recorded.invitations.some((known) => known.folderId === folder.id)).toBe(false);
    const again = await create(asAlice, 'new-run');
    expect(again.folder.projectId).toBe(id);
  });

  it('a create that fails midway leaves nothing half-made: no directory, no project line, no record', async () => {
    const srv = join(host.installed.root, 'srv');
    const notXfs = join(srv, 'notxfs');
    const foreign = join(host.xfs.mountPoint, 'foreign');
    const open = join(host.xfs.mountPoint, 'open');
    const loose = join(host.xfs.mountPoint, 'loose');
    const shared = join(host.xfs.mountPoint, 'shared');
    for (const dir of [
      notXfs,
      `${foreign}/labdeck-folders`,
      `${open}/labdeck-folders`,
      loose,
      shared,
    ])
      await mkdir(dir, { recursive: true, mode: 0o755 });
    // Anyone may rename entries of `loose`; in `shared` (sticky, like /tmp) only their owners.
    await chmod(loose, 0o777);
    await chmod(shared, 0o1777);
    await chown(`${foreign}/labdeck-folders`, alice.uid, alice.gid);
    await chmod(`${open}/labdeck-folders`, 0o777);
    await host.reconfigure({
      ...host.config,
      volumes: [
        ...host.config.volumes,
        // Not XFS but declared so: xfs_io fails after the directory and the project lines exist.
        { name: 'notxfs', path: notXfs, kind: 'xfs' },
        { name: 'foreign', path: foreign, kind: 'xfs' },
        { name: 'open', path: open, kind: 'xfs' },
        { name: 'loose', path: loose, kind: 'xfs' },
        { name: 'shared', path: shared, kind: 'xfs' },
      ],
    });
    const helper = await host.connect(alice);
    const before = { store: await store(), files: await projectFiles() };
    const failed = await refusalOf(helper, 'privileged.folder.create', {
      volume: 'notxfs',
      name: 'doomed',
    });
    expect(failed).toMatchObject({ code: 'xfs-project-failed', message: /xfs_io said/ });
    expect(await readdir(join(notXfs, 'labdeck-folders'))).toEqual([]);
    expect(
      await refusalOf(helper, 'privileged.folder.create', { volume: 'foreign', name: 'doomed' }),
    ).toMatchObject({
      code: 'folders-dir-untrusted',
      message: expect.stringContaining(`belongs to uid ${alice.uid}, not root`),
    });
    expect(
      await refusalOf(helper, 'privileged.folder.create', { volume: 'open', name: 'doomed' }),
    ).toMatchObject({
      code: 'folders-dir-untrusted',
      message: expect.stringContaining('writable by group or others (mode 777)'),
    });
    expect(
      await refusalOf(helper, 'privileged.folder.create', { volume: 'loose', name: 'doomed' }),
    ).toMatchObject({
      code: 'folders-volume-untrusted',
      message: expect.stringContaining('others may write to (mode 777)'),
    });
    for (const dir of [foreign, open]) expect(await readdir(`${dir}/labdeck-folders`)).toEqual([]);
    expect(await readdir(loose)).toEqual([]);
    expect({ store: await store(), files: await projectFiles() }).toEqual(before);
    // A sticky volume directory is fine: nobody can rename root's labdeck-folders in it.
    const made = await helper.call('privileged.folder.create', { volume: 'shared', name: 'ok' });
    expect((await stat(made.path)).uid).toBe(alice.uid);
  });

  it('the helper finishes a call in flight when its client closes stdin and sudo forwards SIGTERM, SIGHUP and SIGINT: the grant is whole, the lock gone', async () => {
    const { folder, path } = await create(asAlice, 'big-share');
    const fill = ['sh', '-c', 'cd "$1" && seq 3000 | xargs touch', 'sh', path];
    expect((await runAs(alice.username, fill)).code).toBe(0);
    const { invitation } = await asAlice.call('privileged.folder.invite', {
      id: folder.id,
      user: carol.username,
      permission: 'ro',
    });
    const answered = await rawHelper(
      host,
      carol,
      [{ method: 'privileged.folder.respond', params: { id: invitation.id, accept: true } }],
      (sudoPid) => {
        setTimeout(() => {
          for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const)
            process.kill(sudoPid, signal);
        }, 30);
      },
    );
    // The client is gone, so nobody reads an answer: what the call did is in the store and the ACLs.
    expect(answered.code).toBe(0);
    const recorded = (await store()).invitations.find((known) => known.id === invitation.id);
    expect(recorded?.state).toBe('accepted');
    expect((await runAs(carol.username, ['cat', `${path}/3000`])).code).toBe(0);
    expect(await readdir(host.installed.paths.stateDir)).not.toContain('folders.json.lock');
    // A call that only looks up an id nobody has takes no lock at all, so it cannot leave one.
    const bogus = await rawHelper(host, carol, [
      { method: 'privileged.folder.cancel', params: { id: '0000000000000000' } },
    ]);
    expect(bogus.code).toBe(0);
    expect(await readdir(host.installed.paths.stateDir)).not.toContain('folders.json.lock');
  });

  it("LabDeck's folders refuse the path-named project, quota and ACL operations; a project id freed behind a record is left to whoever has it now", async () => {
    const { folder, path } = await create(asAlice, 'reused');
    const limited = await create(asAlice, 'reused-q', { volume: 'quota' });
    const ref = { volume: 'xfs', folder: `labdeck-folders/${folder.id}` };
    const managed = { code: 'folder-managed', hint: expect.stringContaining('labdeck folder') };
    for (const [method, params] of [
      ['privileged.project.release', ref],
      ['privileged.project.assign', ref],
      ['privileged.acl.grant', { ...ref, uid: bob.uid, access: 'ro' }],
      ['privileged.acl.revoke', { ...ref, uid: bob.uid }],
      ['privileged.acl.revoke', { volume: 'xfs', folder: 'labdeck-folders', uid: alice.uid }],
      [
        'privileged.quota.set',
        { volume: 'quota', folder: `labdeck-folders/${limited.folder.id}`, bytes: 1 },
      ],
    ] as const)
      expect(await refusalOf(asAlice, method, params), method).toMatchObject(managed);
    // What an older helper's project.release did: the id freed, then given to bob's project.
    const id = folder.projectId;
    const { paths } = host.installed;
    const projects = await readFile(paths.projects, 'utf8');
    await writeFile(paths.projects, projects.replace(`${id}:${path}\n`, `${id}:/srv/bobs\n`));
    expect(
      await refusalOf(asAlice, 'privileged.folder.update', { id: folder.id, quotaBytes: 1024 }),
    ).toMatchObject({ code: 'folder-project-lost', message: expect.stringContaining(`${id}`) });
    await asAlice.call('privileged.folder.trash', { id: folder.id });
    await asAlice.call('privileged.folder.purge', { id: folder.id });
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await lines(paths.projects)).toContain(`${id}:/srv/bobs`);
    expect(await lines(paths.projid)).toContain(`labdeck-xfs-${id}:${id}`);
    // Put the files back as LabDeck left them for the tests after this one.
    await writeFile(paths.projects, projects.replace(`${id}:${path}\n`, ''));
  });

  it('the helper acts on a folder only while it is what its record says: not once root owns it, not with a filesystem mounted over it', async () => {
    const invite = async (id: string) =>
      (await asAlice.call('privileged.folder.invite', { id, user: bob.username, permission: 'ro' }))
        .invitation;
    const rooted = await create(asAlice, 'rooted');
    const first = await invite(rooted.folder.id);
    await chown(rooted.path, 0, 0);
    expect(
      await refusalOf(asBob, 'privileged.folder.respond', { id: first.id, accept: true }),
    ).toMatchObject({
      code: 'folder-owner-changed',
      message: expect.stringContaining(`belongs to uid 0`),
    });
    expect((await run('getfacl', ['-p', rooted.path])).stdout).not.toContain(bob.username);
    const mounted = await create(asAlice, 'mounted');
    const second = await invite(mounted.folder.id);
    await run('mount', ['-t', 'tmpfs', '-o', `uid=${alice.uid},size=1m`, 'tmpfs', mounted.path]);
    try {
      expect(
        await refusalOf(asBob, 'privileged.folder.respond', { id: second.id, accept: true }),
      ).toMatchObject({ code: 'folder-mount-point' });
    } finally {
      await run('umount', [mounted.path]);
    }
    // Back as the record says, the same accept goes through.
    await chown(rooted.path, alice.uid, alice.gid);
    const accepted = await asBob.call('privileged.folder.respond', { id: first.id, accept: true });
    expect(accepted.invitation.state).toBe('accepted');
  });

  it("a group folder's name must fit every member's view and cannot be a dot-name; a shared folder renamed into a name its grantee has keeps its old name for them", async () => {
    await create(asBob, 'bobs-own');
    expect(
      await refusalOf(asAlice, 'privileged.folder.create', {
        volume: 'xfs',
        name: 'bobs-own',
        group: TEAM,
      }),
    ).toMatchObject({
      code: 'folder-name-taken',
      message: `name: "bobs-own" already names a folder ${bob.username} sees on this host, and they would see this one too.`,
    });
    expect(
      await refusalOf(asAlice, 'privileged.folder.create', {
        volume: 'xfs',
        name: '.team-cache',
        group: TEAM,
      }),
    ).toMatchObject({ code: 'folder-not-shareable', message: /dot-folders are private/ });
    // Carol is not in the team: her folder of that name does not stand in the way.
    await create(asCarol, 'team-notes');
    const made = await create(asAlice, 'team-notes', { group: TEAM });
    expect(made.folder.group).toBe(TEAM);
    // A share renamed by its owner into a name its grantee has would shadow the grantee's own.
    const shared = await create(asAlice, 'for-carol');
    const { invitation } = await asAlice.call('privileged.folder.invite', {
      id: shared.folder.id,
      user: carol.username,
      permission: 'ro',
    });
    await asCarol.call('privileged.folder.respond', { id: invitation.id, accept: true });
    // Renamed into a name carol has, it stays "for-carol" for her: her own folder is not shadowed.
    const own = await create(asCarol, 'carols-notes');
    await asAlice.call('privileged.folder.update', { id: shared.folder.id, name: 'carols-notes' });
    const seen = visibleFolders(await store(), { uid: carol.uid, groups: new Set() });
    expect(
      seen.filter((known) => known.name === 'carols-notes').map((known) => known.folder.id),
    ).toEqual([own.folder.id]);
    expect(seen.find((known) => known.folder.id === shared.folder.id)?.name).toBe('for-carol');
  });

  it('an owner who renames a shared folder does not rename it for its grantees: bob still sees "data" after alice renames it "data2"', async () => {
    const { folder } = await create(asAlice, 'data');
    const { invitation } = await asAlice.call('privileged.folder.invite', {
      id: folder.id,
      user: bob.username,
      permission: 'ro',
    });
    await asBob.call('privileged.folder.respond', { id: invitation.id, accept: true });
    const bobSees = async (): Promise<string | undefined> =>
      visibleFolders(await store(), { uid: bob.uid, groups: new Set([TEAM]) }).find(
        (known) => known.folder.id === folder.id,
      )?.name;
    expect(await bobSees()).toBe('data');
    await asAlice.call('privileged.folder.update', { id: folder.id, name: 'data2' });
    expect(await bobSees()).toBe('data');
    const aliceSees = visibleFolders(await store(), { uid: alice.uid, groups: new Set() });
    expect(aliceSees.find((known) => known.folder.id === folder.id)?.name).toBe('data2');
    expect((await store()).invitations.find((known) => known.id === invitation.id)).toMatchObject({
      state: 'accepted',
      alias: 'data',
    });
    // Renamed back, the alias is the folder's own name again: no alias.
    await asAlice.call('privileged.folder.update', { id: folder.id, name: 'data' });
    expect(
      (await store()).invitations.find((known) => known.id === invitation.id)?.alias,
    ).toBeNull();
  });

  it('an invitation cannot be accepted under a dot-name: dot-folders are private', async () => {
    const { folder, path } = await create(asAlice, 'shared-config');
    const { invitation } = await asAlice.call('privileged.folder.invite', {
      id: folder.id,
      user: bob.username,
      permission: 'rw',
    });
    expect(
      await refusalOf(asBob, 'privileged.folder.respond', {
        id: invitation.id,
        accept: true,
        alias: '.local',
      }),
    ).toMatchObject({
      code: 'folder-not-shareable-name',
      message: expect.stringMatching(
        /^alias: ".local" is a dot-folder name.*dot-folders are private/,
      ),
      hint: expect.stringContaining(`labdeck folder accept HOST ${invitation.id} --as NEWNAME`),
    });
    expect((await store()).invitations.find((known) => known.id === invitation.id)?.state).toBe(
      'pending',
    );
    expect((await runAs(bob.username, ['ls', path])).stderr).toMatch(/Permission denied/);
  });

  it("a purge of a big folder holds no lock while its files go: another user's create finishes first; the directory, lines and record are gone after", async () => {
    const { folder, path } = await create(asAlice, 'huge');
    const fill = ['sh', '-c', 'cd "$1" && seq 50000 | xargs touch', 'sh', path];
    expect((await runAs(alice.username, fill)).code).toBe(0);
    await asAlice.call('privileged.folder.trash', { id: folder.id });
    const lock = `${host.installed.paths.foldersFile}.lock`;
    const foldersRoot = `${host.volume('xfs').path}/labdeck-folders`;
    const purging = (name: string): boolean => name === folder.id || name.startsWith('.purge-');
    /** Entries still left of alice's folder, wherever the purge keeps it while removing it. */
    const left = async (): Promise<number> => {
      let count = 0;
      for (const name of (await readdir(foldersRoot)).filter(purging))
        count += (await readdir(join(foldersRoot, name)).catch(() => [])).length;
      return count;
    };
    let answered = false;
    const purge = asAlice.call('privileged.folder.purge', { id: folder.id }).finally(() => {
      answered = true;
    });
    // Bob asks once the purge is under way: the lock is held, or the files are set aside.
    const underWay = async (): Promise<boolean> =>
      (await stat(lock).then(
        () => true,
        () => false,
      )) || (await readdir(foldersRoot)).some((name) => name.startsWith('.purge-'));
    while (!answered && !(await underWay())) await sleep(5);
    const started = Date.now();
    const made = await create(asBob, 'made-while-purging');
    const waitedMs = Date.now() - started;
    const remaining = await left();
    expect({ answered, removing: remaining > 0 }).toEqual({ answered: false, removing: true });
    expect(waitedMs).toBeLessThan(2_000);
    expect(await purge).toEqual({ id: folder.id, invitations: 0 });
    expect(made.folder.owner).toBe(bob.username);
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await readdir(foldersRoot)).filter((name) => name.startsWith('.purge-'))).toEqual([]);
    const id = folder.projectId;
    expect(await lines(host.installed.paths.projid)).not.toContain(`labdeck-xfs-${id}:${id}`);
    expect(
      (await lines(host.installed.paths.projects)).some((line) => line.startsWith(`${id}:`)),
    ).toBe(false);
    expect((await store()).folders.some((known) => known.id === folder.id)).toBe(false);
  });

  it('files a crashed purge left aside are removed by the next create on the volume, never those a live purge is removing', async () => {
    const foldersRoot = `${host.volume('xfs').path}/labdeck-folders`;
    // A helper that died mid-purge: its pid is gone.
    const dead = spawn('true');
    await new Promise((resolve) => dead.once('close', resolve));
    const crashed = join(foldersRoot, `.purge-00112233445566aa-${dead.pid}-1`);
    // A live one: this test process stands in for it (its pid and start time).
    const started = (await readFile('/proc/self/stat', 'utf8')).split(') ')[1]?.split(' ')[19];
    const live = join(foldersRoot, `.purge-00112233445566bb-${process.pid}-${started}`);
    for (const dir of [crashed, live]) {
      await mkdir(join(dir, 'sub'), { recursive: true });
      await writeFile(join(dir, 'sub/file'), 'left');
      await chown(dir, alice.uid, alice.gid);
    }
    await create(asCarol, 'after-crash');
    const names = await readdir(foldersRoot);
    expect(names.filter((name) => name.startsWith('.purge-'))).toEqual([
      `.purge-00112233445566bb-${process.pid}-${started}`,
    ]);
    await rm(live, { recursive: true });
  });
});
