import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AgentClient } from '../../../main/agent/agent-client';
import type { Services } from '../../../main/services';
import type { Client } from '../../../common/contract/client';
import type { Result } from '../../../common/contract/result';
import { folderStoreSchema } from '../../../common/folders/folder-store';
import { QUOTA_NOT_ENFORCED_XFS, type CloneProgress } from '../../../common/folders/folder-view';
import type { Volume } from '../../../common/host-setup/lab-config';
import {
  describeWithParts,
  startSshd,
  stopAgents,
  testServices,
  until,
  type Sshd,
  type TestUser,
} from '../../harness';
import { runAs } from '../host-setup/privileged-fixture';
import { FOLDER_HOST_PARTS, makeFolderHost, type FolderHost } from './folder-fixture';

const run = promisify(execFile);
/** This file's own sudo group: the setup tests create and remove the real `labdeck`. */
const GROUP = 'labdeck-test-fagent';
const MiB = 1024 * 1024;
/** Files in the folder whose clone is cancelled: enough that cp takes a while even with reflink. */
const MANY_DIRS = 40;
const FILES_PER_DIR = 1000;
/** The agents' idle exit: far shorter than a clone of the folder above takes. */
const IDLE_EXIT_MS = 300;
/** The agent daemon's command line names its file under ~/.cache/labdeck/agent/. */
const AGENT_COMMAND = '/.cache/labdeck/agent/';

/** The value of a result, or a test failure naming the error. */
function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Every path under `root` with a file's content, sorted: equal trees list the same. */
async function tree(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const lines: string[] = [];
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    const relative = path.slice(root.length);
    lines.push(entry.isFile() ? `${relative} ${(await readFile(path)).toString('hex')}` : relative);
  }
  return lines.sort();
}

describeWithParts(
  [...FOLDER_HOST_PARTS, 'sshd'],
  "the agent's folders.* methods through the real sshd, on XFS",
  () => {
    let host: FolderHost;
    let alice: TestUser;
    let bob: TestUser;
    let sshd: Sshd;
    let home: string;
    let services: Services;
    let client: Client;
    let asAlice: AgentClient;
    let asBob: AgentClient;
    /** The `xfs` volume: XFS, mounted without project quota on this kernel. */
    let volume: Volume;

    const store = async () =>
      folderStoreSchema.parse(JSON.parse(await readFile(host.installed.paths.foldersFile, 'utf8')));
    const agentOf = async (name: string): Promise<AgentClient> =>
      (await services.hosts.get(name)).agent();

    beforeAll(async () => {
      host = await makeFolderHost({ group: GROUP, users: ['fa-alice', 'fa-bob'] });
      [alice, bob] = host.users as [TestUser, TestUser];
      volume = host.volume('xfs');
      sshd = await startSshd({
        config: {
          SetEnv: `LABDECK_SYSTEM_ROOT=${host.installed.root} LABDECK_HELPER_GROUP=${GROUP} LABDECK_AGENT_IDLE_MS=${IDLE_EXIT_MS}`,
        },
      });
      home = await mkdtemp(join(tmpdir(), 'labdeck-fagent-home-'));
      ({ services, client } = testServices(home, {
        agentBundlePath: join(host.scratch, 'labdeck-agent.cjs'),
      }));
      for (const [name, user] of [
        ['alice-lab', alice],
        ['bob-lab', bob],
      ] as const)
        value(
          await client.request('hosts:add', {
            name,
            user: user.username,
            hostname: sshd.host,
            port: sshd.port,
            identityFile: user.privateKeyPath,
          }),
        );
      asAlice = await agentOf('alice-lab');
      asBob = await agentOf('bob-lab');
    }, 300_000);

    afterAll(async () => {
      await services?.dispose();
      await sshd?.stop();
      for (const user of [alice, bob]) if (user) await stopAgents(user.username);
      await host?.remove();
      if (home) await rm(home, { recursive: true, force: true });
    });

    it('refuses bad names with invalid-input, naming the rule', async () => {
      for (const name of ['..', 'a/b', 'x'.repeat(65), '.bashrc']) {
        const result = await asAlice.call('folders.create', { name } as never);
        expect(result, name).toMatchObject({
          ok: false,
          error: { code: 'invalid-input', message: expect.stringContaining('name: ') },
        });
      }
      expect(value(await asAlice.call('folders.list', {})).folders).toEqual([]);
    });

    it('creates a folder with a quota, says the limit is not enforced and why, and measures a write', async () => {
      const made = value(
        await asAlice.call('folders.create', {
          name: 'data',
          quotaBytes: 100 * MiB,
          cloneable: true,
        }),
      );
      expect(made).toMatchObject({
        name: 'data',
        owner: alice.username,
        volume: 'xfs',
        permission: 'owner',
        via: 'own',
        cloneable: true,
        state: 'ready',
        quota: { limitBytes: 100 * MiB, usedBytes: 0 },
      });
      expect(made.path).toBe(`${volume.path}/labdeck-folders/${made.id}`);
      expect(made.quota).toMatchObject({ enforced: false, reason: QUOTA_NOT_ENFORCED_XFS });
      const wrote = await runAs(alice.username, [
        '/usr/bin/dd',
        'if=/dev/urandom',
        `of=${made.path}/two-mib.bin`,
        'bs=1M',
        'count=2',
        'status=none',
      ]);
      expect(wrote.code, wrote.stderr).toBe(0);
      const listed = await until("alice's list to count the 2 MiB written", async () => {
        const list = value(await asAlice.call('folders.list', {}));
        const data = list.folders.find((folder) => folder.name === 'data');
        return (data?.quota.usedBytes ?? 0) >= 2 * MiB ? { list, data } : undefined;
      });
      expect(listed.data?.quota).toMatchObject({
        limitBytes: 100 * MiB,
        enforced: false,
        reason: QUOTA_NOT_ENFORCED_XFS,
      });
      expect(listed.list.volumes).toEqual(
        host.config.volumes.map(({ name, path, kind }) => ({ name, path, kind })),
      );
    });

    it('on a volume declared with project quota, the helper’s report decides: enforced, or why not with usage walked', async () => {
      const made = value(
        await asAlice.call('folders.create', {
          name: 'quoted',
          volume: 'quota',
          quotaBytes: 10 * MiB,
        }),
      );
      const wrote = await runAs(alice.username, [
        '/usr/bin/dd',
        'if=/dev/urandom',
        `of=${made.path}/one-mib.bin`,
        'bs=1M',
        'count=1',
        'status=none',
      ]);
      expect(wrote.code, wrote.stderr).toBe(0);
      const quoted = await until('the quoted folder to count its 1 MiB', async () => {
        const list = value(await asAlice.call('folders.list', {}));
        const found = list.folders.find((folder) => folder.name === 'quoted');
        return (found?.quota.usedBytes ?? 0) >= MiB ? found : undefined;
      });
      expect(quoted?.quota).toMatchObject(
        host.xfs.projectQuota
          ? { limitBytes: 10 * MiB, enforced: true, reason: null }
          : { limitBytes: 10 * MiB, enforced: false, reason: QUOTA_NOT_ENFORCED_XFS },
      );
    });

    it('says where volumes come from when the host declares none', async () => {
      const declared = host.config;
      await host.reconfigure({ ...declared, volumes: [] });
      try {
        expect(await asAlice.call('folders.create', { name: 'nowhere' })).toMatchObject({
          ok: false,
          error: {
            code: 'folders-no-volume',
            hint: 'host setup declares them: labdeck host setup HOST --volume NAME=PATH',
          },
        });
      } finally {
        await host.reconfigure(declared);
      }
    });

    it('shares a folder read-only: bob sees the invitation, accepts it under another name, and reads but cannot write', async () => {
      value(await asBob.call('folders.create', { name: 'data' }));
      const invited = value(
        await asAlice.call('folders.invite', {
          name: 'data',
          user: bob.username,
          permission: 'ro',
        }),
      );
      expect(invited).toMatchObject({
        folder: 'data',
        owner: alice.username,
        invitee: bob.username,
        permission: 'ro',
        state: 'pending',
        direction: 'outgoing',
      });
      const inbox = value(await asBob.call('folders.list', {})).invitations;
      expect(inbox).toEqual([{ ...invited, direction: 'incoming' }]);

      // Bob has a "data" of his own: the way out is named.
      expect(
        await asBob.call('folders.respond', { invitation: invited.id, accept: true }),
      ).toMatchObject({
        ok: false,
        error: {
          code: 'folder-name-taken',
          hint: `accept it under another name: labdeck folder accept HOST ${invited.id} --as NEWNAME`,
        },
      });
      // Nor under a dot-name: dot-folders are private, and would be mounted into every session.
      expect(
        await asBob.call('folders.respond', { invitation: invited.id, accept: true, as: '.local' }),
      ).toMatchObject({
        ok: false,
        error: {
          code: 'folder-alias-private',
          message:
            '".local" starts with ".": dot-folders are private, so a folder shared with you cannot be one.',
        },
      });
      expect((await store()).invitations.find((known) => known.id === invited.id)?.state).toBe(
        'pending',
      );
      const accepted = value(
        await asBob.call('folders.respond', {
          invitation: invited.id,
          accept: true,
          as: 'alice-data',
        }),
      );
      expect(accepted).toMatchObject({
        state: 'accepted',
        alias: 'alice-data',
        direction: 'incoming',
      });

      const folderId = (await store()).invitations.find(
        (known) => known.id === invited.id,
      )?.folderId;
      const path = `${volume.path}/labdeck-folders/${folderId}`;

      // Bob's access taken away behind the app's back: his list still answers, usage unknown.
      const acl = (await run('getfacl', ['-p', '-n', '--', path])).stdout;
      await run('setfacl', ['-x', `u:${bob.uid}`, '--', path]);
      try {
        value(await asBob.call('folders.list', {}));
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const lost = value(await asBob.call('folders.list', {})).folders.find(
          (folder) => folder.name === 'alice-data',
        );
        expect(lost).toMatchObject({
          path,
          owner: alice.username,
          permission: 'ro',
          via: 'invitation',
        });
        expect(lost?.quota.usedBytes).toBeNull();
      } finally {
        const restore = run('setfacl', ['--restore=-']);
        restore.child.stdin?.end(acl);
        await restore;
      }
      // The filesystem, not the app, says so.
      const read = await runAs(bob.username, ['/usr/bin/head', '-c', '4', `${path}/two-mib.bin`]);
      expect(read.code, read.stderr).toBe(0);
      const write = await runAs(bob.username, ['/usr/bin/touch', `${path}/bob-was-here`]);
      expect(write.code).not.toBe(0);
      const outbox = value(await asAlice.call('folders.list', {})).invitations;
      expect(outbox).toMatchObject([{ id: invited.id, state: 'accepted', direction: 'outgoing' }]);
    });

    it('resolves a session’s mounts: ro forced for a read-only grant, the user’s dot-folders added', async () => {
      value(await asBob.call('folders.create', { name: '.local' }));
      const { mounts } = value(
        await asBob.call('folders.mounts', { mounts: [{ name: 'alice-data', readOnly: false }] }),
      );
      expect(mounts.map(({ name, target, readOnly }) => ({ name, target, readOnly }))).toEqual([
        { name: 'alice-data', target: '/home/work/alice-data', readOnly: true },
        { name: '.local', target: '/home/work/.local', readOnly: false },
      ]);
      expect(
        await asBob.call('folders.mounts', { mounts: [{ name: 'nothing-here', readOnly: true }] }),
      ).toMatchObject({
        ok: false,
        error: { code: 'folder-not-found', message: expect.stringContaining('"nothing-here"') },
      });
    });

    it('clones a cloneable folder shared with bob into one of his own with the same files', async () => {
      const events: CloneProgress[] = [];
      const made = value(
        await asBob.call('folders.clone', { source: 'alice-data', target: 'my-copy' }),
      );
      expect(made).toMatchObject({ name: 'my-copy', owner: bob.username, state: 'cloning' });
      const ended = await new Promise<CloneProgress>((resolve, reject) => {
        asBob.subscribe(
          'folders.clone-progress',
          { name: 'my-copy' },
          (progress) => {
            events.push(progress);
            if (progress.state !== 'running') resolve(progress);
          },
          (error) => (error ? reject(new Error(error.message)) : undefined),
        );
      });
      expect(ended).toMatchObject({ state: 'done', message: null });
      expect(ended.copiedBytes).toBe(ended.totalBytes);
      expect(ended.totalBytes).toBeGreaterThanOrEqual(2 * MiB);
      const list = value(await asBob.call('folders.list', {})).folders;
      const copy = list.find((folder) => folder.name === 'my-copy');
      const source = list.find((folder) => folder.name === 'alice-data');
      expect(copy).toMatchObject({ state: 'ready', permission: 'owner', owner: bob.username });
      expect(await tree(copy?.path ?? '')).toEqual(await tree(source?.path ?? ''));
      const info = await stat(copy?.path ?? '');
      expect([info.uid, info.mode & 0o7777]).toEqual([bob.uid, 0o700]);
      // Alice's grantees are not the clone's: no ACL entry came along.
      const acl = await run('getfacl', ['-R', '-p', '--skip-base', copy?.path ?? '']);
      expect(acl.stdout.trim()).toBe('');
    });

    it('a clone cancelled midway leaves no directory, record or project behind', async () => {
      const big = value(await asAlice.call('folders.create', { name: 'big' }));
      const fill = await runAs(alice.username, [
        '/bin/sh',
        '-c',
        'cd "$1" && for d in $(seq 1 "$2"); do mkdir "d$d" && (cd "d$d" && seq 1 "$3" | xargs touch); done',
        'fill',
        big.path,
        String(MANY_DIRS),
        String(FILES_PER_DIR),
      ]);
      expect(fill.code, fill.stderr).toBe(0);
      const before = await readdir(join(volume.path, 'labdeck-folders'));
      const projectsBefore = await readFile(host.installed.paths.projects, 'utf8').catch(() => '');

      const target = value(
        await asAlice.call('folders.clone', { source: 'big', target: 'big-copy' }),
      );
      expect((await store()).folders.find((folder) => folder.id === target.id)?.state).toBe(
        'cloning',
      );
      const events: CloneProgress[] = [];
      let cancel: Promise<Result<{ canceled: boolean }>> | undefined;
      const ended = await new Promise<CloneProgress>((resolve, reject) => {
        asAlice.subscribe(
          'folders.clone-progress',
          { name: 'big-copy' },
          (progress) => {
            events.push(progress);
            if (progress.state === 'running' && progress.copiedBytes > 0)
              cancel ??= asAlice.call('folders.clone-cancel', { name: 'big-copy' });
            if (progress.state !== 'running') resolve(progress);
          },
          (error) => (error ? reject(new Error(error.message)) : undefined),
        );
      });
      expect(ended.state, JSON.stringify(events.slice(-3))).toBe('canceled');
      expect(value(await (cancel as Promise<Result<{ canceled: boolean }>>))).toEqual({
        canceled: true,
      });
      expect(events.length).toBeGreaterThanOrEqual(2);
      expect(events[0]?.state).toBe('running');
      const midway = events.find((event) => event.copiedBytes > 0);
      expect(midway?.copiedBytes).toBeLessThan(midway?.totalBytes ?? 0);

      expect(await readdir(join(volume.path, 'labdeck-folders'))).toEqual(before);
      expect((await store()).folders.some((folder) => folder.id === target.id)).toBe(false);
      expect(await readFile(host.installed.paths.projects, 'utf8').catch(() => '')).toBe(
        projectsBefore,
      );
      const names = value(await asAlice.call('folders.list', {})).folders.map(
        (folder) => folder.name,
      );
      expect(names).not.toContain('big-copy');
    });

    it('keeps the daemon up while a clone runs with no client connected, and lets it go after', async () => {
      const target = value(
        await asAlice.call('folders.clone', { source: 'big', target: 'big-kept' }),
      );
      value(await client.request('hosts:disconnect', { hostId: 'alice-lab' }));
      // Still copying once the client has gone: what follows is the daemon's doing, not ours.
      expect((await store()).folders.find((folder) => folder.id === target.id)?.state).toBe(
        'cloning',
      );
      const finished = await until(
        'the clone to finish with no client connected',
        async () => {
          const record = (await store()).folders.find((folder) => folder.id === target.id);
          return record?.state === 'cloning' ? undefined : (record ?? null);
        },
        60_000,
      );
      expect(finished?.state).toBe('ready');
      // Forty thousand empty files: their names say it all.
      const bigId = (await store()).folders.find((folder) => folder.name === 'big')?.id;
      const names = async (path: string) => (await readdir(path, { recursive: true })).sort();
      expect(await names(target.path)).toEqual(
        await names(`${volume.path}/labdeck-folders/${bigId}`),
      );
      // The hold ends with the clone: the idle daemon exits.
      await until('alice’s idle agent to exit', async () => {
        const found = await run('pgrep', ['-u', alice.username, '-f', AGENT_COMMAND]).catch(
          () => undefined,
        );
        return found === undefined ? true : undefined;
      });
      asAlice = await agentOf('alice-lab');
      const kept = value(await asAlice.call('folders.list', {})).folders.find(
        (folder) => folder.name === 'big-kept',
      );
      expect(kept).toMatchObject({ state: 'ready', permission: 'owner' });
    });

    it('a folder left cloning with no clone filling it says so, cannot be clone-canceled, and purges', async () => {
      // What an agent killed mid-clone leaves: the helper's record in state cloning.
      const helper = await host.connect(alice);
      const orphan = await helper.call('privileged.folder.create', {
        volume: 'xfs',
        name: 'orphan',
        state: 'cloning',
      });
      const hint = 'no clone is filling it any more: labdeck folder purge HOST orphan removes it';
      expect(await asAlice.call('folders.trash', { name: 'orphan' })).toMatchObject({
        ok: false,
        error: { code: 'folder-cloning', hint },
      });
      expect(
        await asAlice.call('folders.mounts', { mounts: [{ name: 'orphan', readOnly: false }] }),
      ).toMatchObject({ ok: false, error: { code: 'folder-not-ready', hint } });
      expect(value(await asAlice.call('folders.clone-cancel', { name: 'orphan' }))).toEqual({
        canceled: false,
      });
      expect(value(await asAlice.call('folders.purge', { name: 'orphan' }))).toEqual({
        id: orphan.folder.id,
      });
      expect((await store()).folders.some((folder) => folder.id === orphan.folder.id)).toBe(false);
      await expect(readdir(orphan.path)).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('renames, re-limits and marks cloneable only for the owner; a name clash is refused', async () => {
      const updated = value(
        await asAlice.call('folders.update', {
          name: 'quoted',
          rename: 'quoted-2',
          quotaBytes: 20 * MiB,
          cloneable: true,
        }),
      );
      expect(updated).toMatchObject({
        name: 'quoted-2',
        cloneable: true,
        quota: { limitBytes: 20 * MiB },
      });
      expect(
        await asAlice.call('folders.update', { name: 'quoted-2', rename: 'data' }),
      ).toMatchObject({ ok: false, error: { code: 'folder-name-taken' } });
      expect(
        await asBob.call('folders.update', { name: 'alice-data', cloneable: false }),
      ).toMatchObject({
        ok: false,
        error: {
          code: 'folder-not-owner',
          message: `Only its owner (${alice.username}) can change folder "alice-data".`,
        },
      });
    });

    it('the owner withdraws a pending invitation; the invitee rejects another; both list how they ended', async () => {
      const first = value(
        await asAlice.call('folders.invite', {
          name: 'quoted-2',
          user: bob.username,
          permission: 'rw',
        }),
      );
      expect(value(await asAlice.call('folders.cancel', { invitation: first.id }))).toMatchObject({
        state: 'canceled',
      });
      expect(
        await asBob.call('folders.respond', { invitation: first.id, accept: true }),
      ).toMatchObject({ ok: false, error: { code: 'invitation-not-pending' } });
      const second = value(
        await asAlice.call('folders.invite', {
          name: 'quoted-2',
          user: bob.username,
          permission: 'wd',
        }),
      );
      expect(await asBob.call('folders.cancel', { invitation: second.id })).toMatchObject({
        ok: false,
        error: { code: 'invitation-not-yours' },
      });
      expect(
        value(await asBob.call('folders.respond', { invitation: second.id, accept: false })),
      ).toMatchObject({ state: 'rejected', direction: 'incoming' });
      const states = async (agent: typeof asBob) =>
        value(await agent.call('folders.list', {}))
          .invitations.filter((known) => known.id === first.id || known.id === second.id)
          .map(({ id, state, direction }) => ({ id, state, direction }));
      expect(await states(asBob)).toEqual([
        { id: first.id, state: 'canceled', direction: 'incoming' },
        { id: second.id, state: 'rejected', direction: 'incoming' },
      ]);
      expect(await states(asAlice)).toEqual([
        { id: first.id, state: 'canceled', direction: 'outgoing' },
        { id: second.id, state: 'rejected', direction: 'outgoing' },
      ]);
      expect(
        value(await asBob.call('folders.list', {})).folders.map((known) => known.name),
      ).not.toContain('quoted-2');
    });

    it('leave drops only bob’s grant; the owner cannot leave; trash, restore and purge', async () => {
      expect(await asAlice.call('folders.leave', { name: 'data' })).toMatchObject({
        ok: false,
        error: {
          code: 'folder-owner-cannot-leave',
          message: 'owners cannot leave their folder; delete it instead',
        },
      });
      const shared = value(await asBob.call('folders.list', {})).folders.find(
        (folder) => folder.name === 'alice-data',
      );
      value(await asBob.call('folders.leave', { name: 'alice-data' }));
      const names = value(await asBob.call('folders.list', {})).folders.map(
        (folder) => folder.name,
      );
      expect(names).not.toContain('alice-data');
      expect((await runAs(bob.username, ['/usr/bin/ls', shared?.path ?? ''])).code).not.toBe(0);
      expect((await runAs(alice.username, ['/usr/bin/ls', shared?.path ?? ''])).code).toBe(0);

      expect(await asAlice.call('folders.purge', { name: 'big' })).toMatchObject({
        ok: false,
        error: { code: 'folder-not-trashed' },
      });
      expect(value(await asAlice.call('folders.trash', { name: 'big' })).state).toBe('trashed');
      expect(
        await asAlice.call('folders.mounts', { mounts: [{ name: 'big', readOnly: false }] }),
      ).toMatchObject({
        ok: false,
        error: { code: 'folder-not-ready', message: expect.stringContaining('"big"') },
      });
      expect(value(await asAlice.call('folders.restore', { name: 'big' })).state).toBe('ready');
      const big = value(await asAlice.call('folders.trash', { name: 'big' }));
      value(await asAlice.call('folders.purge', { name: 'big' }));
      await expect(stat(big.path)).rejects.toMatchObject({ code: 'ENOENT' });
      expect((await store()).folders.some((folder) => folder.id === big.id)).toBe(false);
    });
  },
);
